/**
 * Drops some address records from a reply (geo policy "strip": the addresses in a blocked
 * country go, the others stay). Rebuilt, not patched: a later record's name may be a compression
 * pointer into a dropped one, so every kept answer record is written with its names expanded.
 * Authority and additional records are left out (they only help caching); OPT is kept.
 * Never for DNSSEC clients: the RRSIG would no longer match (the caller blocks instead).
 */
import { HEADER_SIZE, TYPE } from './constants.js';
import { readNameWire, scanMessage } from './message.js';

/** `reply` without the answer-section A/AAAA records whose index (among A/AAAA, in order) is in `drop`; null if it cannot be read. */
export function stripAddresses(reply: Buffer, drop: ReadonlySet<number>): Buffer | null {
  const scan = scanMessage(reply);
  if (!scan) return null;
  const parts: Buffer[] = [Buffer.from(reply.subarray(0, scan.questionEnd))];
  let answers = 0;
  let additional = 0;
  let address = -1;
  for (const r of scan.records) {
    if (r.type === TYPE.OPT) {
      parts.push(Buffer.from(reply.subarray(r.offset, r.rdataOffset + r.rdataLength)));
      additional++;
      continue;
    }
    if (r.section !== 0) continue;
    if ((r.type === TYPE.A || r.type === TYPE.AAAA) && drop.has(++address)) continue;
    const owner = wireOf(reply, r.offset);
    let rdata: Buffer = Buffer.from(reply.subarray(r.rdataOffset, r.rdataOffset + r.rdataLength));
    if (r.type === TYPE.CNAME) rdata = wireOf(reply, r.rdataOffset) ?? rdata;
    if (owner === null) return null;
    const fixed = Buffer.alloc(10);
    fixed.writeUInt16BE(r.type, 0);
    fixed.writeUInt16BE(r.klass, 2);
    reply.copy(fixed, 4, r.ttlOffset, r.ttlOffset + 4);
    fixed.writeUInt16BE(rdata.length, 8);
    parts.push(owner, fixed, rdata);
    answers++;
  }
  const out = Buffer.concat(parts);
  out.writeUInt16BE(answers, 6);
  out.writeUInt16BE(0, 8);
  out.writeUInt16BE(additional, 10);
  return out.length >= HEADER_SIZE ? out : null;
}

function wireOf(buf: Buffer, offset: number): Buffer | null {
  const wire = readNameWire(buf, offset);
  return wire === null ? null : Buffer.from(wire, 'latin1');
}
