/**
 * One RDAP lookup: the registry's `domain/<name>` (RFC 9082 §3.1.3), then the registrar's record
 * through the `related` link, merged into one Registration. For .com/.net the registry is
 * "thin" (Verisign publishes no registrant), so the registrar hop is where the organisation is.
 * At most `maxHops` requests per lookup, redirects included (RFC 7480 §5.2 allows redirects).
 */
import type { FetchJson, FetchResult } from './http.js';
import { createdDate, registrantOf, registrantRedacted, registrarName, relatedLink } from './rdap-parse.js';
import { emptyRegistration, type Registration } from './types.js';

/** What a lookup needs from its owner. */
export interface RdapDeps {
  fetchJson: FetchJson;
  timeoutMs: number;
  maxBytes: number;
  maxHops: number;
  now(): number;
  /** Until when (ms, real clock) a host asked us to wait; 0 when it did not. */
  blockedUntil(host: string): number;
  signal?: AbortSignal;
}

/** A lookup's result plus what the scheduler must know: a host to back off from, a retry. */
export interface Outcome {
  reg: Registration;
  /** A 429 (or a host still backing off): try again after the host's backoff. */
  retry: boolean;
  backoff?: { host: string; retryAfterMs: number | null };
  /** HTTP requests actually sent. */
  requests: number;
}

type Hop =
  | { kind: 'res'; res: FetchResult; url: string; host: string }
  | { kind: 'blocked'; host: string }
  | { kind: 'hops' };

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

/** Looks `domain` up at the registry whose RDAP base URL is `base`. Never throws. */
export async function rdapLookup(domain: string, base: string, deps: RdapDeps): Promise<Outcome> {
  let hops = 0;
  let requests = 0;
  const hop = async (start: string): Promise<Hop> => {
    let url = start;
    while (hops < deps.maxHops) {
      const host = hostOf(url);
      if (deps.blockedUntil(host) > Date.now()) return { kind: 'blocked', host };
      hops++;
      requests++;
      const res = await deps.fetchJson(url, { timeoutMs: deps.timeoutMs, maxBytes: deps.maxBytes, signal: deps.signal });
      if (res.kind !== 'redirect') return { kind: 'res', res, url, host };
      url = res.location;
    }
    return { kind: 'hops' };
  };
  const fail = (status: Registration['status'], reason: string, extra: Partial<Outcome> = {}): Outcome => ({
    reg: emptyRegistration(domain, status, 'rdap', deps.now(), reason),
    retry: false,
    requests,
    ...extra,
  });

  const registry = await hop(`${base}domain/${encodeURIComponent(domain)}`);
  if (registry.kind === 'blocked') return fail('error', 'rate limited', { retry: true });
  if (registry.kind === 'hops') return fail('unavailable', 'too many redirects');
  if (registry.res.kind !== 'ok') {
    const [status, reason, retry] = failure(registry.res);
    const backoff = retry ? { host: registry.host, retryAfterMs: retryAfter(registry.res) } : undefined;
    return fail(status, reason, { retry, backoff });
  }
  const registryDoc = registry.res.json;

  let registrarDoc: unknown = null;
  let note: { status: Registration['status']; reason: string } | null = null;
  let retry = false;
  let backoff: Outcome['backoff'];
  const link = relatedLink(registryDoc, registry.url);
  if (link) {
    const registrar = await hop(link);
    if (registrar.kind === 'res' && registrar.res.kind === 'ok') registrarDoc = registrar.res.json;
    else if (registrar.kind === 'blocked') [note, retry] = [{ status: 'error', reason: 'registrar: rate limited' }, true];
    else if (registrar.kind === 'hops') note = { status: 'unavailable', reason: 'registrar: too many hops' };
    else {
      const [status, reason, again] = failure(registrar.res);
      [note, retry] = [{ status, reason: `registrar: ${reason}` }, again];
      if (again) backoff = { host: registrar.host, retryAfterMs: retryAfter(registrar.res) };
    }
  }
  return { reg: merge(domain, registryDoc, registrarDoc, note, deps.now()), retry, backoff, requests };
}

/** Status, reason and whether to retry for a non-ok answer. 404 is a fact (unavailable, 1 day);
 * 5xx and network failures are errors (1 hour); 429 is retried after the host's backoff. */
function failure(res: FetchResult): [Registration['status'], string, boolean] {
  if (res.kind === 'http') {
    if (res.status === 429) return ['error', 'rate limited (429)', true];
    if (res.status === 404) return ['unavailable', 'not found (404)', false];
    return [res.status >= 500 ? 'error' : 'unavailable', `HTTP ${res.status}`, false];
  }
  if (res.kind === 'failed') return [res.network ? 'error' : 'unavailable', res.reason, false];
  return ['unavailable', 'unexpected answer', false];
}

function retryAfter(res: FetchResult): number | null {
  return res.kind === 'http' ? res.retryAfterMs : null;
}

/** Merges registry and registrar records: the registrar's registrant first (it holds the
 * contact data for thin registries), the registry's registrar name and dates first (it is
 * authoritative for them). A placeholder or an RFC 9537 redaction makes it "withheld". */
function merge(
  domain: string,
  registryDoc: unknown,
  registrarDoc: unknown,
  note: { status: Registration['status']; reason: string } | null,
  fetchedAt: number,
): Registration {
  const docs = registrarDoc ? [registrarDoc, registryDoc] : [registryDoc];
  const found = docs.map(registrantOf);
  const chosen = found.find((r) => r.org) ?? found.find((r) => r.present) ?? null;
  const redacted = docs.some(registrantRedacted) || found.some((r) => r.placeholder);
  const reg: Registration = {
    domain,
    status: 'found',
    registrant: chosen ? { org: chosen.org, country: chosen.country, region: chosen.region } : null,
    registrar: registrarName(registryDoc) ?? (registrarDoc ? registrarName(registrarDoc) : null),
    created: createdDate(registryDoc) ?? (registrarDoc ? createdDate(registrarDoc) : null),
    source: 'rdap',
    fetchedAt,
  };
  if (chosen?.org) return reg;
  if (redacted) return { ...reg, status: 'withheld', reason: 'privacy' };
  if (note) return { ...reg, status: note.status, reason: note.reason };
  if (chosen) return { ...reg, status: 'withheld', reason: 'no organisation published' };
  return { ...reg, status: 'unavailable', reason: 'no registrant published' };
}
