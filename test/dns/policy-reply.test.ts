import dns2 from 'dns2';
import { describe, expect, it } from 'vitest';
import { nameToWire } from '../../src/dns/name.js';
import { blockedReply, cnameReply, nxdomainReply, type BlockMode } from '../../src/dns/policy-reply.js';
import { decodedQuery } from '../resolver/query-fixture.js';
import { T, aRdata, aaaaRdata, addressText, parse, readNameAt } from '../helpers/packets.js';

const { Packet } = dns2 as unknown as { Packet: { parse(b: Buffer): Dns2Packet } };
interface Dns2Packet {
  header: { id: number; qr: number; rd: number; cd: number; rcode: number; ancount: number; nscount: number; arcount: number };
  questions: { name: string; type: number; class: number }[];
  answers: { name: string; type: number; ttl: number; address?: string; domain?: string }[];
  authorities: { name: string; type: number; ttl: number; primary?: string; minimum?: number }[];
  additionals: { type: number }[];
  errors: unknown[];
}

const EDE_OPTION = 15;
/** The EDE option of a parsed reply as its info-code, or null. */
const edeOf = (m: Buffer) => {
  const o = parse(m).opt?.options.find((x) => x.code === EDE_OPTION);
  return o ? o.data.readUInt16BE(0) : null;
};
const withEdns = [false, true];

