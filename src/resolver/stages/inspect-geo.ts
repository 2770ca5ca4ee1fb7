/**
 * The inspect stage's geography check: where the answer lands (each address's country and
 * network, looked up once per cached entry and kept in its facts) and who registered the name,
 * judged by the asking device's geo rules on every answer, cached or fresh — devices with
 * different rules share the cache entry (facts, not verdicts, are cached).
 *
 *   flag   q.flag names the rule's match; the answer goes out unchanged
 *   strip  the offending addresses are dropped when others remain (never for DO clients:
 *          the RRSIG would break, so they get the block answer); all offending → block
 *   block  the block answer, as for a blocked name
 * A name whose registration is not known yet passes and is flagged `geo:registration-pending`;
 * the lookup runs in the background and later queries are decided (docs/geo.md).
 */
import { serveEntry } from '../../cache/serve.js';
import { blockedReply, type BlockMode } from '../../dns/policy-reply.js';
import { stripAddresses } from '../../dns/strip.js';
import type { Device } from '../../devices/registry.js';
import type { AddressGeo, GeoPolicy, RegistrationFacts } from '../../geo/geo-policy.js';
import { NEXT, reply, type Query, type Verdict } from '../query.js';
import type { AnswerCheck } from './inspect.js';

export interface GeoCheckOptions {
  /** Country and network of an address (geo.lookup: LRU-cached, never throws). */
  lookup: (ip: string) => AddressGeo;
  /** The device's compiled geo rules (null: none — the common case costs one call). */
  policyOf: (device: Device | null) => GeoPolicy | null;
  /** Registration of the question's domain: facts, null (none published), or 'pending'. */
  registrationOf?: (nameWire: string) => RegistrationFacts | null | 'pending';
  blockMode: BlockMode;
  blockTtl: number;
}

/** Creates the geo check. */
export function geoCheck(options: GeoCheckOptions): AnswerCheck {
  const { lookup, policyOf, registrationOf, blockMode, blockTtl } = options;
  return function geo(q: Query): Verdict {
    const policy = policyOf(q.device as Device | null);
    if (policy === null || q.allowed) return NEXT;
    const facts = q.answer!.facts!;
    if (facts.geo === null) facts.geo = facts.addresses.map(lookup);
    let registration: RegistrationFacts | null = null;
    if (policy.usesRegistration && registrationOf) {
      const r = registrationOf(q.nameWire);
      if (r === 'pending') q.flag ||= 'geo:registration-pending';
      else registration = r;
    }
    const v = policy.decide(facts.geo, registration);
    if (v === null) return NEXT;
    if (v.action === 'flag') {
      q.flag = v.detail;
      return NEXT;
    }
    const some = v.offending.length > 0 && v.offending.length < facts.addresses.length;
    if (v.action === 'strip' && some && !q.dnssecOk) {
      const full = serveEntry(q, q.answer!, q.receivedAt, q.reason === 'stale');
      const stripped = stripAddresses(full, new Set(v.offending));
      if (stripped !== null) {
        q.flag = `${v.detail} (stripped ${v.offending.length} of ${facts.addresses.length})`;
        return reply(stripped, q.reason);
      }
    }
    q.detail = v.detail;
    return reply(blockedReply(q, blockMode, blockTtl), 'blocked');
  };
}
