/** DNS wire constants used across telemute (RFC 1035, 6891, 8914). */

export const HEADER_SIZE = 12;

/** RR types telemute looks at; any other type passes through as opaque bytes. */
export const TYPE = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  NAPTR: 35,
  DS: 43,
  RRSIG: 46,
  DNSKEY: 48,
  SVCB: 64,
  HTTPS: 65,
  OPT: 41,
  IXFR: 251,
  AXFR: 252,
  ANY: 255,
  CAA: 257,
} as const;

export const CLASS_IN = 1;

export const RCODE = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  /** Extended RCODE 16 (upper 8 bits in OPT = 1, header RCODE 0), RFC 6891 §9. */
  BADVERS: 16,
} as const;

export const RCODE_NAME: Record<number, string> = Object.fromEntries(
  Object.entries(RCODE).map(([k, v]) => [v, k]),
);

/** Header flag bits in byte 2 and byte 3 of the message. */
export const FLAG2 = { QR: 0x80, AA: 0x04, TC: 0x02, RD: 0x01 } as const;
export const FLAG3 = { RA: 0x80, AD: 0x20, CD: 0x10 } as const;

/** EDNS option codes (dnsmasq src/dns-protocol.h, RFC 7871, RFC 8914). */
export const EDNS_OPTION = {
  CLIENT_SUBNET: 8,
  COOKIE: 10,
  EDE: 15,
  DNSMASQ_MAC: 65001,
  NOMINUM_DEVICE_ID: 65073,
} as const;

/** Extended DNS Error codes we emit (RFC 8914 §4). */
export const EDE = {
  STALE_ANSWER: 3,
  NOT_READY: 14,
  BLOCKED: 15,
  FILTERED: 17,
  PROHIBITED: 18,
  NO_REACHABLE_AUTHORITY: 22,
} as const;

/** UDP payload size we advertise and use upstream: the DNS Flag Day 2020 value, avoids IP fragmentation. */
export const EDNS_UDP_SIZE = 1232;

/** A client without EDNS may only receive 512 bytes over UDP (RFC 1035 §4.2.1). */
export const CLASSIC_UDP_SIZE = 512;
