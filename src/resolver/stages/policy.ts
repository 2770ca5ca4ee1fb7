/**
 * policy: asks the policy engine (src/policy/engine.ts) about the question's name for the device
 * that asked, and turns its decision into a verdict: a block reply, a canary's NXDOMAIN, a
 * SafeSearch rewrite, a flag for the log, or an allow that exempts the answer from inspection.
 * Before the cache: a new block applies at once to names already cached, and devices with
 * different policies share one cache entry.
 */
import { scanMessage } from '../../dns/message.js';
import { TYPE } from '../../dns/constants.js';
import { blockedReply, cnameReply, nxdomainReply, type BlockMode } from '../../dns/policy-reply.js';
import type { Device } from '../../devices/registry.js';
import type { Decision } from '../../policy/decide.js';
import { NEXT, reply, type Query, type Verdict } from '../query.js';
import type { Stage } from '../pipeline.js';

export interface PolicyStageOptions {
  /** The engine's decision for a wire name and a device (null: nothing to do). */
  decide: (wire: string, device: Device | null) => Decision | null;
  blockMode: BlockMode;
  /** TTL of block answers, s. */
  blockTtl: number;
  /** Resolves a name internally (cache, then upstreams) for rewrites; the reply bytes, or null. */
  resolve?: (wire: string, qtype: number) => Promise<Buffer | null>;
}

/** TTL of SafeSearch rewrites, s: the engines' own records live about this long. */
const REWRITE_TTL = 300;

/** Creates the policy stage. */
export function policyStage(options: PolicyStageOptions): Stage {
  const { decide, blockMode, blockTtl } = options;
  return {
    name: 'policy',
    onError: 'skip', // fail open: a policy bug must not cut the house off
    when: 'question',
    run: function policy(q: Query): Verdict | Promise<Verdict> {
      const d = decide(q.nameWire, q.device as Device | null);
      if (d === null) return NEXT;
      switch (d.action) {
        case 'allow':
          q.allowed = true;
          q.detail = d.detail;
          return NEXT;
        case 'flag':
          q.flag = d.detail;
          return NEXT;
        case 'block':
          q.detail = d.detail;
          return reply(blockedReply(q, blockMode, blockTtl), 'blocked');
        case 'nxdomain':
        case 'nodata':
          q.detail = d.detail;
          return reply(nxdomainReply(q, blockTtl, undefined, d.action === 'nodata'), 'blocked');
        case 'rewrite':
          q.detail = d.detail;
          return rewrite(q, d.target, options.resolve);
      }
    },
  };
}

/** `name CNAME target` + the target's addresses; the target resolved like any other name. */
async function rewrite(q: Query, target: string, resolve: PolicyStageOptions['resolve']): Promise<Verdict> {
  const wantsAddress = q.qtype === TYPE.A || q.qtype === TYPE.AAAA;
  const addresses: { bytes: Uint8Array; type: number }[] = [];
  if (wantsAddress && resolve) {
    const answer = await resolve(target, q.qtype);
    const scan = answer ? scanMessage(answer) : null;
    for (const r of scan?.records ?? []) {
      if (r.section === 0 && r.type === q.qtype) addresses.push({ bytes: answer!.subarray(r.rdataOffset, r.rdataOffset + r.rdataLength), type: r.type });
    }
  }
  return reply(cnameReply(q, target, addresses, REWRITE_TTL), 'local');
}
