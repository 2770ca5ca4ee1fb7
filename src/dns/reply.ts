/**
 * Builders for the replies telemute writes itself (errors, blocks, local answers). No stage builds
 * its own NXDOMAIN: they all come from here, so header flags and OPT handling are done once.
 *
 * Every reply copies the query's ID, RD and CD bits and its question bytes (so the client's
 * spelling of the name comes back, RFC 1035 §7.3 and 0x20-encoding resolvers), and carries an
 * OPT record exactly when the query did (RFC 6891 §7).
 */
import { CLASS_IN, EDNS_UDP_SIZE, FLAG2, FLAG3, HEADER_SIZE, RCODE } from './constants.js';

/** What a reply needs to know about its query. */
export interface QueryHead {
  raw: Uint8Array;
  questionEnd: number;
  hasOpt: boolean;
  dnssecOk: boolean;
}

export interface OptParts {
  /** Extended DNS Error (RFC 8914) info-code and optional text. */
  ede?: { code: number; text?: string };
}

/** The OPT pseudo-RR we send: our UDP size, version 0, the DO bit echoed (RFC 3225 §3). */
export function optRecord(dnssecOk: boolean, extendedRcode = 0, parts: OptParts = {}): Buffer {
  const text = parts.ede?.text ? Buffer.from(parts.ede.text, 'utf8') : null;
  const edeLen = parts.ede ? 4 + 2 + (text ? text.length : 0) : 0;
  const out = Buffer.alloc(11 + edeLen);
  out[0] = 0; // root owner name
  out.writeUInt16BE(41, 1);
  out.writeUInt16BE(EDNS_UDP_SIZE, 3);
  out[5] = extendedRcode;
  out[6] = 0; // version
  out[7] = dnssecOk ? 0x80 : 0;
  out.writeUInt16BE(edeLen, 9);
  if (parts.ede) {
    out.writeUInt16BE(15, 11);
    out.writeUInt16BE(2 + (text ? text.length : 0), 13);
    out.writeUInt16BE(parts.ede.code, 15);
    if (text) text.copy(out, 17);
  }
  return out;
}

export interface ReplyParts {
  rcode: number;
  /** Answer and authority records, already in wire form (names may point at offset 12). */
  records?: Buffer;
  answerCount?: number;
  authorityCount?: number;
  authoritative?: boolean;
  opt?: OptParts;
}

// OPT records without EDE text are few (DO × extended RCODE × EDE code): made once, then reused
// (read-only: they are copied into each reply). Saves an allocation per blocked answer.
const optMemo = new Map<number, Buffer>();
function sharedOpt(dnssecOk: boolean, extended: number, parts?: OptParts): Buffer {
  if (parts?.ede?.text) return optRecord(dnssecOk, extended, parts);
  const key = (parts?.ede ? parts.ede.code + 1 : 0) * 512 + extended * 2 + (dnssecOk ? 1 : 0);
  let opt = optMemo.get(key);
  if (opt === undefined) optMemo.set(key, (opt = optRecord(dnssecOk, extended, parts)));
  return opt;
}

/** Header + the query's question + records + OPT (when the query had one). */
export function buildReply(q: QueryHead, parts: ReplyParts): Buffer {
  const rcode = parts.rcode & 0x0f;
  const extended = parts.rcode >> 4;
  const opt = q.hasOpt ? sharedOpt(q.dnssecOk, extended, parts.opt) : null;
  const records = parts.records;
  const qlen = q.questionEnd - HEADER_SIZE;
  const size = q.questionEnd + (records ? records.length : 0) + (opt ? opt.length : 0);
  const out = Buffer.allocUnsafe(size);
  out[0] = q.raw[0];
  out[1] = q.raw[1];
  out[2] = FLAG2.QR | (parts.authoritative ? FLAG2.AA : 0) | (q.raw[2] & FLAG2.RD);
  out[3] = FLAG3.RA | (q.raw[3] & FLAG3.CD) | rcode;
  out.writeUInt16BE(qlen > 0 ? 1 : 0, 4);
  out.writeUInt16BE(parts.answerCount ?? 0, 6);
  out.writeUInt16BE(parts.authorityCount ?? 0, 8);
  out.writeUInt16BE(opt ? 1 : 0, 10);
  if (qlen > 0) out.set(q.raw.subarray(HEADER_SIZE, q.questionEnd), HEADER_SIZE);
  let off = q.questionEnd;
  if (records) {
    records.copy(out, off);
    off += records.length;
  }
  if (opt) opt.copy(out, off);
  return out;
}

