/** Building the queries telemute sends upstream. */
import { EDNS_UDP_SIZE, FLAG3, HEADER_SIZE } from './constants.js';

export interface QuestionSpec {
  /** Lowercase wire name as a latin1 string. */
  nameWire: string;
  qtype: number;
  qclass: number;
  dnssecOk: boolean;
  checkingDisabled: boolean;
}

/**
 * Our query for a question: RD, AD (so a validating upstream tells us, RFC 6840 §5.7), the
 * client's CD, and telemute's own OPT (UDP size 1232, DO as asked) with no options: OPT is per
 * hop (RFC 6891 §6.1.1), so a MAC added by dnsmasq never leaves the house. ID is set per try.
 */
export function buildQuery(spec: QuestionSpec): Buffer {
  const name = spec.nameWire;
  const out = Buffer.alloc(HEADER_SIZE + name.length + 4 + 11);
  out[2] = 0x01; // RD
  out[3] = FLAG3.AD | (spec.checkingDisabled ? FLAG3.CD : 0);
  out[5] = 1; // QDCOUNT
  out[11] = 1; // ARCOUNT: our OPT
  let off = HEADER_SIZE + out.write(name, HEADER_SIZE, 'latin1');
  out.writeUInt16BE(spec.qtype, off);
  out.writeUInt16BE(spec.qclass, off + 2);
  off += 4;
  out.writeUInt16BE(41, off + 1); // OPT, owned by the root (byte 0 already 0)
  out.writeUInt16BE(EDNS_UDP_SIZE, off + 3);
  out[off + 7] = spec.dnssecOk ? 0x80 : 0;
  return out;
}
