import { describe, expect, it } from 'vitest';
import { RCODE } from '../../../src/dns/constants.js';
import { compileRecord } from '../../../src/resolver/local-records.js';
import { localStage, type LocalStageOptions } from '../../../src/resolver/stages/local.js';
import type { Verdict } from '../../../src/resolver/query.js';
import { T, aRdata, buildResponse, parse, type QuerySpec } from '../../helpers/packets.js';
import { fakeSet } from '../fake-upstreams.js';
import { decodedQuery } from '../query-fixture.js';

const never = () => fakeSet('default', () => {
  throw new Error('must not be asked');
});

function stage(o: Partial<LocalStageOptions> = {}) {
  return localStage({ records: [], forwards: [], lanDomain: 'lan', localServer: null, upstreams: never(), ...o });
}
async function run(spec: QuerySpec, o: Partial<LocalStageOptions> = {}) {
  const q = decodedQuery(spec);
  const v: Verdict = await stage(o).run(q);
  return { q, v };
}
function replyOf(v: Verdict) {
  if (v.kind !== 'reply') throw new Error(`expected a reply, got ${v.kind}`);
  expect(v.reason).toBe('local');
  return parse(v.reply);
}

describe('local', () => {
  it('is the local stage, answering SERVFAIL on a bug', () => {
    expect(stage()).toMatchObject({ name: 'local', onError: 'servfail', when: 'question' });
  });

  describe('when the name is localhost (RFC 6761 §6.3)', () => {
    it('answers 127.0.0.1 for A', async () => {
      const p = replyOf((await run({ name: 'localhost', type: T.A })).v);
      expect(p.header).toMatchObject({ rcode: 0, aa: true, ancount: 1 });
      expect(p.answers[0]).toMatchObject({ name: 'localhost', type: T.A });
      expect(Array.from(p.answers[0].rdata)).toEqual([127, 0, 0, 1]);
    });

    it('answers ::1 for AAAA, also under localhost', async () => {
      const p = replyOf((await run({ name: 'Printer.LOCALHOST', type: T.AAAA })).v);
      expect(p.answers[0]).toMatchObject({ name: 'Printer.LOCALHOST', type: T.AAAA });
      expect(p.answers[0].rdata[15]).toBe(1);
      expect(p.answers[0].rdata.subarray(0, 15)).toEqual(Buffer.alloc(15));
    });

    it('answers NODATA with an SOA for other types', async () => {
      const p = replyOf((await run({ name: 'localhost', type: T.MX })).v);
      expect(p.header).toMatchObject({ rcode: RCODE.NOERROR, ancount: 0, nscount: 1 });
      expect(p.authority[0]).toMatchObject({ name: 'localhost', type: T.SOA });
    });
  });

  describe('when the name is in a locally served zone (RFC 6303)', () => {
    it.each([
      ['1.1.168.192.in-addr.arpa', '168.192.in-addr.arpa'],
      ['1.168.192.in-addr.arpa', '168.192.in-addr.arpa'],
      ['5.0.0.10.in-addr.arpa', '10.in-addr.arpa'],
      ['1.0.20.172.in-addr.arpa', '20.172.in-addr.arpa'],
      ['1.0.64.100.in-addr.arpa', '64.100.in-addr.arpa'],
      ['1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa', 'd.f.ip6.arpa'],
      ['printer.home.arpa', 'home.arpa'],
      ['printer.lan', 'lan'],
      ['printer.local', 'local'],
    ])('answers NXDOMAIN for %s with the SOA of %s', async (name, apex) => {
      const p = replyOf((await run({ name, type: T.PTR })).v);
      expect(p.header).toMatchObject({ rcode: RCODE.NXDOMAIN, aa: true, ancount: 0, nscount: 1 });
      expect(p.authority[0]).toMatchObject({ name: apex, type: T.SOA, ttl: 300 });
    });

    // A locally served zone has an SOA and NS at its apex (RFC 6303 §3): the apex is NODATA, and
    // the PTR of ::1 is such an apex (its zone is the whole address).
    it('answers NODATA, not NXDOMAIN, for the zone apex', async () => {
      const p = replyOf((await run({ name: '168.192.in-addr.arpa', type: T.A })).v);
      expect(p.header.rcode).toBe(RCODE.NOERROR);
      expect(p.authority[0]).toMatchObject({ name: '168.192.in-addr.arpa', type: T.SOA });
    });

    it('answers NODATA for the PTR of ::1, the apex of its own zone', async () => {
      const name = '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa';
      const p = replyOf((await run({ name, type: T.PTR })).v);
      expect(p.header).toMatchObject({ rcode: RCODE.NOERROR, ancount: 0, nscount: 1 });
      expect(p.authority[0]).toMatchObject({ name, type: T.SOA });
    });

    it('answers the SOA of the apex for an SOA query', async () => {
      const p = replyOf((await run({ name: 'home.arpa', type: T.SOA })).v);
      expect(p.header).toMatchObject({ rcode: RCODE.NOERROR, ancount: 1 });
      expect(p.answers[0]).toMatchObject({ name: 'home.arpa', type: T.SOA });
    });

    it('keeps the client’s case in the SOA owner (it points into the question)', async () => {
      const p = replyOf((await run({ name: '1.1.168.192.IN-ADDR.arpa', type: T.PTR, edns: {} })).v);
      expect(p.authority[0].name).toBe('168.192.IN-ADDR.arpa');
      expect(p.opt).not.toBeNull();
    });

    it('sends the query to the local server when there is one', async () => {
      const localServer = fakeSet('local', () => null);
      const { q, v } = await run({ name: '1.1.168.192.in-addr.arpa', type: T.PTR }, { localServer });
      expect(v.kind).toBe('next');
      expect(q.upstreams).toBe(localServer);
      expect(localServer.calls).toHaveLength(0);
    });

    it('sends the LAN domain to the local server', async () => {
      const localServer = fakeSet('local', () => null);
      const { q } = await run({ name: 'printer.lan' }, { localServer });
      expect(q.upstreams).toBe(localServer);
    });

    it('uses the configured LAN domain and no other', async () => {
      const other = await run({ name: 'printer.home.example.org' }, { lanDomain: 'home.example.org' });
      expect(replyOf(other.v).authority[0].name).toBe('home.example.org');
      const lan = await run({ name: 'printer.lan' }, { lanDomain: null });
      expect(lan.v.kind).toBe('next');
    });

    it('does not cover public reverse zones', async () => {
      for (const name of ['1.0.0.100.in-addr.arpa', '1.2.0.192.in-addr.arpa.example.org', '1.113.0.204.in-addr.arpa']) {
        const { q, v } = await run({ name, type: T.PTR });
        expect(v.kind, name).toBe('next');
        expect(q.upstreams).toBeNull();
      }
    });
  });

  describe('when the name is invalid or onion (RFC 6761 §6.4, RFC 7686)', () => {
    it.each(['x.invalid', 'invalid', 'abcdef.onion'])('answers NXDOMAIN for %s, even with a local server', async (name) => {
      const p = replyOf((await run({ name }, { localServer: fakeSet('local', () => null) })).v);
      expect(p.header.rcode).toBe(RCODE.NXDOMAIN);
    });
  });

  describe('when a forward rule matches', () => {
    it('picks the forward set', async () => {
      const corp = fakeSet('forward corp', () => null);
      const { q, v } = await run({ name: 'Intranet.Corp.Example.NET' }, { forwards: [{ domain: 'corp.example.net', set: corp }] });
      expect(v.kind).toBe('next');
      expect(q.upstreams).toBe(corp);
    });

    it('lets a forward for a sub-zone beat the RFC 1918 zone around it', async () => {
      const rev = fakeSet('forward rev', () => null);
      const local = fakeSet('local', () => null);
      const o = { forwards: [{ domain: '1.168.192.in-addr.arpa', set: rev }], localServer: local };
      expect((await run({ name: '5.1.168.192.in-addr.arpa', type: T.PTR }, o)).q.upstreams).toBe(rev);
      expect((await run({ name: '5.2.168.192.in-addr.arpa', type: T.PTR }, o)).q.upstreams).toBe(local);
      const noLocal = await run({ name: '5.1.168.192.in-addr.arpa', type: T.PTR }, { forwards: o.forwards });
      expect(noLocal.q.upstreams).toBe(rev);
    });

    it('lets a forward for the LAN domain win over the zone', async () => {
      const f = fakeSet('forward lan', () => null);
      expect((await run({ name: 'printer.lan' }, { forwards: [{ domain: 'lan', set: f }] })).q.upstreams).toBe(f);
    });

    it('leaves other names alone', async () => {
      const { q, v } = await run({ name: 'www.example.org' }, { forwards: [{ domain: 'corp.example.net', set: fakeSet('f', () => null) }] });
      expect(v.kind).toBe('next');
      expect(q.upstreams).toBeNull();
    });

    it('throws at setup for a bad domain', () => {
      expect(() => stage({ forwards: [{ domain: 'bad..example.net', set: fakeSet('f', () => null) }] })).toThrow(/not a valid domain/);
    });
  });

  describe('when the name has configured records', () => {
    const records = [
      compileRecord('nas.example.org', 'A', '192.0.2.10', 60),
      compileRecord('nas.example.org', 'AAAA', '2001:db8::10', 60),
      compileRecord('www.example.org', 'CNAME', 'nas.example.org', 120),
      compileRecord('cdn.example.org', 'CNAME', 'edge.example.net', 120),
    ];

    it('answers A with the configured address, authoritative', async () => {
      const p = replyOf((await run({ name: 'NAS.example.org', type: T.A }, { records })).v);
      expect(p.header).toMatchObject({ rcode: 0, aa: true, ancount: 1 });
      expect(p.answers[0]).toMatchObject({ name: 'NAS.example.org', type: T.A, ttl: 60 });
      expect(Array.from(p.answers[0].rdata)).toEqual([192, 0, 2, 10]);
    });

    it('answers AAAA with the configured address', async () => {
      const p = replyOf((await run({ name: 'nas.example.org', type: T.AAAA }, { records })).v);
      expect(p.answers).toHaveLength(1);
      expect(p.answers[0].type).toBe(T.AAAA);
    });

    it('answers ANY with every record', async () => {
      expect(replyOf((await run({ name: 'nas.example.org', type: T.ANY }, { records })).v).answers).toHaveLength(2);
    });

    it('answers NODATA for a type it does not have', async () => {
      const p = replyOf((await run({ name: 'nas.example.org', type: T.TXT }, { records })).v);
      expect(p.header).toMatchObject({ rcode: 0, ancount: 0 });
    });

    it('leaves subdomains of a record name alone', async () => {
      expect((await run({ name: 'x.nas.example.org' }, { records })).v.kind).toBe('next');
    });

    it('follows a CNAME to a local target', async () => {
      const p = replyOf((await run({ name: 'www.example.org', type: T.A }, { records })).v);
      expect(p.header).toMatchObject({ rcode: 0, ancount: 2 });
      expect(p.answers[0]).toMatchObject({ name: 'www.example.org', type: T.CNAME, ttl: 120 });
      expect(p.answers[1]).toMatchObject({ name: 'nas.example.org', type: T.A, ttl: 60 });
      expect(Array.from(p.answers[1].rdata)).toEqual([192, 0, 2, 10]);
    });

    it('answers just the CNAME when asked for CNAME', async () => {
      const p = replyOf((await run({ name: 'www.example.org', type: T.CNAME }, { records })).v);
      expect(p.answers.map((r) => r.type)).toEqual([T.CNAME]);
    });

    it('resolves a CNAME target that is not local through the upstreams', async () => {
      const upstreams = fakeSet('default', (query) => buildResponse(query, { answers: [{ type: T.A, ttl: 33, rdata: aRdata('192.0.2.77') }] }));
      const q = decodedQuery({ name: 'cdn.example.org', type: T.A, edns: {} }, { now: 5000 });
      const p = replyOf(await stage({ records, upstreams, deadlineMs: 1000 }).run(q));
      expect(upstreams.calls).toHaveLength(1);
      expect(parse(upstreams.calls[0].query).question).toEqual({ name: 'edge.example.net', type: T.A, klass: 1 });
      expect(upstreams.calls[0].deadline).toBe(6000);
      expect(p.answers.map((r) => [r.name, r.type, r.ttl])).toEqual([
        ['cdn.example.org', T.CNAME, 120],
        ['edge.example.net', T.A, 33],
      ]);
      expect(p.opt).not.toBeNull();
    });

    // BUG: local-records.ts resolveCname sends every non-record CNAME target to the default
    // upstreams, so a target in the LAN domain or a forward zone leaks to the public resolvers
    // ("local names never leave the house") and gets their answer instead of the local one.
    it('sends a CNAME target in the LAN domain to the local server, not the default upstreams', async () => {
      const upstreams = fakeSet('default', (query) => buildResponse(query, { rcode: RCODE.NXDOMAIN }));
      const localServer = fakeSet('local', (query) => buildResponse(query, { answers: [{ type: T.A, ttl: 33, rdata: aRdata('192.168.1.5') }] }));
      const own = [compileRecord('printer.example.org', 'CNAME', 'printer.lan')];
      await stage({ records: own, upstreams, localServer }).run(decodedQuery({ name: 'printer.example.org', type: T.A }));
      expect(upstreams.calls).toHaveLength(0);
      expect(localServer.calls).toHaveLength(1);
    });

    it('answers the CNAME alone when the upstreams fail', async () => {
      const upstreams = fakeSet('default', () => null);
      const p = replyOf(await stage({ records, upstreams }).run(decodedQuery({ name: 'cdn.example.org', type: T.A })));
      expect(p.answers.map((r) => r.type)).toEqual([T.CNAME]);
    });
  });

  describe('when the name is anything else', () => {
    it('goes on without choosing upstreams', async () => {
      const { q, v } = await run({ name: 'www.example.org' });
      expect(v).toEqual({ kind: 'next' });
      expect(q.upstreams).toBeNull();
    });
  });
});
