/**
 * policy: blocks names on the blocklists, and their subdomains. The suffix match walks the
 * query's labels and looks each suffix up in a Set of wire names: O(labels), no decoding.
 * Blocked A/AAAA queries get 0.0.0.0 / :: and other types NODATA (what devices handle best,
 * without retry storms), with a short TTL and EDE 15 "Blocked" for clients that speak EDNS.
 * (Per-device policies, catalogs and rules arrive with the policy engine; this is its seam.)
 */
import { EDE, RCODE, TYPE } from '../../dns/constants.js';
import { addressRecord, buildReply } from '../../dns/reply.js';
import { NEXT, reply, type Query, type Verdict } from '../query.js';
import type { Stage } from '../pipeline.js';

export interface PolicyStageOptions {
  /** Blocked names as lowercase wire strings. */
  blocked: Set<string>;
  /** TTL of block answers, s. */
  blockTtl?: number;
}

/** Creates the policy stage. */
export function policyStage(options: PolicyStageOptions): Stage {
  const { blocked } = options;
  const ttl = options.blockTtl ?? 10;
  const zeroA = addressRecord(new Uint8Array(4), ttl);
  const zeroAAAA = addressRecord(new Uint8Array(16), ttl);
  const opt = { ede: { code: EDE.BLOCKED } };
  // Lists rarely hold a bare TLD: when none does, the last suffix need not be looked up.
  let hasTld = false;
  for (const w of blocked) if (w.charCodeAt(w.charCodeAt(0) + 1) === 0) hasTld = true;
  return {
    name: 'policy',
    onError: 'skip', // fail open: a policy bug must not cut the house off
    when: 'question',
    run: function policy(q: Query): Verdict {
      if (blocked.size === 0) return NEXT;
      const rule = matchSuffix(q.nameWire, blocked, hasTld);
      if (rule === null) return NEXT;
      q.detail = rule;
      const records = q.qtype === TYPE.A ? zeroA : q.qtype === TYPE.AAAA ? zeroAAAA : undefined;
      return reply(buildReply(q, { rcode: RCODE.NOERROR, records, answerCount: records ? 1 : 0, opt }), 'blocked');
    },
  };
}

/** The longest suffix of `wire` found in `set`, or null; `withTld` false skips the one-label suffix. */
export function matchSuffix(wire: string, set: Set<string>, withTld = true): string | null {
  for (let i = 0; i < wire.length; ) {
    const len = wire.charCodeAt(i);
    if (len === 0 || (!withTld && wire.charCodeAt(i + len + 1) === 0)) return null;
    const suffix = i === 0 ? wire : wire.slice(i);
    if (set.has(suffix)) return suffix;
    i += len + 1;
  }
  return null;
}
