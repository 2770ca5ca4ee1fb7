/**
 * A cached answer: the upstream's reply as wire bytes, minus its OPT record (OPT is per hop,
 * RFC 6891 §6.1.1), with ID 0, and the offsets of every TTL so a hit can count them down without
 * decoding the message. Served by copying: an entry is shared and never changed after it is made.
 */
import { nameToWire } from '../dns/name.js';
import { RCODE, TYPE } from '../dns/constants.js';
import { readAddress, readName, readTtl, scanMessage, writeTtl, type MessageScan } from '../dns/message.js';

export interface CacheLimits {
  /** Lowest TTL an entry is kept for, seconds (answers with a lower TTL are raised to it). */
  minTtl: number;
  /** Highest TTL, seconds. */
  maxTtl: number;
  /** Highest TTL of NXDOMAIN/NODATA, seconds. */
  negativeMaxTtl: number;
  /** How long past expiry an entry may still be served stale (RFC 8767), seconds; 0 = never. */
  staleTtl: number;
}

/** Facts about an answer, found once (inspect stage) and kept with the entry. */
export interface AnswerFacts {
  /** CNAME targets in chain order. */
  cnames: string[];
  /** The same targets as lowercase wire names (what the policy engine looks up). */
  cnameWires: string[];
  /** A/AAAA addresses of the answer section. */
  addresses: string[];
  /** Country and network of each address (same order), found on first use; null until then. */
  geo: { country: string | null; asn: number | null; org: string | null }[] | null;
}

export interface CachedAnswer {
  key: string;
  /** The message without OPT, ID 0. Never modified once made. */
  wire: Buffer;
  /** Offsets of the TTL field of every record in `wire`. */
  ttlOffsets: number[];
  rcode: number;
  storedAt: number;
  expiresAt: number;
  staleUntil: number;
  /** Whether the entry may be stored (REFUSED, NOTIMP, FORMERR and TTL 0 are passed on, not kept). */
  cacheable: boolean;
  /** LRU bookkeeping: the store's tick when the entry was last moved to the young end. */
  touched: number;
  facts: AnswerFacts | null;
}

/** Turns an upstream reply into a cache entry. `scan` is the reply's scan (done by the transport). */
export function makeEntry(key: string, response: Buffer, scan: MessageScan, now: number, limits: CacheLimits): CachedAnswer {
  const { wire, kept } = withoutOpt(response, scan);
  wire[0] = 0;
  wire[1] = 0;
  const ttlOffsets = kept.map((r) => r.ttlOffset);
  const answers = kept.filter((r) => r.section === 0).length;
  let ttl: number;
  let cacheable = true;
  if (scan.rcode === RCODE.NOERROR && answers > 0) {
    ttl = clamp(minTtl(wire, ttlOffsets), limits.minTtl, limits.maxTtl);
    for (const off of ttlOffsets) writeTtl(wire, off, clamp(readTtl(wire, off), limits.minTtl, limits.maxTtl));
  } else if (scan.rcode === RCODE.NOERROR || scan.rcode === RCODE.NXDOMAIN) {
    const soa = kept.find((r) => r.section === 1 && r.type === TYPE.SOA && r.rdataLength >= 22);
    // RFC 2308 §5: negative TTL = min(SOA TTL, SOA MINIMUM); without an SOA, do not cache.
    ttl = soa ? Math.min(readTtl(wire, soa.ttlOffset), readTtl(wire, soa.rdataOffset + soa.rdataLength - 4), limits.negativeMaxTtl) : 0;
    for (const off of ttlOffsets) writeTtl(wire, off, Math.min(readTtl(wire, off), ttl));
  } else {
    ttl = 0;
    cacheable = false;
  }
  if (ttl === 0) cacheable = false;
  const expiresAt = now + ttl * 1000;
  return {
    key,
    wire,
    ttlOffsets,
    rcode: scan.rcode,
    storedAt: now,
    expiresAt,
    staleUntil: cacheable ? expiresAt + limits.staleTtl * 1000 : expiresAt,
    cacheable,
    touched: 0,
    facts: null,
  };
}

/** A copy of the message without its OPT record (and any record after it, which OPT normally ends). */
function withoutOpt(response: Buffer, scan: MessageScan) {
  if (scan.optIndex < 0) return { wire: ownCopy(response), kept: scan.records };
  const opt = scan.records[scan.optIndex];
  const kept = scan.records.slice(0, scan.optIndex);
  const wire = ownCopy(response.subarray(0, opt.offset));
  // Records after OPT are dropped rather than moved: compression pointers into them would break.
  wire.writeUInt16BE(kept.filter((r) => r.section === 2).length, 10);
  return { wire, kept };
}

/**
 * A copy in its own memory. Buffer.from would carve small copies out of Node's shared 8 KiB pool,
 * and one long-lived cache entry keeps its whole slab alive: 10 000 entries could pin 80 MB.
 */
export function ownCopy(bytes: Uint8Array): Buffer {
  const out = Buffer.allocUnsafeSlow(bytes.length);
  out.set(bytes);
  return out;
}

function minTtl(wire: Buffer, offsets: number[]): number {
  let min = 0x7fffffff;
  for (const off of offsets) min = Math.min(min, readTtl(wire, off));
  return min;
}

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

/** Finds the CNAME chain and the addresses of an answer (once per entry: kept as its facts). */
export function answerFacts(wire: Buffer): AnswerFacts {
  const facts: AnswerFacts = { cnames: [], cnameWires: [], addresses: [], geo: null };
  const scan = scanMessage(wire);
  if (!scan) return facts;
  for (const r of scan.records) {
    if (r.section !== 0) break;
    if (r.type === TYPE.CNAME) {
      const target = readName(wire, r.rdataOffset);
      const targetWire = target ? nameToWire(target) : null;
      if (target && targetWire !== null) {
        facts.cnames.push(target.toLowerCase());
        facts.cnameWires.push(targetWire);
      }
    } else if (r.type === TYPE.A || r.type === TYPE.AAAA) {
      const a = readAddress(wire, r);
      if (a) facts.addresses.push(a);
    }
  }
  return facts;
}

/** Bytes an entry costs in the heap: the wire bytes, the key and the object (≈ 200 B measured). */
export function entrySize(e: CachedAnswer): number {
  return e.wire.length + e.key.length + e.ttlOffsets.length * 8 + 200;
}

