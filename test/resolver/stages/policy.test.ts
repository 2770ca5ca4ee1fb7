import { describe, expect, it } from 'vitest';
import { RCODE } from '../../../src/dns/constants.js';
import { nameToWire } from '../../../src/dns/name.js';
import { policyStage } from '../../../src/resolver/stages/policy.js';
import { testPolicy } from '../../helpers/policy-env.js';
import { decision, type Decision } from '../../../src/policy/decide.js';
import type { Verdict } from '../../../src/resolver/query.js';
import { T, parse, type QuerySpec } from '../../helpers/packets.js';
import { decodedQuery } from '../query-fixture.js';

/** A stage over a real engine whose household rules block these names (and their subdomains). */
function stageBlocking(names: string[], blockTtl = 10) {
  const { engine } = testPolicy((doc) => {
    doc.rules = names.map((n, i) => ({ id: `r${i}`, text: `||${n}^`, scope: 'household', enabled: true }));
  });
  return policyStage({ decide: engine.decide, blockMode: 'null', blockTtl });
}
const stage = stageBlocking(['ads.example.org', 'tracker.example.net']);

function run(spec: QuerySpec) {
  const q = decodedQuery(spec);
  const v = stage.run(q) as Verdict;
  return { q, v };
}
function replyOf(v: Verdict) {
  if (v.kind !== 'reply') throw new Error(`expected a reply, got ${v.kind}`);
  expect(['blocked', 'local']).toContain(v.reason);
  return parse(v.reply);
}

describe('policy', () => {
  it('is the policy stage and fails open', () => {
    expect(stage).toMatchObject({ name: 'policy', onError: 'skip', when: 'question' });
  });

  describe('when the name is blocked', () => {
    it('answers 0.0.0.0 for A', () => {
      const p = replyOf(run({ name: 'ads.example.org', type: T.A }).v);
      expect(p.header).toMatchObject({ rcode: RCODE.NOERROR, ancount: 1, qr: true });
      expect(p.answers[0]).toMatchObject({ name: 'ads.example.org', type: T.A, ttl: 10 });
      expect(Array.from(p.answers[0].rdata)).toEqual([0, 0, 0, 0]);
    });

    it('answers :: for AAAA', () => {
      const p = replyOf(run({ name: 'ads.example.org', type: T.AAAA }).v);
      expect(p.answers[0].type).toBe(T.AAAA);
      expect(p.answers[0].rdata).toEqual(Buffer.alloc(16));
    });

    it('answers NODATA for MX', () => {
      const p = replyOf(run({ name: 'ads.example.org', type: T.MX }).v);
      expect(p.header).toMatchObject({ rcode: RCODE.NOERROR, ancount: 0, nscount: 0 });
    });

    it('blocks subdomains, matching case-blind', () => {
      const { q, v } = run({ name: 'X.Y.Ads.Example.ORG' });
      const p = replyOf(v);
      expect(p.question!.name).toBe('X.Y.Ads.Example.ORG');
      expect(p.answers).toHaveLength(1);
      expect(q.detail).toBe('rule:r0');
    });

    it('adds EDE 15 "Blocked" for a client with EDNS (RFC 8914 §4.16)', () => {
      const p = replyOf(run({ name: 'ads.example.org', edns: { do: true } }).v);
      expect(p.opt!.options).toEqual([{ code: 15, data: Buffer.from([0, 15]) }]);
      expect(p.opt!.do).toBe(true);
    });

    it('adds no OPT for a client without EDNS', () => {
      expect(replyOf(run({ name: 'ads.example.org' }).v).opt).toBeNull();
    });

    it('uses the configured TTL', () => {
      const q = decodedQuery({ name: 'ads.example.org' });
      const v = stageBlocking(['ads.example.org'], 77).run(q) as Verdict;
      expect(replyOf(v).answers[0].ttl).toBe(77);
    });
  });

  describe('when the name is not blocked', () => {
    it.each(['example.org', 'xads.example.org', 'ads.example.net', 'www.example.org'])('goes on for %s (parent or sibling)', (name) => {
      const { q, v } = run({ name });
      expect(v.kind).toBe('next');
      expect(q.detail).toBe('');
    });

    it('goes on with an empty set', () => {
      expect(stageBlocking([]).run(decodedQuery({ name: 'ads.example.org' }))).toEqual({ kind: 'next' });
    });
  });
});

