import dns2 from 'dns2';
import { describe, expect, it } from 'vitest';
import { stripAddresses } from '../../src/dns/strip.js';
import { T, aRdata, aaaaRdata, addressText, buildQuery, buildResponse, parse, readNameAt, rr, soaRdata, wireName } from '../helpers/packets.js';

const { Packet } = dns2 as unknown as { Packet: { parse(b: Buffer): Dns2Packet } };
interface Dns2Packet {
  header: { id: number; ancount: number; nscount: number; arcount: number };
  questions: { name: string; type: number }[];
  answers: { name: string; type: number; ttl: number; address?: string; domain?: string }[];
  authorities: unknown[];
  additionals: { type: number }[];
  errors: unknown[];
}

/** A two-byte compression pointer to `offset`. */
const ptr = (offset: number) => Buffer.from([0xc0 | (offset >> 8), offset & 0xff]);

/**
 * www.example.org A, answered through a CNAME chain whose second link and every address record
 * are compressed against earlier records:
 *   www.example.org  CNAME edge.example.net                  (owner → question)
 *   edge.example.net CNAME cdn.<ptr example.net in rdata 0>  (owner → rdata 0)
 *   cdn.example.net  A     192.0.2.1   TTL 100   (address 0, owner written out)
 *   <ptr address 0>  A     192.0.2.2   TTL 200   (address 1)
 *   <ptr address 0>  AAAA  2001:db8::1 TTL 300  (address 2)
 * plus an SOA in authority, a glue A in additional and an OPT with a cookie option.
 */
function chainReply() {
  const query = buildQuery({ id: 0x4242, name: 'www.example.org' });
  const cname0At = query.length; // owner of record 0
  const rdata0At = cname0At + 12;
  const cname1At = rdata0At + wireName('edge.example.net').length;
  const rdata1 = Buffer.concat([Buffer.from([3]), Buffer.from('cdn'), ptr(rdata0At + 5)]); // "cdn" + → example.net
  const a0At = cname1At + 12 + rdata1.length;
  const reply = buildResponse(query, {
    answers: [
      { type: T.CNAME, ttl: 600, rdata: wireName('edge.example.net') },
      { name: ptr(rdata0At), type: T.CNAME, ttl: 500, rdata: rdata1 },
      { name: 'cdn.example.net', type: T.A, ttl: 100, rdata: aRdata('192.0.2.1') },
      { name: ptr(a0At), type: T.A, ttl: 200, rdata: aRdata('192.0.2.2') },
      { name: ptr(a0At), type: T.AAAA, ttl: 300, rdata: aaaaRdata('2001:db8::1') },
    ],
    authority: [{ name: 'example.net', type: T.SOA, ttl: 60, rdata: soaRdata({ minimum: 30 }) }],
    additional: [{ name: 'ns.example.net', type: T.A, rdata: aRdata('192.0.2.53') }],
    edns: { udpSize: 1232, do: false, options: [{ code: 10, data: Buffer.from('0123456789abcdef', 'hex') }] },
  });
  return { query, reply };
}

/** The answer section as [name, type, ttl, data] rows. */
const rows = (m: Buffer) =>
  parse(m).answers.map((r) => [r.name, r.type, r.ttl, r.type === T.CNAME ? readTarget(m, r.offset) : addressText(r.rdata)]);
/** The CNAME target of the record at `offset`, read through any pointers. */
const readTarget = (m: Buffer, offset: number) => readNameAt(m, readNameAt(m, offset).end + 10).name;