describe('policy-reply', () => {
  describe('blockedReply', () => {
    describe.each(withEdns)('when the query has EDNS: %s', (edns) => {
      const query = (type: number) => decodedQuery({ id: 0x0bad, name: 'Ads.Example.org', type, cd: true, edns: edns ? {} : undefined });

      it.each([
        ['A', T.A, '0.0.0.0'],
        ['AAAA', T.AAAA, '0:0:0:0:0:0:0:0'],
      ])('answers %s in null mode with the unspecified address, owned by the name', (_t, type, address) => {
        const r = blockedReply(query(type), 'null', 10);
        const p = parse(r);
        expect(p.header).toMatchObject({ id: 0x0bad, qr: true, rd: true, ra: true, cd: true, aa: false, rcode: 0, ancount: 1, nscount: 0 });
        expect(p.question).toEqual({ name: 'Ads.Example.org', type, klass: 1 }); // the client's spelling
        expect(p.answers.map((a) => [a.name, a.type, a.ttl, addressText(a.rdata)])).toEqual([['Ads.Example.org', type, 10, address]]);
        const d = Packet.parse(r);
        expect(d.errors).toEqual([]);
        expect(d.answers).toMatchObject([{ name: 'Ads.Example.org', type, ttl: 10, address: type === T.A ? '0.0.0.0' : '::' }]);
      });

      it('answers MX in null mode with NODATA (no records)', () => {
        const r = blockedReply(query(T.MX), 'null', 10);
        expect(parse(r).header).toMatchObject({ rcode: 0, ancount: 0, nscount: 0 });
        expect(Packet.parse(r)).toMatchObject({ errors: [], answers: [], authorities: [] });
      });

      it.each([
        ['A', T.A],
        ['AAAA', T.AAAA],
        ['MX', T.MX],
      ])('answers %s in nxdomain mode with NXDOMAIN and an SOA owned by the name', (_t, type) => {
        const r = blockedReply(query(type), 'nxdomain', 30);
        const p = parse(r);
        expect(p.header).toMatchObject({ id: 0x0bad, rcode: 3, ancount: 0, nscount: 1 });
        expect(p.authority.map((a) => [a.name, a.type, a.ttl])).toEqual([['Ads.Example.org', T.SOA, 30]]);
        const d = Packet.parse(r);
        expect(d.errors).toEqual([]);
        expect(d.header.rcode).toBe(3);
        expect(d.authorities).toMatchObject([{ name: 'Ads.Example.org', type: T.SOA, ttl: 30, primary: 'localhost' }]);
      });

      it.each([
        ['A', T.A],
        ['AAAA', T.AAAA],
        ['MX', T.MX],
      ])('answers %s in refused mode with REFUSED and no records', (_t, type) => {
        const r = blockedReply(query(type), 'refused', 30);
        expect(parse(r).header).toMatchObject({ rcode: 5, ancount: 0, nscount: 0, qdcount: 1 });
        expect(Packet.parse(r)).toMatchObject({ errors: [], answers: [], authorities: [] });
      });

      it.each<BlockMode>(['null', 'nxdomain', 'refused'])(`carries EDE 15 "Blocked" in %s mode exactly when the query has EDNS (${edns})`, (mode) => {
        const r = blockedReply(query(T.A), mode, 10);
        expect(parse(r).header.arcount).toBe(edns ? 1 : 0);
        expect(edeOf(r)).toBe(edns ? 15 : null);
        expect(Packet.parse(r).additionals.map((a) => a.type)).toEqual(edns ? [T.OPT] : []);
      });
    });

    it('echoes the DO bit in its OPT', () => {
      const r = blockedReply(decodedQuery({ name: 'ads.example.org', edns: { do: true } }), 'null', 10);
      expect(parse(r).opt).toMatchObject({ do: true, version: 0 });
      expect(edeOf(r)).toBe(15);
    });

    it('gives each reply its own bytes (the zero records are copied, not shared)', () => {
      const q = decodedQuery({ name: 'ads.example.org' });
      const a = blockedReply(q, 'null', 10);
      a.fill(0xff, q.questionEnd);
      expect(addressText(parse(blockedReply(q, 'null', 10)).answers[0].rdata)).toBe('0.0.0.0');
    });
  });

  describe('nxdomainReply', () => {
    it('answers NXDOMAIN with the name’s SOA and EDE 17 "Filtered"', () => {
      const q = decodedQuery({ name: 'use-application-dns.net', edns: {} });
      const r = nxdomainReply(q, 300);
      const p = parse(r);
      expect(p.header).toMatchObject({ rcode: 3, ancount: 0, nscount: 1, arcount: 1 });
      expect(p.authority.map((a) => [a.name, a.type, a.ttl])).toEqual([['use-application-dns.net', T.SOA, 300]]);
      expect(edeOf(r)).toBe(17);
      expect(Packet.parse(r)).toMatchObject({ errors: [], authorities: [{ name: 'use-application-dns.net', type: T.SOA, minimum: 300 }] });
    });

    it('answers NODATA (NOERROR, no answers, the SOA) when asked to', () => {
      const q = decodedQuery({ name: '_dns.resolver.arpa', type: 64 });
      const r = nxdomainReply(q, 60, undefined, true);
      const p = parse(r);
      expect(p.header).toMatchObject({ rcode: 0, ancount: 0, nscount: 1, arcount: 0 });
      expect(p.authority.map((a) => [a.name, a.type, a.ttl])).toEqual([['_dns.resolver.arpa', T.SOA, 60]]);
      expect(Packet.parse(r).errors).toEqual([]);
    });
  });

  describe('cnameReply', () => {
    const target = nameToWire('forcesafesearch.google.com')!;
    const addresses = [
      { bytes: aRdata('216.239.38.120'), type: T.A },
      { bytes: aaaaRdata('2001:4860:4802:32::78'), type: T.AAAA },
      { bytes: aRdata('216.239.38.121'), type: T.A },
    ];

    it.each([0, 1, 3])('answers the name with a CNAME and %i address records owned by the target', (n) => {
      const q = decodedQuery({ id: 77, name: 'WWW.google.com', edns: {} });
      const r = cnameReply(q, target, addresses.slice(0, n), 120);
      const p = parse(r);
      expect(p.header).toMatchObject({ id: 77, rcode: 0, ancount: 1 + n, nscount: 0, arcount: 1 });
      expect(p.answers[0]).toMatchObject({ name: 'WWW.google.com', type: T.CNAME, ttl: 120 });
      expect(readNameAt(r, readNameAt(r, p.answers[0].offset).end + 10).name).toBe('forcesafesearch.google.com');
      expect(p.answers.slice(1).map((a) => [a.name, a.type, a.ttl, addressText(a.rdata)])).toEqual(
        addresses.slice(0, n).map((a) => ['forcesafesearch.google.com', a.type, 120, addressText(a.bytes)]),
      );
      const d = Packet.parse(r);
      expect(d.errors).toEqual([]);
      expect(d.answers).toMatchObject([
        { name: 'WWW.google.com', type: T.CNAME, ttl: 120, domain: 'forcesafesearch.google.com' },
        ...[
          { name: 'forcesafesearch.google.com', type: T.A, address: '216.239.38.120' },
          { name: 'forcesafesearch.google.com', type: T.AAAA, address: '2001:4860:4802:32::78' },
          { name: 'forcesafesearch.google.com', type: T.A, address: '216.239.38.121' },
        ].slice(0, n),
      ]);
    });

    it('carries no OPT for a query without EDNS', () => {
      const r = cnameReply(decodedQuery({ name: 'www.google.com' }), target, addresses.slice(0, 1), 60);
      expect(parse(r).header.arcount).toBe(0);
      expect(parse(r).opt).toBeNull();
    });
  });
});
