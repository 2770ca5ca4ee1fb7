/**
 * decode: reads the header, the question and the OPT record of a query into the context, and
 * answers what cannot be served: FORMERR (malformed), NOTIMP (opcode other than QUERY), BADVERS
 * (EDNS version ≠ 0, RFC 6891 §6.1.3). Responses (QR set) and unreadable headers are dropped.
 * Reads bytes only; the name is kept as a lowercase wire string, never decoded on this path.
 */
import { FLAG2, FLAG3, HEADER_SIZE, RCODE, TYPE } from '../../dns/constants.js';
import { skipName } from '../../dns/message.js';
import { errorReply, headerOnlyReply } from '../../dns/reply.js';
import { NEXT, drop, reply, type Query, type Verdict } from '../query.js';
import type { Stage } from '../pipeline.js';

const DROPPED = drop('dropped');

/** Creates the decode stage. */
export function decodeStage(): Stage {
  return { name: 'decode', onError: 'servfail', when: 'question', run: decode };
}

/** Fills q from q.raw, or returns the reply a malformed query gets. */
export function decode(q: Query): Verdict {
  const raw = q.raw;
  const len = raw.length;
  if (len < HEADER_SIZE) return DROPPED; // no ID to answer to
  if (raw[2] & FLAG2.QR) return DROPPED; // a response: answering it could start a loop
  q.id = (raw[0] << 8) | raw[1];
  q.flags2 = raw[2];
  q.flags3 = raw[3];
  const opcode = (raw[2] >> 3) & 0x0f;
  if (raw[4] !== 0 || raw[5] !== 1) return reply(headerOnlyReply(raw, opcode === 0 ? RCODE.FORMERR : RCODE.NOTIMP), 'malformed');
  const nameEnd = plainNameEnd(raw);
  if (nameEnd < 0 || nameEnd + 4 > len) return reply(headerOnlyReply(raw, RCODE.FORMERR), 'malformed');
  q.questionEnd = nameEnd + 4;
  q.qtype = (raw[nameEnd] << 8) | raw[nameEnd + 1];
  q.qclass = (raw[nameEnd + 2] << 8) | raw[nameEnd + 3];
  // EDNS first: every reply to a query with OPT carries one, NOTIMP included (RFC 6891 §6.1.1).
  const edns = readEdns(q, raw);
  // The OPT could not be read, so the reply carries none (RFC 6891 §7: FORMERR without OPT).
  if (edns === MALFORMED) return reply(errorReply({ raw, questionEnd: q.questionEnd, hasOpt: false, dnssecOk: false }, RCODE.FORMERR), 'malformed');
  if (opcode !== 0) return reply(errorReply(q, RCODE.NOTIMP), 'malformed');
  if (edns === BAD_VERSION) return reply(errorReply(q, RCODE.BADVERS), 'malformed');
  q.maxSize = q.transport === 'tcp' ? 65535 : q.hasOpt ? Math.max(512, q.maxSize) : 512;
  // One string for name + QTYPE + QCLASS; the name is a slice of it (V8 shares the characters).
  const question = lowerWire(raw, HEADER_SIZE, nameEnd + 4);
  q.nameWire = question.slice(0, nameEnd - HEADER_SIZE);
  // DO and CD change what the upstream returns (RRSIGs, unvalidated data): separate cache entries.
  const flags = (q.dnssecOk ? 1 : 0) | (raw[3] & FLAG3.CD ? 2 : 0);
  q.key = flags === 0 ? question : question + String.fromCharCode(flags);
  return NEXT;
}

/**
 * End of the question name, or -1 if it is malformed or compressed: a compression pointer is legal
 * but no real stub sends one in a question, where it has nothing to point to.
 */
function plainNameEnd(raw: Buffer): number {
  let off = HEADER_SIZE;
  let len = 0;
  while (off < raw.length) {
    const b = raw[off];
    if (b === 0) return off + 1;
    if (b & 0xc0) return -1;
    len += b + 1;
    if (len > 254) return -1;
    off += b + 1;
  }
  return -1;
}

const OK = 0;
const MALFORMED = 1;
const BAD_VERSION = 2;

/** Finds the OPT record (if any) after the question and reads the client's EDNS parameters. */
function readEdns(q: Query, raw: Buffer): number {
  const an = (raw[6] << 8) | raw[7];
  const ns = (raw[8] << 8) | raw[9];
  const ar = (raw[10] << 8) | raw[11];
  if (an + ns + ar === 0) return OK;
  let off = q.questionEnd;
  for (let i = 0; i < an + ns + ar; i++) {
    const start = off;
    off = skipName(raw, off);
    if (off < 0 || off + 10 > raw.length) return MALFORMED;
    const type = (raw[off] << 8) | raw[off + 1];
    const rdLen = (raw[off + 8] << 8) | raw[off + 9];
    if (off + 10 + rdLen > raw.length) return MALFORMED;
    if (type === TYPE.OPT) {
      // RFC 6891 §6.1.1: one OPT, in the additional section, owned by the root.
      if (q.hasOpt || i < an + ns || raw[start] !== 0) return MALFORMED;
      q.hasOpt = true;
      q.maxSize = (raw[off + 2] << 8) | raw[off + 3];
      q.dnssecOk = (raw[off + 6] & 0x80) !== 0;
      q.optionsOffset = off + 10;
      q.optionsLength = rdLen;
      if (raw[off + 5] !== 0) return BAD_VERSION;
    }
    off += 10 + rdLen;
  }
  return OK;
}

/**
 * The question's wire bytes as a latin1 string with the name's ASCII letters lowercased (DNS is
 * case-blind only for ASCII, RFC 4343). The last 4 bytes (QTYPE, QCLASS) are kept as they are.
 */
function lowerWire(raw: Buffer, start: number, end: number): string {
  let upper = false;
  for (let i = start; i < end - 4; i++) {
    const c = raw[i];
    if (c >= 0x41 && c <= 0x5a) {
      upper = true;
      break;
    }
  }
  if (!upper) return raw.latin1Slice(start, end);
  const copy = Buffer.from(raw.subarray(start, end));
  for (let i = 0; i < copy.length - 4; i++) {
    const c = copy[i];
    if (c >= 0x41 && c <= 0x5a) copy[i] = c + 32;
  }
  return copy.latin1Slice(0, copy.length);
}
