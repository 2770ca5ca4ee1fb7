/**
 * inspect: learns what an answer contains — its CNAME chain and the addresses it lands on — once
 * per cached entry, and keeps them with it as facts (later: country and network of each address).
 * Per-device decisions on those facts (cloaked trackers, geo policy) plug in here; they run on
 * every answer, cached or fresh, without decoding the message again.
 */
import { answerFacts } from '../../cache/entry.js';
import { blockedReply, type BlockMode } from '../../dns/policy-reply.js';
import type { Device } from '../../devices/registry.js';
import type { Decision } from '../../policy/decide.js';
import { NEXT, reply, type Query, type Verdict } from '../query.js';
import type { Stage } from '../pipeline.js';

/** Decides on an answer's facts for one query; returns a verdict (reply to block) or NEXT. */
export type AnswerCheck = (q: Query) => Verdict;

/** Creates the inspect stage with the given checks (none yet: facts only). */
export function inspectStage(checks: AnswerCheck[] = []): Stage {
  return {
    name: 'inspect',
    onError: 'skip', // a broken inspection leaves the answer as it is
    when: 'answer',
    run: function inspect(q: Query): Verdict {
      const a = q.answer!;
      if (a.facts === null) a.facts = answerFacts(a.wire);
      for (const check of checks) {
        const v = check(q);
        if (v.kind !== 'next') return v;
      }
      return NEXT;
    },
  };
}

export interface CnameCheckOptions {
  /** The engine's decision on a chain of CNAME targets for a device (null: none is blocked). */
  checkChain: (targets: readonly string[], device: Device | null) => Decision | null;
  blockMode: BlockMode;
  blockTtl: number;
}

/**
 * Cloaked trackers: a name the policy let through whose answer is a CNAME to a blocked name
 * (`metrics.example.org CNAME example.tracker-cdn.net`) is blocked as if asked for directly.
 * Every target is checked, on every answer (cached ones too: the device may differ); a name the
 * owner allowed is not (an allow covers where it leads). The chain itself reaches the log.
 */
export function cnameCheck(options: CnameCheckOptions): AnswerCheck {
  const { checkChain, blockMode, blockTtl } = options;
  return function cname(q: Query): Verdict {
    const targets = q.answer!.facts!.cnameWires;
    if (targets.length === 0 || q.allowed) return NEXT;
    const d = checkChain(targets, q.device as Device | null);
    if (d === null) return NEXT;
    q.detail = `${d.detail} (via CNAME)`;
    return reply(blockedReply(q, blockMode, blockTtl), 'blocked');
  };
}
