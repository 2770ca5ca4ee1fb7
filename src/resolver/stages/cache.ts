/**
 * cache: answers from the answer cache. A fresh entry ends the question stages; an expired one is
 * kept on the query as a stale fallback for the upstream stage (RFC 8767); a name whose resolution
 * failed moments ago is not sent upstream again (RFC 9520 §3.2): it gets the stale answer if
 * there is one, else SERVFAIL.
 * Entries are written by the upstream stage when answers arrive (see upstream.ts).
 */
import { EDE, RCODE } from '../../dns/constants.js';
import { errorReply } from '../../dns/reply.js';
import type { CacheStore } from '../../cache/store.js';
import { ANSWERED, NEXT, reply, type Query, type Verdict } from '../query.js';
import type { Stage } from '../pipeline.js';

export interface CacheStageOptions {
  store: CacheStore;
  /** Serve expired entries when upstreams fail. */
  serveStale: boolean;
  /** A clock for tests; by default the query's arrival time is used (no clock read per stage). */
  now?: () => number;
}

/** Creates the cache lookup stage. */
export function cacheStage(options: CacheStageOptions): Stage {
  const { store, serveStale } = options;
  const now = options.now;
  return {
    name: 'cache',
    onError: 'skip', // a broken cache is a miss
    when: 'question',
    run: function cache(q: Query): Verdict {
      // The arrival time (the handler's one clock read per query), unless a test injects a clock.
      const t = now === undefined ? q.receivedAt : now();
      const e = store.get(q.key, t);
      if (e !== undefined && t < e.expiresAt) {
        q.answer = e;
        q.reason = 'cached';
        return ANSWERED;
      }
      if (e !== undefined && serveStale) q.stale = e;
      if (!store.hasFailed(q.key, t)) return NEXT;
      if (q.stale !== null) {
        q.answer = q.stale;
        q.reason = 'stale';
        return ANSWERED;
      }
      return reply(errorReply(q, RCODE.SERVFAIL, { ede: { code: EDE.NO_REACHABLE_AUTHORITY } }), 'servfail');
    },
  };
}