describe('strip', () => {
  describe('when the built reply is read as it is', () => {
    it('has the chain, three addresses and pointers into address 0 (checking the fixture)', () => {
      const { reply } = chainReply();
      const p = parse(reply);
      expect(p.answers.map((r) => r.name)).toEqual(['www.example.org', 'edge.example.net', 'cdn.example.net', 'cdn.example.net', 'cdn.example.net']);
      expect(reply.readUInt16BE(p.answers[3].offset)).toBe(0xc000 | p.answers[2].offset);
    });
  });

  describe('when one address is dropped', () => {
    const { reply } = chainReply();
    const out = stripAddresses(reply, new Set([0]))!;

    it('keeps exactly the other records, names written out, TTLs unchanged', () => {
      expect(rows(out)).toEqual([
        ['www.example.org', T.CNAME, 600, 'edge.example.net'],
        ['edge.example.net', T.CNAME, 500, 'cdn.example.net'],
        ['cdn.example.net', T.A, 200, '192.0.2.2'],
        ['cdn.example.net', T.AAAA, 300, '2001:db8:0:0:0:0:0:1'],
      ]);
    });

    it('keeps the header, the question and the OPT with its options; drops authority and additional', () => {
      const p = parse(out);
      expect(p.header).toMatchObject({ id: 0x4242, qr: true, rd: true, ra: true, rcode: 0, qdcount: 1, ancount: 4, nscount: 0, arcount: 1 });
      expect(p.question).toEqual({ name: 'www.example.org', type: T.A, klass: 1 });
      expect(p.authority).toEqual([]);
      expect(p.additional).toEqual([]);
      expect(p.opt).toEqual({ udpSize: 1232, extendedRcode: 0, version: 0, do: false, options: [{ code: 10, data: Buffer.from('0123456789abcdef', 'hex') }] });
    });

    it('is read the same by dns2', () => {
      const p = Packet.parse(out);
      expect(p.errors).toEqual([]);
      expect(p.header).toMatchObject({ id: 0x4242, ancount: 4, nscount: 0, arcount: 1 });
      expect(p.questions).toEqual([{ name: 'www.example.org', type: T.A, class: 1 }]);
      expect(p.answers).toMatchObject([
        { name: 'www.example.org', type: T.CNAME, ttl: 600, domain: 'edge.example.net' },
        { name: 'edge.example.net', type: T.CNAME, ttl: 500, domain: 'cdn.example.net' },
        { name: 'cdn.example.net', type: T.A, ttl: 200, address: '192.0.2.2' },
        { name: 'cdn.example.net', type: T.AAAA, ttl: 300, address: '2001:db8::1' },
      ]);
      expect(p.authorities).toEqual([]);
      expect(p.additionals.map((a) => a.type)).toEqual([T.OPT]);
    });

    it('leaves the original reply unchanged', () => {
      expect(stripAddresses(reply, new Set([0]))).not.toBe(reply);
      expect(reply.equals(chainReply().reply)).toBe(true);
    });
  });

  describe('when other addresses are dropped', () => {
    const { reply } = chainReply();

    it.each([
      [[1], ['192.0.2.1', '2001:db8:0:0:0:0:0:1']],
      [[2], ['192.0.2.1', '192.0.2.2']],
      [[0, 2], ['192.0.2.2']],
      [[0, 1, 2], []],
      [[], ['192.0.2.1', '192.0.2.2', '2001:db8:0:0:0:0:0:1']],
      [[7], ['192.0.2.1', '192.0.2.2', '2001:db8:0:0:0:0:0:1']],
    ])('dropping %j keeps %j and the whole chain', (drop, kept) => {
      const out = stripAddresses(reply, new Set(drop))!;
      const p = parse(out);
      expect(p.answers.filter((r) => r.type !== T.CNAME).map((r) => addressText(r.rdata))).toEqual(kept);
      expect(p.answers.filter((r) => r.type === T.CNAME).map((r) => r.name)).toEqual(['www.example.org', 'edge.example.net']);
      expect(p.header.ancount).toBe(2 + kept.length);
      expect(Packet.parse(out).errors).toEqual([]);
    });
  });

  describe('when the reply has no OPT', () => {
    it('answers without one', () => {
      const query = buildQuery({ name: 'example.org' });
      const reply = buildResponse(query, {
        answers: [
          { type: T.A, ttl: 30, rdata: aRdata('192.0.2.7') },
          { type: T.A, ttl: 40, rdata: aRdata('192.0.2.8') },
        ],
      });
      const out = stripAddresses(reply, new Set([1]))!;
      const p = parse(out);
      expect(p.opt).toBeNull();
      expect(p.header.arcount).toBe(0);
      expect(p.answers.map((r) => [r.name, r.ttl, addressText(r.rdata)])).toEqual([['example.org', 30, '192.0.2.7']]);
    });
  });

  describe('when the reply cannot be read', () => {
    const { reply } = chainReply();
    const loop = Buffer.from(reply);
    loop.set(ptr(loop.length - 2), parse(reply).answers[3].offset); // a forward pointer

    it.each([
      ['empty', Buffer.alloc(0)],
      ['a header only', reply.subarray(0, 12)],
      ['cut in a record', reply.subarray(0, reply.length - 20)],
      ['no question', Buffer.concat([Buffer.from([0, 1, 0x81, 0x80, 0, 0, 0, 0, 0, 0, 0, 0])])],
      ['random bytes', Buffer.from(Array.from({ length: 40 }, (_, i) => (i * 37 + 11) & 0xff))],
    ])('gives null for %s', (_what, bytes) => {
      expect(stripAddresses(bytes, new Set([0]))).toBeNull();
    });

    it('gives null for an owner name pointing forward', () => {
      expect(stripAddresses(loop, new Set([0]))).toBeNull();
    });
  });

  it('writes its records with plain rr() layout (owner, type, class, TTL, length, data)', () => {
    const query = buildQuery({ name: 'example.org' });
    const reply = buildResponse(query, { answers: [{ type: T.A, ttl: 9, rdata: aRdata('192.0.2.9') }, { type: T.A, rdata: aRdata('192.0.2.10') }] });
    const out = stripAddresses(reply, new Set([1]))!;
    expect(out.subarray(query.length)).toEqual(rr({ name: 'example.org', type: T.A, ttl: 9, rdata: aRdata('192.0.2.9') }));
  });
});
