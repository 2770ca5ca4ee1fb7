/**
 * A device's geography rules, compiled once per policy, applied to an answer's facts on every
 * query (cached or fresh): each address's country and network, and the registration of the name.
 * The decision names the rule and what matched (`geo:country:SG`, `geo:asn:45102`,
 * `geo:registrant:CN`, `geo:org:xiaomi`) and which addresses offend (for strip).
 *
 * Severity: block > strip > flag. Mixed answers: `strip` drops only the offending addresses and
 * keeps the rest; when every address offends, it blocks (docs/geo.md).
 */
import type { GeoRule } from '../policy/policy-doc.js';
import type { IpGeo } from './resolve-ip.js';

/** What geo knows of one address: geo.lookup's answer. */
export type AddressGeo = IpGeo;

/** What registration knows of the name's domain. */
export interface RegistrationFacts {
  country: string | null;
  org: string | null;
}

export type GeoAction = 'flag' | 'strip' | 'block';

export interface GeoVerdict {
  action: GeoAction;
  detail: string;
  /** Indexes of offending addresses (strip); empty for registration matches. */
  offending: number[];
}

export interface GeoPolicy {
  /** Whether any rule needs the registration (so the caller asks for it). */
  usesRegistration: boolean;
  decide(addresses: readonly AddressGeo[], registration: RegistrationFacts | null): GeoVerdict | null;
}

const RANK: Record<GeoAction, number> = { flag: 1, strip: 2, block: 3 };

/** Compiles rules (null when there are none: the inspect stage's fast path). */
export function compileGeoPolicy(rules: readonly GeoRule[] | undefined): GeoPolicy | null {
  if (!rules || rules.length === 0) return null;
  const byCountry = new Map<string, GeoAction>();
  const byAsn = new Map<number, GeoAction>();
  const byRegCountry = new Map<string, GeoAction>();
  const orgs: { needle: string; action: GeoAction }[] = [];
  const stronger = <K>(m: Map<K, GeoAction>, k: K, a: GeoAction) => {
    const old = m.get(k);
    if (old === undefined || RANK[a] > RANK[old]) m.set(k, a);
  };
  for (const r of rules) {
    for (const c of r.countries ?? []) stronger(byCountry, c, r.action);
    for (const n of r.asns ?? []) stronger(byAsn, n, r.action);
    for (const c of r.registrantCountries ?? []) stronger(byRegCountry, c, r.action);
    for (const o of r.registrantOrgs ?? []) orgs.push({ needle: o.trim().toLowerCase(), action: r.action });
  }
  return {
    usesRegistration: byRegCountry.size > 0 || orgs.length > 0,
    decide(addresses, registration) {
      let best: GeoVerdict | null = null;
      const actions: (GeoAction | undefined)[] = [];
      for (let i = 0; i < addresses.length; i++) {
        const g = addresses[i];
        const byC = g.country !== null ? byCountry.get(g.country) : undefined;
        const byA = g.asn !== null ? byAsn.get(g.asn) : undefined;
        const a = byC !== undefined && (byA === undefined || RANK[byC] >= RANK[byA]) ? byC : byA;
        actions.push(a);
        if (a === undefined) continue;
        const detail = a === byC ? `geo:country:${g.country}` : `geo:asn:${g.asn}`;
        if (best === null || RANK[a] > RANK[best.action]) best = { action: a, detail, offending: [] };
      }
      // Offending: the addresses the deciding action applies to (a flagged US address is not
      // stripped because a Singapore one is).
      if (best !== null) for (let i = 0; i < actions.length; i++) if (actions[i] === best.action) best.offending.push(i);
      if (registration !== null) {
        const reg = registrationVerdict(registration, byRegCountry, orgs);
        if (reg && (best === null || RANK[reg.action] > RANK[best.action])) best = reg;
      }
      return best;
    },
  };
}

function registrationVerdict(r: RegistrationFacts, byCountry: Map<string, GeoAction>, orgs: { needle: string; action: GeoAction }[]): GeoVerdict | null {
  let best: GeoVerdict | null = null;
  const c = r.country !== null ? byCountry.get(r.country.toUpperCase()) : undefined;
  // A registrant cannot be stripped from an answer: strip on a registration blocks.
  if (c !== undefined) best = { action: c === 'flag' ? 'flag' : 'block', detail: `geo:registrant:${r.country!.toUpperCase()}`, offending: [] };
  const org = r.org?.toLowerCase() ?? '';
  for (const o of org ? orgs : []) {
    if (!org.includes(o.needle)) continue;
    const action: GeoAction = o.action === 'flag' ? 'flag' : 'block';
    if (best === null || RANK[action] > RANK[best.action]) best = { action, detail: `geo:org:${o.needle}`, offending: [] };
  }
  return best;
}
