import { describe, expect, it } from 'vitest';
import { answerFacts, entrySize, makeEntry, type CacheLimits } from '../../src/cache/entry.js';
import { nameToWire } from '../../src/dns/name.js';
import { scanMessage } from '../../src/dns/message.js';
import { RCODE } from '../../src/dns/constants.js';
import { T, aRdata, aaaaRdata, buildQuery, buildResponse, parse, soaRdata, wireName, type ResponseSpec } from '../helpers/packets.js';

const limits: CacheLimits = { minTtl: 0, maxTtl: 86400, negativeMaxTtl: 3600, staleTtl: 600 };
const NOW = 5_000_000;
const query = buildQuery({ id: 0x7777, name: 'www.example.org' });

function entry(spec: ResponseSpec, l: CacheLimits = limits) {
  const response = buildResponse(query, spec);
  return makeEntry('key', response, scanMessage(response)!, NOW, l);
}

const soa = (ttl: number, minimum: number) => ({ name: 'example.org', type: T.SOA, ttl, rdata: soaRdata({ minimum }) });

describe('makeEntry', () => {
  describe('when the answer has an OPT', () => {
    const e = entry({
      answers: [{ type: T.A, ttl: 300, rdata: aRdata('192.0.2.1') }],
      additional: [{ name: 'ns.example.org', type: T.A, ttl: 300, rdata: aRdata('192.0.2.53') }],
      edns: { do: true, options: [{ code: 10, data: Buffer.alloc(16) }] },
      afterOpt: [{ name: 'ns2.example.org', type: T.A, ttl: 300, rdata: aRdata('192.0.2.54') }],
    });

    it('strips the OPT and decrements ARCOUNT', () => {
      const p = parse(e.wire);
      expect(p.opt).toBeNull();
      expect(p.header.arcount).toBe(1);
      expect(p.additional.map((r) => r.name)).toEqual(['ns.example.org']);
    });

    it('drops the records after the OPT', () => {
      expect(e.wire.includes(Buffer.from('ns2'))).toBe(false);
      expect(e.ttlOffsets).toHaveLength(2);
    });
  });

  it('zeroes the ID and leaves the response alone', () => {
    const response = buildResponse(query, { answers: [{ type: T.A, ttl: 300, rdata: aRdata('192.0.2.1') }] });
    const copy = Buffer.from(response);
    const e = makeEntry('k', response, scanMessage(response)!, NOW, { ...limits, maxTtl: 10 });
    expect(e.wire.readUInt16BE(0)).toBe(0);
    expect(response).toEqual(copy);
  });

  it('keeps the key, rcode and time', () => {
    const e = entry({ answers: [{ type: T.A, ttl: 60, rdata: aRdata('192.0.2.1') }] });
    expect(e).toMatchObject({ key: 'key', rcode: 0, storedAt: NOW, facts: null, cacheable: true });
  });

  it('records the offset of every TTL', () => {
    const e = entry({
      answers: [{ type: T.A, ttl: 61, rdata: aRdata('192.0.2.1') }],
      authority: [{ name: 'example.org', type: T.NS, ttl: 62, rdata: wireName('ns.example.org') }],
    });
    expect(e.ttlOffsets.map((o) => e.wire.readUInt32BE(o))).toEqual([61, 62]);
  });

  describe('when the answer is positive', () => {
    it('lives for the lowest TTL', () => {
      const e = entry({
        answers: [
          { type: T.CNAME, ttl: 500, rdata: wireName('host.example.net') },
          { name: 'host.example.net', type: T.A, ttl: 120, rdata: aRdata('192.0.2.1') },
        ],
      });
      expect(e.expiresAt).toBe(NOW + 120_000);
      expect(e.staleUntil).toBe(NOW + 120_000 + 600_000);
    });

    it('raises TTLs to minTtl and rewrites the stored TTLs', () => {
      const e = entry({ answers: [{ type: T.A, ttl: 5, rdata: aRdata('192.0.2.1') }, { type: T.A, ttl: 100, rdata: aRdata('192.0.2.2') }] }, { ...limits, minTtl: 30 });
      expect(e.expiresAt).toBe(NOW + 30_000);
      expect(parse(e.wire).answers.map((r) => r.ttl)).toEqual([30, 100]);
    });

    it('cuts TTLs to maxTtl and rewrites the stored TTLs', () => {
      const e = entry({ answers: [{ type: T.A, ttl: 200_000, rdata: aRdata('192.0.2.1') }, { type: T.A, ttl: 100, rdata: aRdata('192.0.2.2') }] }, { ...limits, maxTtl: 3600 });
      expect(e.expiresAt).toBe(NOW + 100_000);
      expect(parse(e.wire).answers.map((r) => r.ttl)).toEqual([3600, 100]);
    });

    it('treats a TTL with the top bit set as 0: not cacheable', () => {
      const e = entry({ answers: [{ type: T.A, ttl: 0x80000000, rdata: aRdata('192.0.2.1') }] });
      expect(e.cacheable).toBe(false);
      expect(e.expiresAt).toBe(NOW);
    });

    it('is not cacheable with TTL 0 and does not go stale', () => {
      const e = entry({ answers: [{ type: T.A, ttl: 0, rdata: aRdata('192.0.2.1') }] });
      expect(e.cacheable).toBe(false);
      expect(e.staleUntil).toBe(e.expiresAt);
    });
  });

  describe('when the answer is negative (RFC 2308 §5)', () => {
    it('lives for the SOA TTL when it is the lowest', () => {
      const e = entry({ rcode: RCODE.NXDOMAIN, authority: [soa(60, 900)] });
      expect(e.cacheable).toBe(true);
      expect(e.expiresAt).toBe(NOW + 60_000);
    });

    it('lives for the SOA MINIMUM when it is the lowest', () => {
      const e = entry({ rcode: RCODE.NXDOMAIN, authority: [soa(900, 45)] });
      expect(e.expiresAt).toBe(NOW + 45_000);
      expect(parse(e.wire).authority[0].ttl).toBe(45);
    });

    it('lives at most negativeMaxTtl', () => {
      const e = entry({ rcode: RCODE.NXDOMAIN, authority: [soa(86400, 86400)] }, { ...limits, negativeMaxTtl: 600 });
      expect(e.expiresAt).toBe(NOW + 600_000);
      expect(parse(e.wire).authority[0].ttl).toBe(600);
    });

    it('caches NODATA (NOERROR without answers) the same way', () => {
      const e = entry({ authority: [soa(300, 120)] });
      expect(e.cacheable).toBe(true);
      expect(e.rcode).toBe(0);
      expect(e.expiresAt).toBe(NOW + 120_000);
    });

    it('caches a CNAME chain ending in NXDOMAIN for the negative TTL (RFC 6604)', () => {
      const e = entry({ rcode: RCODE.NXDOMAIN, answers: [{ type: T.CNAME, ttl: 3000, rdata: wireName('gone.example.net') }], authority: [soa(600, 120)] });
      expect(e.cacheable).toBe(true);
      expect(e.expiresAt).toBe(NOW + 120_000);
      expect(parse(e.wire).answers[0].ttl).toBe(120);
    });

    it('does not cache NXDOMAIN without an SOA', () => {
      expect(entry({ rcode: RCODE.NXDOMAIN }).cacheable).toBe(false);
    });

    it('does not take an SOA from the additional section', () => {
      expect(entry({ rcode: RCODE.NXDOMAIN, additional: [soa(300, 300)] }).cacheable).toBe(false);
    });
  });

  describe('when the rcode is an error', () => {
    it.each([
      ['SERVFAIL', RCODE.SERVFAIL],
      ['REFUSED', RCODE.REFUSED],
      ['NOTIMP', RCODE.NOTIMP],
      ['FORMERR', RCODE.FORMERR],
    ])('does not cache %s', (_n, rcode) => {
      const e = entry({ rcode, authority: [soa(300, 300)], answers: [{ type: T.A, ttl: 300, rdata: aRdata('192.0.2.1') }] });
      expect(e.cacheable).toBe(false);
      expect(e.expiresAt).toBe(NOW);
      expect(e.rcode).toBe(rcode);
    });
  });
});

