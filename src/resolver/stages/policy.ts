/**
 * policy: blocks names on the blocklists, and their subdomains. The suffix match walks the
 * query's labels and looks each suffix up in a Set of wire names: O(labels), no decoding.
 * Blocked A/AAAA queries get 0.0.0.0 / :: and other types NODATA (what devices handle best,
 * without retry storms), with a short TTL and EDE 15 "Blocked" for clients that speak EDNS.
 * (Per-device policies, catalogs and rules arrive with the policy engine; this is its seam.)
 */
import { EDE, RCODE, TYPE } from '../../dns/constants.js';
import { addressRecord, buildReply } from '../../dns/reply.js';
import { buildSuffixFilter } from '../../policy/suffix-filter.js';
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
  const filter = buildSuffixFilter(blocked);
  return {
    name: 'policy',
    onError: 'skip', // fail open: a policy bug must not cut the house off
    when: 'question',
    run: function policy(q: Query): Verdict {
      if (blocked.size === 0) return NEXT;
      const rule = filter.match(q.nameWire);
      if (rule === null) return NEXT;
      q.detail = rule;
      const records = q.qtype === TYPE.A ? zeroA : q.qtype === TYPE.AAAA ? zeroAAAA : undefined;
      return reply(buildReply(q, { rcode: RCODE.NOERROR, records, answerCount: records ? 1 : 0, opt }), 'blocked');
    },
  };
}
