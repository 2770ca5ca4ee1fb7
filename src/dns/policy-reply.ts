/**
 * The replies of the policy: blocked names, bypass-guard canaries and SafeSearch rewrites.
 * Built here with the other replies (no stage builds its own), each carrying EDE 15 "Blocked" or
 * 17 "Filtered" (RFC 8914 §4.16, §4.18) for clients that speak EDNS, so a blocked answer can be
 * told from a real one in any DNS tool.
 */
import { EDE, HEADER_SIZE, RCODE, TYPE } from './constants.js';
import { addressRecord, buildReply, resourceRecord, soaRecord, type OptParts, type QueryHead } from './reply.js';

/** How blocked names are answered (config `block_response`). */
export type BlockMode = 'null' | 'nxdomain' | 'refused';

export interface BlockedHead extends QueryHead {
  qtype: number;
}

const blocked: OptParts = { ede: { code: EDE.BLOCKED } };
const filtered: OptParts = { ede: { code: EDE.FILTERED } };
const zeroRecords = new Map<number, { a: Buffer; aaaa: Buffer }>();

/** The unspecified address for A/AAAA (per TTL, made once: copied into each reply). */
function zeros(ttl: number) {
  let z = zeroRecords.get(ttl);
  if (z === undefined) zeroRecords.set(ttl, (z = { a: addressRecord(new Uint8Array(4), ttl), aaaa: addressRecord(new Uint8Array(16), ttl) }));
  return z;
}

/**
 * A blocked name's reply. `null`: 0.0.0.0 / :: for A/AAAA, NODATA for the rest (devices treat an
 * unreachable address as "offline" and back off; NXDOMAIN makes some retry at once). `nxdomain`:
 * NXDOMAIN with an SOA owned by the name, so resolvers cache the denial for `ttl` (RFC 2308 §5).
 * `refused`: REFUSED (never behind dnsmasq: it would ask its next server).
 */
export function blockedReply(q: BlockedHead, mode: BlockMode, ttl: number): Buffer {
  if (mode === 'refused') return buildReply(q, { rcode: RCODE.REFUSED, opt: blocked });
  if (mode === 'nxdomain') return nxdomainReply(q, ttl, blocked);
  const records = q.qtype === TYPE.A ? zeros(ttl).a : q.qtype === TYPE.AAAA ? zeros(ttl).aaaa : undefined;
  return buildReply(q, { rcode: RCODE.NOERROR, records, answerCount: records ? 1 : 0, opt: blocked });
}

/** NXDOMAIN (or NODATA) with the name's own SOA (bypass-guard canaries: "this network has no DoH"). */
export function nxdomainReply(q: QueryHead, ttl: number, opt: OptParts = filtered, nodata = false): Buffer {
  return buildReply(q, { rcode: nodata ? RCODE.NOERROR : RCODE.NXDOMAIN, records: soaRecord(0, ttl), authorityCount: 1, opt });
}

/**
 * A rewrite (SafeSearch): `name CNAME target` followed by the target's addresses, as a resolver
 * chasing the CNAME would answer. `targetWire` is the target's wire name (latin1), written once
 * uncompressed; the address records point at it.
 */
export function cnameReply(q: QueryHead, targetWire: string, addresses: { bytes: Uint8Array; type: number }[], ttl: number): Buffer {
  const targetAt = q.questionEnd + 12; // where the target's name sits in the reply
  if (targetAt >= 0x4000 - HEADER_SIZE) return buildReply(q, { rcode: RCODE.SERVFAIL }); // cannot point that far (never for a real question)
  const targetOwner = Uint8Array.of(0xc0 | (targetAt >> 8), targetAt & 0xff);
  const records: Buffer[] = [resourceRecord(QUESTION_NAME, TYPE.CNAME, ttl, Buffer.from(targetWire, 'latin1'))];
  for (const a of addresses) records.push(resourceRecord(targetOwner, a.bytes.length === 4 ? TYPE.A : TYPE.AAAA, ttl, a.bytes));
  return buildReply(q, { rcode: RCODE.NOERROR, records: Buffer.concat(records), answerCount: records.length });
}

/** A compression pointer to the question's name (offset 12). */
const QUESTION_NAME = Uint8Array.of(0xc0, 0x0c);
