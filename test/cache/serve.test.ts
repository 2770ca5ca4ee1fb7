import { describe, expect, it } from 'vitest';
import { makeEntry, type CachedAnswer } from '../../src/cache/entry.js';
import { STALE_TTL, serveEntry, type ServeQuery } from '../../src/cache/serve.js';
import { scanMessage } from '../../src/dns/message.js';
import { T, aRdata, buildQuery, buildResponse, parse, questionEnd, soaRdata, wireName, type QuerySpec, type ResponseSpec } from '../helpers/packets.js';

const T0 = 10_000_000;
const limits = { minTtl: 0, maxTtl: 86400, negativeMaxTtl: 3600, staleTtl: 3600 };

function cached(spec: ResponseSpec = {}): CachedAnswer {
  const upstreamQuery = buildQuery({ id: 0x9999, name: 'www.example.org' });
  const response = buildResponse(upstreamQuery, {
    aa: true,
    answers: [
      { type: T.CNAME, ttl: 100, rdata: wireName('host.example.net') },
      { name: 'host.example.net', type: T.A, ttl: 50, rdata: aRdata('192.0.2.1') },
    ],
    authority: [{ name: 'example.net', type: T.NS, ttl: 3000, rdata: wireName('ns.example.net') }],
    edns: {},
    ...spec,
  });
  return makeEntry('k', response, scanMessage(response)!, T0, limits);
}

function sq(spec: QuerySpec): ServeQuery {
  const raw = buildQuery({ name: 'WWW.Example.ORG', ...spec });
  return { raw, questionEnd: questionEnd(raw), hasOpt: spec.edns !== undefined, dnssecOk: spec.edns?.do === true };
}

describe('serveEntry', () => {
  describe('when serving a fresh entry', () => {
    it('takes ID and RD from the query', () => {
      const e = cached();
      expect(parse(serveEntry(sq({ id: 0x0101, rd: true }), e, T0, false)).header).toMatchObject({ id: 0x0101, rd: true });
      expect(parse(serveEntry(sq({ id: 0x0202, rd: false }), e, T0, false)).header).toMatchObject({ id: 0x0202, rd: false });
    });

    it('clears AA and TC, sets QR and RA', () => {
      const h = parse(serveEntry(sq({}), cached({ tc: true, ra: false }), T0, false)).header;
      expect(h).toMatchObject({ qr: true, aa: false, tc: false, ra: true });
    });

    it('clears AD for a client that asked neither AD nor DO (RFC 6840 §5.8)', () => {
      expect(parse(serveEntry(sq({}), cached({ ad: true }), T0, false)).header.ad).toBe(false);
    });

    it('keeps AD for a client that set AD', () => {
      expect(parse(serveEntry(sq({ ad: true }), cached({ ad: true }), T0, false)).header.ad).toBe(true);
    });

    it('keeps AD for a client that set DO', () => {
      expect(parse(serveEntry(sq({ edns: { do: true } }), cached({ ad: true }), T0, false)).header.ad).toBe(true);
    });

    it('never sets AD the upstream did not set', () => {
      expect(parse(serveEntry(sq({ ad: true }), cached({ ad: false }), T0, false)).header.ad).toBe(false);
    });

    it('takes CD from the query', () => {
      expect(parse(serveEntry(sq({ cd: true }), cached({ cd: false }), T0, false)).header.cd).toBe(true);
      expect(parse(serveEntry(sq({ cd: false }), cached({ cd: true }), T0, false)).header.cd).toBe(false);
    });

    it('keeps the rcode', () => {
      const e = cached({ rcode: 3, answers: [], authority: [{ name: 'example.org', type: T.SOA, ttl: 60, rdata: soaRdata({ minimum: 60 }) }] });
      expect(parse(serveEntry(sq({}), e, T0, false)).header.rcode).toBe(3);
    });

    it("writes the question in the client's case", () => {
      const p = parse(serveEntry(sq({}), cached(), T0, false));
      expect(p.question!.name).toBe('WWW.Example.ORG');
      expect(p.answers[0].name).toBe('WWW.Example.ORG'); // the owner points at the question
    });

    it('keeps the TTLs within the first second', () => {
      expect(parse(serveEntry(sq({}), cached(), T0 + 999, false)).answers.map((r) => r.ttl)).toEqual([100, 50]);
    });

    it('counts the TTLs down by whole seconds of age', () => {
      const p = parse(serveEntry(sq({}), cached(), T0 + 20_500, false));
      expect(p.answers.map((r) => r.ttl)).toEqual([80, 30]);
      expect(p.authority[0].ttl).toBe(2980);
    });

    it('floors TTLs at 0', () => {
      const p = parse(serveEntry(sq({}), cached(), T0 + 70_000, false));
      expect(p.answers.map((r) => r.ttl)).toEqual([30, 0]);
    });
  });

  describe('when the query had an OPT', () => {
    it('appends our OPT and adds one to ARCOUNT', () => {
      const e = cached();
      expect(parse(e.wire).header.arcount).toBe(0);
      const p = parse(serveEntry(sq({ edns: { do: true } }), e, T0, false));
      expect(p.header.arcount).toBe(1);
      expect(p.opt).toEqual({ udpSize: 1232, extendedRcode: 0, version: 0, do: true, options: [] });
    });

    it('keeps additional records before the OPT', () => {
      const e = cached({ additional: [{ name: 'ns.example.net', type: T.A, ttl: 60, rdata: aRdata('192.0.2.53') }] });
      const p = parse(serveEntry(sq({ edns: {} }), e, T0, false));
      expect(p.header.arcount).toBe(2);
      expect(p.additional.map((r) => r.name)).toEqual(['ns.example.net']);
      expect(p.opt!.do).toBe(false);
    });
  });

  describe('when the query had no OPT', () => {
    it('adds no OPT', () => {
      const e = cached();
      const r = serveEntry(sq({}), e, T0, false);
      expect(parse(r).opt).toBeNull();
      expect(r.length).toBe(e.wire.length);
    });
  });

  describe('when serving stale (RFC 8767)', () => {
    it('sets every TTL to 30', () => {
      const p = parse(serveEntry(sq({}), cached(), T0 + 500_000, true));
      expect([...p.answers, ...p.authority].map((r) => r.ttl)).toEqual([STALE_TTL, STALE_TTL, STALE_TTL]);
      expect(STALE_TTL).toBe(30);
    });

    it('adds EDE 3 "Stale Answer" when the query had EDNS', () => {
      const p = parse(serveEntry(sq({ edns: { do: true } }), cached(), T0 + 500_000, true));
      expect(p.opt!.options).toEqual([{ code: 15, data: Buffer.from([0, 3]) }]);
      expect(p.opt!.do).toBe(true);
    });

    it('adds no OPT when the query had none', () => {
      expect(parse(serveEntry(sq({}), cached(), T0 + 500_000, true)).opt).toBeNull();
    });
  });

  it('never modifies the entry', () => {
    const e = cached({ ad: true });
    const before = Buffer.from(e.wire);
    serveEntry(sq({ id: 0xffff, edns: { do: true }, cd: true }), e, T0 + 30_000, false);
    serveEntry(sq({ id: 0xeeee, edns: {} }), e, T0 + 500_000, true);
    expect(e.wire).toEqual(before);
  });

  it('returns a new buffer each time', () => {
    const e = cached();
    const a = serveEntry(sq({ id: 1 }), e, T0, false);
    const b = serveEntry(sq({ id: 2 }), e, T0, false);
    expect(a.readUInt16BE(0)).toBe(1);
    expect(b.readUInt16BE(0)).toBe(2);
  });
});
