/** Cache entries for stage tests, made by the real makeEntry from hand-built responses. */
import { makeEntry, type CacheLimits, type CachedAnswer } from '../../src/cache/entry.js';
import { scanMessage } from '../../src/dns/message.js';
import type { Query } from '../../src/resolver/query.js';
import { T, aRdata, buildResponse, type RecordSpec } from '../helpers/packets.js';

export const LIMITS: CacheLimits = { minTtl: 0, maxTtl: 86400, negativeMaxTtl: 3600, staleTtl: 3600 };

/** An entry answering q's question with `answers` (default one A record, TTL 60), stored at `now`. */
export function entryFor(q: Query, now: number, answers: RecordSpec[] = [{ type: T.A, ttl: 60, rdata: aRdata('192.0.2.1') }], rcode = 0): CachedAnswer {
  const response = buildResponse(q.raw, { answers, rcode, edns: {} });
  return makeEntry(q.key, response, scanMessage(response)!, now, LIMITS);
}
