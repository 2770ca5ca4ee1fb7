import { describe, expect, it } from 'vitest';
import { EDE, RCODE } from '../../src/dns/constants.js';
import { addressRecord, buildReply, errorReply, headerOnlyReply, localNegativeReply, optRecord, soaRecord, truncatedReply, type QueryHead } from '../../src/dns/reply.js';
import { T, aRdata, buildQuery, buildResponse, parse, questionEnd, readNameAt, type QuerySpec } from '../helpers/packets.js';

/** A QueryHead for a built query, the way decode fills it. */
function head(spec: QuerySpec): QueryHead & { raw: Buffer } {
  const raw = buildQuery(spec);
  return { raw, questionEnd: questionEnd(raw), hasOpt: spec.edns !== undefined, dnssecOk: spec.edns?.do === true };
}

describe('buildReply', () => {
  describe('when the query has no OPT', () => {
    const q = head({ id: 0xbeef, name: 'WwW.Example.ORG', type: T.AAAA, rd: true, cd: true });

    it('copies ID, RD and CD and sets QR and RA', () => {
      const p = parse(buildReply(q, { rcode: RCODE.NXDOMAIN }));
      expect(p.header).toMatchObject({ id: 0xbeef, qr: true, rd: true, cd: true, ra: true, aa: false, ad: false, tc: false, rcode: RCODE.NXDOMAIN, qdcount: 1 });
    });

    it("copies the question bytes in the client's case", () => {
      const r = buildReply(q, { rcode: 0 });
      expect(r.subarray(12, q.questionEnd)).toEqual(q.raw.subarray(12, q.questionEnd));
      expect(parse(r).question).toEqual({ name: 'WwW.Example.ORG', type: T.AAAA, klass: 1 });
    });

    it('adds no OPT', () => {
      const r = buildReply(q, { rcode: 0 });
      expect(parse(r).header.arcount).toBe(0);
      expect(r.length).toBe(q.questionEnd);
    });

    it('leaves RD clear when the query had it clear', () => {
      expect(parse(buildReply(head({ rd: false }), { rcode: 0 })).header.rd).toBe(false);
    });

    it('sets AA when authoritative', () => {
      expect(parse(buildReply(q, { rcode: 0, authoritative: true })).header.aa).toBe(true);
    });

    it('places the records and their counts', () => {
      const records = Buffer.concat([addressRecord(aRdata('192.0.2.7'), 60), soaRecord(4, 300)]);
      const p = parse(buildReply(q, { rcode: 0, records, answerCount: 1, authorityCount: 1 }));
      expect(p.answers).toHaveLength(1);
      expect(p.answers[0]).toMatchObject({ name: 'WwW.Example.ORG', type: T.A, ttl: 60 });
      expect(p.authority[0]).toMatchObject({ name: 'Example.ORG', type: T.SOA, ttl: 300 });
    });
  });

  describe('when the query has an OPT', () => {
    it('adds exactly one OPT with our UDP size and version 0', () => {
      const p = parse(buildReply(head({ edns: { udpSize: 4096 } }), { rcode: 0 }));
      expect(p.header.arcount).toBe(1);
      expect(p.opt).toEqual({ udpSize: 1232, extendedRcode: 0, version: 0, do: false, options: [] });
    });

    it('echoes the DO bit (RFC 3225 §3)', () => {
      expect(parse(buildReply(head({ edns: { do: true } }), { rcode: 0 })).opt!.do).toBe(true);
      expect(parse(buildReply(head({ edns: { do: false } }), { rcode: 0 })).opt!.do).toBe(false);
    });

    it('does not echo the client options', () => {
      const q = head({ edns: { options: [{ code: 65001, data: Buffer.from([2, 0, 0, 0, 0, 1]) }] } });
      expect(parse(buildReply(q, { rcode: 0 })).opt!.options).toEqual([]);
    });

    it('writes BADVERS as extended rcode 1 in OPT and header rcode 0 (RFC 6891 §9)', () => {
      const r = buildReply(head({ edns: { version: 1 } }), { rcode: RCODE.BADVERS });
      const p = parse(r);
      expect(p.header.rcode).toBe(0);
      expect(p.opt!.extendedRcode).toBe(1);
    });

    it('encodes an EDE option with info-code and text (RFC 8914 §2)', () => {
      const r = buildReply(head({ edns: {} }), { rcode: 0, opt: { ede: { code: EDE.BLOCKED, text: 'ad' } } });
      const opts = parse(r).opt!.options;
      expect(opts).toHaveLength(1);
      expect(opts[0].code).toBe(15);
      expect(Array.from(opts[0].data)).toEqual([0, 15, 0x61, 0x64]);
    });

    it('encodes an EDE option without text as just the info-code', () => {
      const opts = parse(errorReply(head({ edns: {} }), RCODE.SERVFAIL, { ede: { code: EDE.NO_REACHABLE_AUTHORITY } })).opt!.options;
      expect(opts).toEqual([{ code: 15, data: Buffer.from([0, 22]) }]);
    });

    it('drops the EDE when the query had no OPT', () => {
      const r = errorReply(head({}), RCODE.SERVFAIL, { ede: { code: EDE.NO_REACHABLE_AUTHORITY } });
      expect(parse(r).header.arcount).toBe(0);
      expect(parse(r).header.rcode).toBe(RCODE.SERVFAIL);
    });
  });
});

describe('optRecord', () => {
  it('is 11 bytes owned by the root without options', () => {
    const o = optRecord(true);
    expect(o.length).toBe(11);
    expect(o[0]).toBe(0);
    expect(o.readUInt16BE(1)).toBe(41);
    expect(o.readUInt16BE(3)).toBe(1232);
    expect(o[7]).toBe(0x80);
    expect(o.readUInt16BE(9)).toBe(0);
  });
});

