/**
 * record: counts every query by outcome once its reply is on its way. It runs after the send: a
 * slow log or statistics write must never delay the LAN's answer. The query log and the household
 * statistics (their own issue) hang off this stage; for now it keeps the counters the health
 * endpoint and the metrics show.
 */
import { NEXT, type Query, type Reason, type Verdict } from '../query.js';
import type { Stage } from '../pipeline.js';

export type Counters = Record<Exclude<Reason, 'pending'>, number> & { total: number };

/** Fresh counters, all zero. */
export function newCounters(): Counters {
  return { total: 0, cached: 0, resolved: 0, stale: 0, blocked: 0, local: 0, refused: 0, malformed: 0, servfail: 0, dropped: 0 };
}

/** Creates the record stage over `counters`, plus optional sinks (query log, statistics). */
export function recordStage(counters: Counters, sinks: ((q: Query) => void)[] = []): Stage {
  return {
    name: 'record',
    onError: 'skip',
    when: 'always',
    run: function record(q: Query): Verdict {
      counters.total++;
      if (q.reason !== 'pending') counters[q.reason]++;
      for (const sink of sinks) sink(q);
      return NEXT;
    },
  };
}