describe('policy decisions other than block', () => {
  const fixed = (d: Decision | null) => policyStage({ decide: () => d, blockMode: 'null', blockTtl: 10 });

  it('marks an allowed name so its answer is not inspected', () => {
    const q = decodedQuery({ name: 'ads.example.org' });
    expect(fixed(decision('allow', 'rule:ok')).run(q)).toEqual({ kind: 'next' });
    expect(q).toMatchObject({ allowed: true, detail: 'rule:ok' });
  });

  it('flags without blocking', () => {
    const q = decodedQuery({ name: 'ads.example.org' });
    expect(fixed(decision('flag', 'catalog:xiaomi:x')).run(q)).toEqual({ kind: 'next' });
    expect(q).toMatchObject({ flag: 'catalog:xiaomi:x', detail: '', allowed: false });
  });

  it('answers a canary NXDOMAIN with an SOA and EDE 17 "Filtered"', () => {
    const q = decodedQuery({ name: 'use-application-dns.net', edns: {} });
    const p = replyOf(fixed(decision('nxdomain', 'bypass:use-application-dns.net')).run(q) as Verdict);
    expect(p.header).toMatchObject({ rcode: RCODE.NXDOMAIN, ancount: 0, nscount: 1 });
    expect(p.authority[0]).toMatchObject({ name: 'use-application-dns.net', type: T.SOA });
    expect(p.opt!.options).toEqual([{ code: 15, data: Buffer.from([0, 17]) }]);
  });

  it('answers NODATA for resolver.arpa (RFC 9462 §4)', () => {
    const p = replyOf(fixed(decision('nodata', 'bypass:resolver.arpa')).run(decodedQuery({ name: '_dns.resolver.arpa', type: 64 })) as Verdict);
    expect(p.header).toMatchObject({ rcode: RCODE.NOERROR, ancount: 0, nscount: 1 });
  });

  it.each([
    ['nxdomain', RCODE.NXDOMAIN, 0],
    ['refused', RCODE.REFUSED, 0],
    ['null', RCODE.NOERROR, 1],
  ] as const)('answers a block in %s mode with rcode %i', (mode, rcode, ancount) => {
    const s = policyStage({ decide: () => decision('block', 'rule:x'), blockMode: mode, blockTtl: 10 });
    expect(replyOf(s.run(decodedQuery({ name: 'ads.example.org', type: T.A })) as Verdict).header).toMatchObject({ rcode, ancount });
  });

  it('rewrites to the SafeSearch name with its addresses, resolved internally', async () => {
    const asked: [string, number][] = [];
    const s = policyStage({
      decide: () => decision('rewrite', 'safesearch:forcesafesearch.google.com', nameToWire('forcesafesearch.google.com')!),
      blockMode: 'null',
      blockTtl: 10,
      resolve: async (wire, qtype) => {
        asked.push([wire, qtype]);
        const { buildResponse, buildQuery: bq, aRdata } = await import('../../helpers/packets.js');
        return buildResponse(bq({ name: 'forcesafesearch.google.com' }), { answers: [{ type: T.A, ttl: 60, rdata: aRdata('192.0.2.7') }] });
      },
    });
    const v = await s.run(decodedQuery({ name: 'www.google.com', type: T.A }));
    expect(v.kind === 'reply' && v.reason).toBe('local');
    const p = parse((v as { reply: Buffer }).reply);
    expect(asked).toEqual([[nameToWire('forcesafesearch.google.com'), T.A]]);
    expect(p.answers.map((a) => [a.name, a.type])).toEqual([['www.google.com', T.CNAME], ['forcesafesearch.google.com', T.A]]);
    expect(Array.from(p.answers[1].rdata)).toEqual([192, 0, 2, 7]);
  });
});
