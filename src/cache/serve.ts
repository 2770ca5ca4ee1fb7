/**
 * Turns a cached answer into the reply for one query, without decoding it: copy the shared bytes,
 * then patch the copy (ID, flags, the client's spelling of the name, TTLs counted down, a fresh
 * OPT). This is the cache-hit path: one allocation, one copy, a handful of writes.
 */
import { EDE, FLAG2, FLAG3, HEADER_SIZE } from '../dns/constants.js';
import { readTtl, writeTtl } from '../dns/message.js';
import { optRecord } from '../dns/reply.js';
import type { CachedAnswer } from './entry.js';

/** What serving needs to know about the query. */
export interface ServeQuery {
  raw: Buffer;
  questionEnd: number;
  hasOpt: boolean;
  dnssecOk: boolean;
}

/** TTL of a stale answer (RFC 8767 §4: 30 s is the recommended value). */
export const STALE_TTL = 30;

const OPT_PLAIN = optRecord(false);
const OPT_DO = optRecord(true);
const OPT_STALE = optRecord(false, 0, { ede: { code: EDE.STALE_ANSWER } });
const OPT_STALE_DO = optRecord(true, 0, { ede: { code: EDE.STALE_ANSWER } });

/** The reply bytes for `q` from entry `e` at time `now` (ms); `stale` serves an expired entry. */
export function serveEntry(q: ServeQuery, e: CachedAnswer, now: number, stale: boolean): Buffer {
  const wire = e.wire;
  const opt = !q.hasOpt ? null : stale ? (q.dnssecOk ? OPT_STALE_DO : OPT_STALE) : q.dnssecOk ? OPT_DO : OPT_PLAIN;
  const out = Buffer.allocUnsafe(wire.length + (opt === null ? 0 : opt.length));
  wire.copy(out, 0);
  const raw = q.raw;
  out[0] = raw[0];
  out[1] = raw[1];
  // We are not the authority for a forwarded answer (AA off), and we do recurse (RA on).
  out[2] = (wire[2] & ~(FLAG2.RD | FLAG2.TC | FLAG2.AA)) | (raw[2] & FLAG2.RD);
  // RFC 6840 §5.8: AD only for a client that asked for it (AD or DO); CD as the client sent it.
  const keepAd = raw[3] & FLAG3.AD || q.dnssecOk ? FLAG3.AD : 0;
  out[3] = (wire[3] & ~(FLAG3.AD | FLAG3.CD)) | (wire[3] & keepAd) | (raw[3] & FLAG3.CD) | FLAG3.RA;
  raw.copy(out, HEADER_SIZE, HEADER_SIZE, q.questionEnd);
  const offsets = e.ttlOffsets;
  if (stale) {
    for (let i = 0; i < offsets.length; i++) writeTtl(out, offsets[i], STALE_TTL);
  } else {
    const age = Math.floor((now - e.storedAt) / 1000);
    if (age > 0) {
      for (let i = 0; i < offsets.length; i++) {
        const ttl = readTtl(wire, offsets[i]) - age;
        writeTtl(out, offsets[i], ttl > 0 ? ttl : 0);
      }
    }
  }
  if (opt !== null) {
    opt.copy(out, wire.length);
    const ar = ((wire[10] << 8) | wire[11]) + 1;
    out[10] = ar >> 8;
    out[11] = ar & 0xff;
  }
  return out;
}
