/**
 * respond: makes the bytes that go back to the client. An answer from the cache or an upstream is
 * served by copy-and-patch (see cache/serve.ts); a reply that does not fit the client's UDP size
 * becomes a truncated reply (TC, question only) so the client retries over TCP (RFC 7766 §5).
 */
import { RCODE } from '../../dns/constants.js';
import { errorReply, truncatedReply } from '../../dns/reply.js';
import { serveEntry } from '../../cache/serve.js';
import { NEXT, type Query, type Verdict } from '../query.js';
import type { Stage } from '../pipeline.js';

/** Creates the respond stage. */
export function respondStage(now?: () => number): Stage {
  return {
    name: 'respond',
    onError: 'servfail',
    when: 'always',
    run: function respond(q: Query): Verdict {
      // Age from the query's arrival (an answer fetched for this very query is never aged), unless a test injects a clock.
      if (q.answer !== null && q.reply === null) q.reply = serveEntry(q, q.answer, now === undefined ? q.receivedAt : now(), q.reason === 'stale');
      if (q.reply === null) {
        // Every stage answered NEXT without an answer: a wiring bug, but the client still gets a reply.
        q.reply = errorReply(q, RCODE.SERVFAIL);
        q.reason = 'servfail';
      }
      if (q.transport === 'udp' && q.reply.length > q.maxSize) q.reply = truncatedReply(q, q.reply);
      return NEXT;
    },
  };
}