describe('answerFacts', () => {
  it('finds the CNAME chain in order and the addresses', () => {
    const e = entry({
      answers: [
        { type: T.CNAME, ttl: 60, rdata: wireName('CDN.example.net') },
        { name: 'cdn.example.net', type: T.CNAME, ttl: 60, rdata: wireName('edge.example.net') },
        { name: 'edge.example.net', type: T.A, ttl: 60, rdata: aRdata('192.0.2.10') },
        { name: 'edge.example.net', type: T.AAAA, ttl: 60, rdata: aaaaRdata('2001:db8::10') },
      ],
      authority: [{ name: 'example.net', type: T.NS, ttl: 60, rdata: wireName('ns.example.net') }],
      additional: [{ name: 'ns.example.net', type: T.A, ttl: 60, rdata: aRdata('192.0.2.53') }],
    });
    expect(answerFacts(e.wire)).toEqual({ cnames: ['cdn.example.net', 'edge.example.net'], cnameWires: [nameToWire('cdn.example.net'), nameToWire('edge.example.net')], addresses: ['192.0.2.10', '2001:db8::10'], geo: null });
  });

  it('gives empty facts for a malformed message', () => {
    expect(answerFacts(Buffer.alloc(5))).toEqual({ cnames: [], cnameWires: [], addresses: [], geo: null });
  });
});

describe('entrySize', () => {
  it('grows with the wire bytes', () => {
    const small = entry({ answers: [{ type: T.A, ttl: 60, rdata: aRdata('192.0.2.1') }] });
    const big = entry({ answers: [{ type: T.TXT, ttl: 60, rdata: Buffer.alloc(1000) }] });
    expect(entrySize(big) - entrySize(small)).toBeGreaterThanOrEqual(990);
  });
});
