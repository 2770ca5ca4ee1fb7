import { describe, expect, it } from 'vitest';
import { RCODE } from '../../../src/dns/constants.js';
import { nameToWire } from '../../../src/dns/name.js';
import { policyStage } from '../../../src/resolver/stages/policy.js';
import type { Verdict } from '../../../src/resolver/query.js';
import { T, parse, type QuerySpec } from '../../helpers/packets.js';
import { decodedQuery } from '../query-fixture.js';

const blocked = new Set(['ads.example.org', 'tracker.example.net'].map((n) => nameToWire(n)!));
const stage = policyStage({ blocked });

function run(spec: QuerySpec) {
  const q = decodedQuery(spec);
  const v = stage.run(q) as Verdict;
  return { q, v };
}
function replyOf(v: Verdict) {
  if (v.kind !== 'reply') throw new Error(`expected a reply, got ${v.kind}`);
  expect(v.reason).toBe('blocked');
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
      expect(q.detail).toBe(nameToWire('ads.example.org'));
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
      const v = policyStage({ blocked, blockTtl: 77 }).run(q) as Verdict;
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
      expect(policyStage({ blocked: new Set() }).run(decodedQuery({ name: 'ads.example.org' }))).toEqual({ kind: 'next' });
    });
  });
});

describe('policy with a one-label rule', () => {
  it('blocks every name under a blocked TLD', () => {
    const stage = policyStage({ blocked: new Set([nameToWire('net')!]) });
    const v = stage.run(decodedQuery({ name: 'www.example.net' })) as Verdict;
    expect(v.kind).toBe('reply');
    expect(stage.run(decodedQuery({ name: 'www.example.org' }))).toEqual({ kind: 'next' });
  });

  it('blocks the one-label name itself', () => {
    const stage = policyStage({ blocked: new Set([nameToWire('org')!, nameToWire('ads.example.net')!]) });
    expect((stage.run(decodedQuery({ name: 'org' })) as Verdict).kind).toBe('reply');
  });

  it('still matches deeper rules when no rule is one label', () => {
    const stage = policyStage({ blocked: new Set([nameToWire('ads.example.net')!]) });
    expect((stage.run(decodedQuery({ name: 'x.ads.example.net' })) as Verdict).kind).toBe('reply');
    expect(stage.run(decodedQuery({ name: 'net' }))).toEqual({ kind: 'next' });
  });
});