describe('headerOnlyReply', () => {
  it('copies the ID, opcode and RD, sets QR and RA, and has no sections', () => {
    const raw = buildQuery({ id: 0x0102, opcode: 2, rd: true, cd: true, edns: {} });
    const r = headerOnlyReply(raw, RCODE.NOTIMP);
    expect(r.length).toBe(12);
    expect(parse(r).header).toEqual({
      id: 0x0102, qr: true, opcode: 2, aa: false, tc: false, rd: true, ra: true, ad: false, cd: false, rcode: RCODE.NOTIMP,
      qdcount: 0, ancount: 0, nscount: 0, arcount: 0,
    });
  });
});

describe('truncatedReply', () => {
  it('sets TC and keeps only header and question (and OPT)', () => {
    const q = head({ name: 'www.example.org', edns: { do: true } });
    const full = buildResponse(q.raw, { aa: true, answers: Array.from({ length: 40 }, (_, i) => ({ type: T.A, rdata: aRdata(`192.0.2.${i}`) })) });
    const r = truncatedReply(q, full);
    const p = parse(r);
    expect(p.header).toMatchObject({ tc: true, qr: true, id: 0x1234, ancount: 0, nscount: 0, arcount: 1, rcode: 0 });
    expect(p.question!.name).toBe('www.example.org');
    expect(p.opt!.do).toBe(true);
  });

  it('keeps the rcode of the full answer', () => {
    const q = head({});
    const full = buildResponse(q.raw, { rcode: RCODE.NXDOMAIN });
    expect(parse(truncatedReply(q, full)).header).toMatchObject({ tc: true, rcode: RCODE.NXDOMAIN, arcount: 0 });
  });
});

describe('addressRecord', () => {
  it('builds an A record owned by the question name', () => {
    const r = addressRecord(aRdata('192.0.2.9'), 42);
    expect(Array.from(r)).toEqual([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 42, 0, 4, 192, 0, 2, 9]);
  });

  it('builds an AAAA record for 16 bytes', () => {
    const r = addressRecord(new Uint8Array(16), 10);
    expect(r.readUInt16BE(2)).toBe(28);
    expect(r.readUInt16BE(10)).toBe(16);
    expect(r.length).toBe(28);
  });
});

describe('soaRecord', () => {
  it('is owned by a pointer to the apex inside the question', () => {
    const r = soaRecord(4, 300);
    expect(r.readUInt16BE(0)).toBe(0xc000 | 16);
    expect(r.readUInt16BE(2)).toBe(T.SOA);
    expect(r.readUInt32BE(6)).toBe(300);
  });

  it('carries localhost / nobody.invalid and MINIMUM 300', () => {
    const r = soaRecord(0, 300);
    const rd = r.subarray(12);
    const m = readNameAt(rd, 0);
    expect(m.name).toBe('localhost');
    const n = readNameAt(rd, m.end);
    expect(n.name).toBe('nobody.invalid');
    expect(rd.readUInt32BE(rd.length - 4)).toBe(300);
    expect(r.readUInt16BE(10)).toBe(rd.length);
  });
});

describe('localNegativeReply', () => {
  describe('when answering NXDOMAIN', () => {
    it('is authoritative NXDOMAIN with the SOA of the apex in the authority section', () => {
      const q = head({ name: '1.1.168.192.in-addr.arpa', type: T.PTR });
      const p = parse(localNegativeReply(q, 4));
      expect(p.header).toMatchObject({ rcode: RCODE.NXDOMAIN, aa: true, ancount: 0, nscount: 1 });
      expect(p.authority[0].name).toBe('168.192.in-addr.arpa');
      expect(p.authority[0].type).toBe(T.SOA);
    });
  });

  describe('when answering NODATA', () => {
    it('is NOERROR with the SOA', () => {
      const q = head({ name: 'localhost', type: T.MX, edns: {} });
      const p = parse(localNegativeReply(q, 0, true));
      expect(p.header).toMatchObject({ rcode: 0, aa: true, nscount: 1, arcount: 1 });
      expect(p.authority[0].name).toBe('localhost');
    });
  });
});

describe('replies sharing OPT records', () => {
  it('never let one reply change the next', () => {
    const q = head({ edns: { do: true } });
    const first = buildReply(q, { rcode: 0, opt: { ede: { code: EDE.BLOCKED } } });
    first.fill(0xff, q.questionEnd);
    const second = buildReply(q, { rcode: 0, opt: { ede: { code: EDE.BLOCKED } } });
    expect(parse(second).opt).toEqual({ udpSize: 1232, extendedRcode: 0, version: 0, do: true, options: [{ code: 15, data: Buffer.from([0, 15]) }] });
  });

  it('keep DO, extended rcode and EDE apart', () => {
    const plain = parse(buildReply(head({ edns: {} }), { rcode: 0 })).opt!;
    const withDo = parse(buildReply(head({ edns: { do: true } }), { rcode: 0 })).opt!;
    const badvers = parse(buildReply(head({ edns: {} }), { rcode: RCODE.BADVERS })).opt!;
    const ede = parse(buildReply(head({ edns: {} }), { rcode: 0, opt: { ede: { code: EDE.STALE_ANSWER } } })).opt!;
    const ede2 = parse(buildReply(head({ edns: {} }), { rcode: 0, opt: { ede: { code: EDE.BLOCKED } } })).opt!;
    expect([plain.do, withDo.do, badvers.extendedRcode, ede.options[0].data[1], ede2.options[0].data[1]]).toEqual([false, true, 1, 3, 15]);
    expect(plain.options).toEqual([]);
  });
});