/** A reply with no records: FORMERR, SERVFAIL, REFUSED, NOTIMP, BADVERS, NXDOMAIN without SOA. */
export function errorReply(q: QueryHead, rcode: number, opt?: OptParts): Buffer {
  return buildReply(q, { rcode, opt });
}

/**
 * A header-only reply for a query whose question could not be read (RFC 1035 §4.1.1 FORMERR):
 * nothing after the header can be trusted, so no question and no OPT are echoed.
 */
export function headerOnlyReply(raw: Uint8Array, rcode: number): Buffer {
  const out = Buffer.alloc(HEADER_SIZE);
  out[0] = raw[0];
  out[1] = raw[1];
  out[2] = FLAG2.QR | (raw[2] & (0x78 | FLAG2.RD)); // keep the opcode
  out[3] = FLAG3.RA | rcode;
  return out;
}

/**
 * The reply for an answer that does not fit the client's UDP size: header + question (+ OPT)
 * with TC set and no records, never a cut message (RFC 2181 §9), so the client retries over TCP.
 */
export function truncatedReply(q: QueryHead, full: Uint8Array): Buffer {
  const out = buildReply(q, { rcode: full[3] & 0x0f });
  out[2] = full[2] | FLAG2.TC;
  out[3] = full[3];
  return out;
}

/** One class IN resource record: `owner` (wire bytes or a compression pointer), type, TTL, RDATA. */
export function resourceRecord(owner: Uint8Array, type: number, ttl: number, rdata: Uint8Array): Buffer {
  const out = Buffer.alloc(owner.length + 10 + rdata.length);
  out.set(owner, 0);
  const o = owner.length;
  out.writeUInt16BE(type, o);
  out.writeUInt16BE(CLASS_IN, o + 2);
  out.writeUInt32BE(ttl, o + 4);
  out.writeUInt16BE(rdata.length, o + 8);
  out.set(rdata, o + 10);
  return out;
}

/** An A or AAAA record owned by the query name (compression pointer to offset 12). */
export function addressRecord(address: Uint8Array, ttl: number): Buffer {
  const out = Buffer.alloc(12 + address.length);
  out.writeUInt16BE(0xc00c, 0);
  out.writeUInt16BE(address.length === 4 ? 1 : 28, 2);
  out.writeUInt16BE(1, 4);
  out.writeUInt32BE(ttl, 6);
  out.writeUInt16BE(address.length, 10);
  out.set(address, 12);
  return out;
}

/** Wire bytes of a presentation-form name's labels, uncompressed (for synthetic records). */
function labelsWire(name: string): Buffer {
  const parts = name === '.' ? [] : name.replace(/\.$/, '').split('.');
  return Buffer.concat([...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p, 'latin1')])), Buffer.from([0])]);
}

const SOA_TAIL = (() => {
  const mname = labelsWire('localhost');
  const rname = labelsWire('nobody.invalid');
  const nums = Buffer.alloc(20);
  // serial, refresh, retry, expire, minimum (RFC 6303 §3 uses the same shape)
  [1, 3600, 1200, 604800, 300].forEach((n, i) => nums.writeUInt32BE(n, i * 4));
  return Buffer.concat([mname, rname, nums]);
})();

/**
 * A synthetic SOA for a locally served zone, owned by the zone apex. The apex is a suffix of the
 * query name, so it is written as a pointer into the question (offset 12 + `apexOffset`).
 */
export function soaRecord(apexOffset: number, ttl: number): Buffer {
  const out = Buffer.alloc(12 + SOA_TAIL.length);
  out.writeUInt16BE(0xc000 | (HEADER_SIZE + apexOffset), 0);
  out.writeUInt16BE(6, 2);
  out.writeUInt16BE(1, 4);
  out.writeUInt32BE(ttl, 6);
  out.writeUInt16BE(SOA_TAIL.length, 10);
  SOA_TAIL.copy(out, 12);
  return out;
}

/** NXDOMAIN (or NODATA with `nodata`) from a locally served zone, with its SOA for negative caching. */
export function localNegativeReply(q: QueryHead, apexOffset: number, nodata = false): Buffer {
  return buildReply(q, {
    rcode: nodata ? RCODE.NOERROR : RCODE.NXDOMAIN,
    records: soaRecord(apexOffset, 300),
    authorityCount: 1,
    authoritative: true,
  });
}
