/**
 * upstream: asks the upstreams for what the cache did not have, and stores their answer.
 *
 * - The query sent upstream is our own: the client's name (lowercased), type and class, RD, AD
 *   (so validating upstreams tell us, RFC 6840 §5.7), the client's CD, and telemute's own OPT
 *   (UDP size 1232, the client's DO bit) with none of the client's options (OPT is per hop,
 *   RFC 6891 §6.1.1: a MAC from dnsmasq's add-mac never leaves the house).
 * - Identical queries in flight share one upstream exchange (coalescing).
 * - Deadlines: a stale answer is served after `staleAfterMs` without an answer (RFC 8767 §5:
 *   1.8 s), SERVFAIL after `deadlineMs` (the client's own retry is ~5 s away; we answer first).
 */
import { EDE, FLAG3, RCODE } from '../../dns/constants.js';
import { buildQuery } from '../../dns/query.js';
import { errorReply } from '../../dns/reply.js';
import { makeEntry, type CacheLimits, type CachedAnswer } from '../../cache/entry.js';
import type { CacheStore } from '../../cache/store.js';
import type { UpstreamSet } from '../../upstream/upstream-set.js';
import { ANSWERED, reply, type Query, type Verdict } from '../query.js';
import type { Stage } from '../pipeline.js';

export interface UpstreamStageOptions {
  upstreams: UpstreamSet;
  store: CacheStore;
  limits: CacheLimits;
  /** How long a name that failed is answered SERVFAIL without asking again, s (RFC 9520: 1 s to 5 min). */
  failureTtl: number;
  deadlineMs?: number;
  staleAfterMs?: number;
  now?: () => number;
}

/** A fetched answer and who gave it. */
interface Fetched {
  entry: CachedAnswer;
  upstream: string;
}

/** Creates the upstream stage. */
export function upstreamStage(options: UpstreamStageOptions): Stage {
  const { store, limits } = options;
  const now = options.now ?? Date.now;
  const deadlineMs = options.deadlineMs ?? 2800;
  const staleAfterMs = options.staleAfterMs ?? 1800;
  const inflight = new Map<string, Promise<Fetched | null>>();

  async function fetch(q: Query): Promise<Fetched | null> {
    const set = q.upstreams ?? options.upstreams;
    const result = await set.resolve(upstreamQuery(q), q.receivedAt + deadlineMs);
    const t = now();
    if (result === null || result.scan.rcode === RCODE.SERVFAIL) store.markFailed(q.key, t + options.failureTtl * 1000);
    if (result === null) return null;
    const entry = makeEntry(q.key, result.response, result.scan, t, limits);
    store.put(entry);
    return { entry, upstream: result.upstream.url };
  }

  function shared(q: Query): Promise<Fetched | null> {
    let p = inflight.get(q.key);
    if (p === undefined) {
      p = fetch(q);
      inflight.set(q.key, p);
      const key = q.key;
      const done = () => inflight.delete(key);
      p.then(done, done);
    }
    return p;
  }

  function settle(q: Query, f: Fetched | null): Verdict {
    // RFC 8767 §4: an answer that is a failure (SERVFAIL, REFUSED) is replaced by the stale one.
    const failure = f !== null && (f.entry.rcode === RCODE.SERVFAIL || f.entry.rcode === RCODE.REFUSED);
    if (f !== null && (!failure || q.stale === null)) {
      q.answer = f.entry;
      q.upstream = f.upstream;
      q.reason = f.entry.rcode === RCODE.SERVFAIL ? 'servfail' : 'resolved';
      return ANSWERED;
    }
    if (q.stale !== null) return serveStale(q);
    q.detail = 'no upstream answered';
    return reply(errorReply(q, RCODE.SERVFAIL, { ede: { code: EDE.NO_REACHABLE_AUTHORITY } }), 'servfail');
  }

  function serveStale(q: Query): Verdict {
    q.answer = q.stale;
    q.reason = 'stale';
    return ANSWERED;
  }

  return {
    name: 'upstream',
    onError: 'servfail',
    when: 'question',
    run: function upstream(q: Query): Promise<Verdict> {
      const p = shared(q);
      if (q.stale === null) return p.then((f) => settle(q, f));
      // RFC 8767 §5: answer from the stale entry if the upstreams are slow; the fetch goes on and refreshes the cache.
      return new Promise((resolve) => {
        let served = false;
        const timer = setTimeout(() => {
          served = true;
          resolve(serveStale(q));
        }, Math.max(0, q.receivedAt + staleAfterMs - now()));
        const arrived = (f: Fetched | null) => {
          if (served) return; // q has been answered: it must not change under the record stage
          clearTimeout(timer);
          resolve(settle(q, f));
        };
        p.then(arrived, () => arrived(null));
      });
    },
  };
}

/** Our upstream query for q's question. */
export function upstreamQuery(q: Query): Buffer {
  return buildQuery({ nameWire: q.nameWire, qtype: q.qtype, qclass: q.qclass, dnssecOk: q.dnssecOk, checkingDisabled: (q.raw[3] & FLAG3.CD) !== 0 });
}
