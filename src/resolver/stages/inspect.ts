/**
 * inspect: learns what an answer contains — its CNAME chain and the addresses it lands on — once
 * per cached entry, and keeps them with it as facts (later: country and network of each address).
 * Per-device decisions on those facts (cloaked trackers, geo policy) plug in here; they run on
 * every answer, cached or fresh, without decoding the message again.
 */
import { answerFacts } from '../../cache/entry.js';
import { NEXT, type Query, type Verdict } from '../query.js';
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
