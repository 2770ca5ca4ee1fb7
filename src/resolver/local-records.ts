/**
 * Records the owner configures (A, AAAA, CNAME), compiled once at startup into wire RDATA. A
 * CNAME whose target is not local is followed through the upstreams, as AdGuard Home's rewrites
 * do, so a stub resolver (which never chases CNAMEs itself) gets addresses.
 */
import { isIP } from 'node:net';
import { RCODE, TYPE } from '../dns/constants.js';
import { readNameWire } from '../dns/message.js';
import { nameToWire } from '../dns/name.js';
import { buildQuery } from '../dns/query.js';
import { buildReply, resourceRecord } from '../dns/reply.js';
import { addressValue } from '../net/cidr.js';
import type { UpstreamSet } from '../upstream/upstream-set.js';
import type { Query } from './query.js';

export interface LocalRecord {
  /** Owner, lowercase wire string. */
  wire: string;
  type: number;
  ttl: number;
  rdata: Buffer;
  /** The record owned by the query name (pointer to offset 12). */
  record: Buffer;
  /** CNAME target, wire string. */
  target?: string;
}

/** Compiles one record; throws with a message naming what is wrong. */
export function compileRecord(name: string, type: string, value: string, ttl = 300): LocalRecord {
  const wire = nameToWire(name);
  if (wire === null || wire === '\0') throw new Error(`name '${name}' is not a valid domain`);
  const t = type.toUpperCase();
  let rdata: Buffer;
  let target: string | undefined;
  if (t === 'A' || t === 'AAAA') {
    const v = addressValue(value);
    if (v === null || isIP(value) !== (t === 'A' ? 4 : 6)) throw new Error(`value '${value}' is not an IPv${t === 'A' ? 4 : 6} address`);
    const len = t === 'A' ? 4 : 16;
    rdata = Buffer.alloc(len);
    for (let i = 0; i < len; i++) rdata[i] = Number((v >> BigInt(8 * (len - 1 - i))) & 0xffn);
  } else if (t === 'CNAME') {
    target = nameToWire(value) ?? undefined;
    if (target === undefined || target === '\0') throw new Error(`value '${value}' is not a valid domain`);
    rdata = Buffer.from(target, 'latin1');
  } else {
    throw new Error(`type '${type}' is not supported (A, AAAA or CNAME)`);
  }
  if (!Number.isInteger(ttl) || ttl < 0 || ttl > 0x7fffffff) throw new Error(`ttl '${ttl}' must be a whole number of seconds`);
  const typeCode = TYPE[t as 'A' | 'AAAA' | 'CNAME'];
  return { wire, type: typeCode, ttl, rdata, record: resourceRecord(Buffer.from([0xc0, 0x0c]), typeCode, ttl, rdata), target };
}

/** Answers q with the CNAME and what its target resolves to: locally, through `upstreams`, or (null) not at all. */
export async function resolveCname(q: Query, cname: LocalRecord, local: Map<string, LocalRecord[]>, upstreams: UpstreamSet | null, deadline: number): Promise<Buffer> {
  const parts = [cname.record];
  const target = cname.target!;
  // The target name sits in the CNAME's RDATA, right after the question: point there.
  const targetOwner = Buffer.from([0xc0 | ((q.questionEnd + 12) >> 8), (q.questionEnd + 12) & 0xff]);
  let rcode: number = RCODE.NOERROR;
  const own = local.get(target);
  if (own !== undefined) {
    for (const r of own) if (r.type === q.qtype) parts.push(resourceRecord(targetOwner, r.type, r.ttl, r.rdata));
  } else if (upstreams !== null) {
    const query = buildQuery({ nameWire: target, qtype: q.qtype, qclass: q.qclass, dnssecOk: false, checkingDisabled: false });
    const got = await upstreams.resolve(query, deadline);
    if (got !== null && (got.scan.rcode === RCODE.NOERROR || got.scan.rcode === RCODE.NXDOMAIN)) {
      rcode = got.scan.rcode;
      for (const r of got.scan.records) {
        if (r.section !== 0 || (r.type !== TYPE.A && r.type !== TYPE.AAAA && r.type !== TYPE.CNAME)) continue;
        const owner = wireBytes(readNameWire(got.response, r.offset));
        let rdata = got.response.subarray(r.rdataOffset, r.rdataOffset + r.rdataLength);
        if (r.type === TYPE.CNAME) rdata = wireBytes(readNameWire(got.response, r.rdataOffset)) ?? Buffer.alloc(0);
        if (owner !== null && rdata.length > 0) parts.push(resourceRecord(owner, r.type, got.response.readUInt32BE(r.ttlOffset), Buffer.from(rdata)));
      }
    }
  }
  return buildReply(q, { rcode, records: Buffer.concat(parts), answerCount: parts.length, authoritative: false });
}

const wireBytes = (wire: string | null) => (wire === null ? null : Buffer.from(wire, 'latin1'));
