/**
 * Reading DNS messages from wire bytes without decoding them into objects.
 *
 * Why not dns2 here: its decoder drops unknown EDNS options and re-encoding is O(n²) and lossy
 * (../shared/FACTS.md §1). telemute forwards and caches upstream answers as bytes; it only needs
 * to know where each record sits (to patch TTLs, strip OPT, read CNAME targets and addresses).
 */
import { HEADER_SIZE, TYPE } from './constants.js';
import { escapeLabelByte, nameToWire } from './name.js';

/** Largest number of RRs we index in one message; more is treated as malformed (64 KiB / 11 B). */
const MAX_RRS = 6000;

/** Offset just past the (possibly compressed) name at `off`, or -1 if it runs off the buffer. */
export function skipName(buf: Uint8Array, off: number): number {
  let len = 0;
  while (off < buf.length) {
    const b = buf[off];
    if (b === 0) return off + 1;
    if ((b & 0xc0) === 0xc0) return off + 2 <= buf.length ? off + 2 : -1;
    if (b & 0xc0) return -1; // 0x40/0x80 label types are obsolete (RFC 6891 §5)
    len += b + 1;
    if (len > 254) return -1; // with the root octet, a name is at most 255 (RFC 1035 §2.3.4)
    off += b + 1;
  }
  return -1;
}

/**
 * Reads the name at `off` (following compression pointers) in presentation form, lowercase
 * kept as on the wire, with RFC 1035 §5.1 escapes for dots and non-printable bytes.
 * Returns null for a malformed name (pointer loop, out of bounds, > 255 octets).
 */
export function readName(buf: Uint8Array, off: number): string | null {
  let out = '';
  let total = 0;
  let jumps = 0;
  while (off < buf.length) {
    const b = buf[off];
    if (b === 0) return out === '' ? '.' : out;
    if ((b & 0xc0) === 0xc0) {
      if (off + 1 >= buf.length || ++jumps > 64) return null;
      const target = ((b & 0x3f) << 8) | buf[off + 1];
      if (target >= off) return null; // pointers must point backwards: no loops
      off = target;
      continue;
    }
    if (b & 0xc0) return null;
    total += b + 1;
    if (total > 254 || off + 1 + b > buf.length) return null;
    if (out !== '') out += '.';
    for (let i = off + 1; i <= off + b; i++) out += escapeLabelByte(buf[i]);
    off += b + 1;
  }
  return null;
}


/**
 * The name at `off` (compression pointers followed) as an uncompressed, lowercase wire name
 * (latin1 string, the form lookups use), or null if it is malformed. For copying a name out of a
 * message it is not kept in (a pointer would lead elsewhere there).
 */
export function readNameWire(buf: Uint8Array, off: number): string | null {
  const name = readName(buf, off);
  return name === null ? null : nameToWire(name);
}

/** One resource record's position in a message. */
export interface RecordRef {
  /** Offset of the owner name. */
  offset: number;
  type: number;
  klass: number;
  /** Offset of the 32-bit TTL. */
  ttlOffset: number;
  rdataOffset: number;
  rdataLength: number;
  /** 0 answer, 1 authority, 2 additional. */
  section: 0 | 1 | 2;
}

/** Where everything in a message is. */
export interface MessageScan {
  id: number;
  rcode: number;
  questionEnd: number;
  qtype: number;
  qclass: number;
  records: RecordRef[];
  /** Index in `records` of the OPT pseudo-RR, or -1. */
  optIndex: number;
}

/** Indexes every record of a message; null if any part is malformed or there is not exactly one question. */
export function scanMessage(buf: Uint8Array): MessageScan | null {
  if (buf.length < HEADER_SIZE) return null;
  const qd = (buf[4] << 8) | buf[5];
  const counts = [(buf[6] << 8) | buf[7], (buf[8] << 8) | buf[9], (buf[10] << 8) | buf[11]];
  if (qd !== 1 || counts[0] + counts[1] + counts[2] > MAX_RRS) return null;
  let off = skipName(buf, HEADER_SIZE);
  if (off < 0 || off + 4 > buf.length) return null;
  const qtype = (buf[off] << 8) | buf[off + 1];
  const qclass = (buf[off + 2] << 8) | buf[off + 3];
  off += 4;
  const questionEnd = off;
  const records: RecordRef[] = [];
  let optIndex = -1;
  for (let section = 0 as 0 | 1 | 2; section < 3; section++) {
    for (let i = 0; i < counts[section]; i++) {
      const start = off;
      off = skipName(buf, off);
      if (off < 0 || off + 10 > buf.length) return null;
      const type = (buf[off] << 8) | buf[off + 1];
      const rdLen = (buf[off + 8] << 8) | buf[off + 9];
      const rdataOffset = off + 10;
      if (rdataOffset + rdLen > buf.length) return null;
      if (type === TYPE.OPT) {
        if (section !== 2 || optIndex >= 0) return null; // RFC 6891 §6.1.1: one OPT, in additional
        optIndex = records.length;
      }
      records.push({
        offset: start,
        type,
        klass: (buf[off + 2] << 8) | buf[off + 3],
        ttlOffset: off + 4,
        rdataOffset,
        rdataLength: rdLen,
        section,
      });
      off = rdataOffset + rdLen;
    }
  }
  const rcode = buf[3] & 0x0f;
  return { id: (buf[0] << 8) | buf[1], rcode, questionEnd, qtype, qclass, records, optIndex };
}

/** Reads a 32-bit TTL as an unsigned number, treating values with the top bit set as 0 (RFC 2181 §8). */
export function readTtl(buf: Uint8Array, off: number): number {
  const v = ((buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3]) >>> 0;
  return v > 0x7fffffff ? 0 : v;
}

/** Writes a 32-bit TTL. */
export function writeTtl(buf: Uint8Array, off: number, ttl: number): void {
  buf[off] = ttl >>> 24;
  buf[off + 1] = (ttl >>> 16) & 0xff;
  buf[off + 2] = (ttl >>> 8) & 0xff;
  buf[off + 3] = ttl & 0xff;
}

/** The IPv4 or IPv6 address in an A/AAAA record, as text. */
export function readAddress(buf: Uint8Array, rec: RecordRef): string | null {
  const o = rec.rdataOffset;
  if (rec.type === TYPE.A && rec.rdataLength === 4) return `${buf[o]}.${buf[o + 1]}.${buf[o + 2]}.${buf[o + 3]}`;
  if (rec.type === TYPE.AAAA && rec.rdataLength === 16) return ipv6Text(buf, o);
  return null;
}

/**
 * The RFC 5952 text of the 16 address bytes at `at`: lowercase hex, the longest run (2+) of zero
 * groups as "::", and an IPv4-mapped address with its dotted tail (::ffff:192.0.2.1), which is
 * also how Node prints addresses, so texts compare equal.
 */
export function ipv6Text(buf: Uint8Array, at: number): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((buf[at + i] << 8) | buf[at + i + 1]).toString(16));
  if (groups.slice(0, 5).every((g) => g === '0') && groups[5] === 'ffff') return `::ffff:${buf[at + 12]}.${buf[at + 13]}.${buf[at + 14]}.${buf[at + 15]}`;
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) [bestStart, bestLen] = [i, j - i];
    i = j;
  }
  if (bestStart < 0) return groups.join(':');
  return `${groups.slice(0, bestStart).join(':')}::${groups.slice(bestStart + bestLen).join(':')}`;
}
