import { describe, expect, it } from 'vitest';
import { compileGeoPolicy, type AddressGeo, type RegistrationFacts } from '../../../src/geo/geo-policy.js';
import type { GeoRule } from '../../../src/policy/policy-doc.js';
import { NEXT, type Query } from '../../../src/resolver/query.js';
import { geoCheck, type GeoCheckOptions } from '../../../src/resolver/stages/inspect-geo.js';
import { inspectStage } from '../../../src/resolver/stages/inspect.js';
import { device } from '../../helpers/policy-env.js';
import { T, aRdata, aaaaRdata, addressText, parse, wireName, type QuerySpec, type RecordSpec } from '../../helpers/packets.js';
import { entryFor } from '../entries.js';
import { decodedQuery } from '../query-fixture.js';

const PHONE = device('aa:bb:cc:00:00:01');
const TV = device('aa:bb:cc:00:00:02');

/** What the fake geo database knows. */
const WORLD: Record<string, AddressGeo> = {
  '192.0.2.1': { country: 'SG', asn: 64500, org: 'Example Cloud SG' },
  '192.0.2.2': { country: 'DE', asn: 64501, org: 'Example Hosting DE' },
  '192.0.2.3': { country: 'SG', asn: 64502, org: 'Example Transit' },
  '2001:db8::1': { country: 'NL', asn: 64503, org: 'Example Hosting NL' },
};
const NOWHERE: AddressGeo = { country: null, asn: null, org: null };

/** The edge answer: a CNAME, two SG addresses, one DE, one NL (v6). */
const MIXED: RecordSpec[] = [
  { type: T.CNAME, ttl: 300, rdata: wireName('edge.example.net') },
  { name: 'edge.example.net', type: T.A, ttl: 60, rdata: aRdata('192.0.2.1') },
  { name: 'edge.example.net', type: T.A, ttl: 60, rdata: aRdata('192.0.2.2') },
  { name: 'edge.example.net', type: T.A, ttl: 60, rdata: aRdata('192.0.2.3') },
  { name: 'edge.example.net', type: T.AAAA, ttl: 60, rdata: aaaaRdata('2001:db8::1') },
];
const ALL_SG: RecordSpec[] = [
  { type: T.A, ttl: 60, rdata: aRdata('192.0.2.1') },
  { type: T.A, ttl: 60, rdata: aRdata('192.0.2.3') },
];

function setup(rules: Record<string, GeoRule[]>, extra: Partial<GeoCheckOptions> = {}) {
  const lookups: string[] = [];
  const policies = new Map(Object.entries(rules).map(([id, r]) => [id, compileGeoPolicy(r)]));
  const check = geoCheck({
    lookup: (ip) => (lookups.push(ip), WORLD[ip] ?? NOWHERE),
    policyOf: (d) => (d === null ? null : (policies.get(d.id) ?? null)),
    blockMode: 'null',
    blockTtl: 10,
    ...extra,
  });
  return { check, lookups };
}

/** A decoded query from `dev`, answered by a fresh entry for `answers`, with its facts found. */
function answered(answers: RecordSpec[], dev = PHONE, spec: QuerySpec = {}): Query {
  const q = decodedQuery({ name: 'www.example.org', edns: {}, ...spec });
  q.device = dev;
  q.reason = 'resolved';
  q.answer = entryFor(q, q.receivedAt, answers);
  inspectStage().run(q);
  return q;
}

/** Address texts and reasons of a verdict's reply. */
function replyOf(v: ReturnType<ReturnType<typeof geoCheck>>) {
  if (v.kind !== 'reply') throw new Error(`expected a reply, got ${v.kind}`);
  const p = parse(v.reply);
  return { reason: v.reason, addresses: p.answers.filter((a) => a.type !== T.CNAME).map((a) => addressText(a.rdata)), parsed: p };
}

describe('inspect-geo', () => {
  describe('when the device has no geo rules', () => {
    it('lets the answer through and looks nothing up', () => {
      const { check, lookups } = setup({});
      const q = answered(MIXED);
      expect(check(q)).toBe(NEXT);
      expect(lookups).toEqual([]);
      expect(q.answer!.facts!.geo).toBeNull();
      expect([q.flag, q.detail]).toEqual(['', '']);
    });
  });

  describe('when a rule flags', () => {
    it('sets q.flag only, and the answer goes out unchanged', () => {
      const { check } = setup({ [PHONE.id]: [{ id: 'sg', action: 'flag', countries: ['SG'] }] });
      const q = answered(MIXED);
      expect(check(q)).toBe(NEXT);
      expect(q.flag).toBe('geo:country:SG');
      expect([q.detail, q.reason]).toEqual(['', 'resolved']);
    });
  });

  describe('when a rule blocks', () => {
    it('gives the block answer and names the rule’s match', () => {
      const { check } = setup({ [PHONE.id]: [{ id: 'nl', action: 'block', asns: [64503] }] });
      const q = answered(MIXED);
      const r = replyOf(check(q));
      expect(r.reason).toBe('blocked');
      expect(r.addresses).toEqual(['0.0.0.0']);
      expect(r.parsed.question?.name).toBe('www.example.org');
      expect(q.detail).toBe('geo:asn:64503');
    });
  });

  describe('when a rule strips', () => {
    const rules = { [PHONE.id]: [{ id: 'sg', action: 'strip' as const, countries: ['SG'] }] };

    it('drops only the offending addresses from a mixed answer, keeping the chain and q.reason', () => {
      const { check } = setup(rules);
      const q = answered(MIXED);
      q.reason = 'cached';
      const r = replyOf(check(q));
      expect(r.reason).toBe('cached');
      expect(r.addresses).toEqual(['192.0.2.2', '2001:db8:0:0:0:0:0:1']);
      expect(r.parsed.answers[0]).toMatchObject({ name: 'www.example.org', type: T.CNAME });
      expect(r.parsed.header).toMatchObject({ id: 0x1234, ancount: 3 });
      expect(r.parsed.opt).not.toBeNull();
      expect(q.flag).toBe('geo:country:SG (stripped 2 of 4)');
      expect(q.detail).toBe('');
    });

    it('counts TTLs down as the cache would serve them', () => {
      const { check } = setup(rules);
      const q = answered(MIXED);
      q.receivedAt += 20_000;
      expect(replyOf(check(q)).parsed.answers.map((a) => a.ttl)).toEqual([280, 40, 40]);
    });

    it('blocks instead for a DNSSEC client (the RRSIG would break)', () => {
      const { check } = setup(rules);
      const q = answered(MIXED, PHONE, { edns: { do: true } });
      const r = replyOf(check(q));
      expect(r.reason).toBe('blocked');
      expect(r.addresses).toEqual(['0.0.0.0']);
      expect(q.detail).toBe('geo:country:SG');
    });

    it('blocks when every address offends', () => {
      const { check } = setup(rules);
      const q = answered(ALL_SG);
      const r = replyOf(check(q));
      expect(r.reason).toBe('blocked');
      expect(r.addresses).toEqual(['0.0.0.0']);
      expect(q.detail).toBe('geo:country:SG');
    });

    it('answers the block in the configured mode', () => {
      const { check } = setup(rules, { blockMode: 'nxdomain', blockTtl: 30 });
      const r = replyOf(check(answered(ALL_SG)));
      expect(r.parsed.header.rcode).toBe(3);
      expect(r.parsed.authority.map((a) => a.ttl)).toEqual([30]);
    });
  });

  describe('when an answer is cached and asked again', () => {
    it('looks each address up once for the entry, and judges per device', () => {
      const { check, lookups } = setup({
        [PHONE.id]: [{ id: 'sg', action: 'block', countries: ['SG'] }],
        [TV.id]: [{ id: 'de', action: 'flag', countries: ['DE'] }],
      });
      const first = answered(MIXED, PHONE);
      expect(replyOf(check(first)).reason).toBe('blocked');
      const second = decodedQuery({ name: 'www.example.org', edns: {} });
      second.device = TV;
      second.answer = first.answer; // a cache hit: the same entry, facts and all
      expect(check(second)).toBe(NEXT);
      expect(second.flag).toBe('geo:country:DE');
      expect(lookups).toEqual(['192.0.2.1', '192.0.2.2', '192.0.2.3', '2001:db8::1']);
      expect(first.answer!.facts!.geo).toEqual([WORLD['192.0.2.1'], WORLD['192.0.2.2'], WORLD['192.0.2.3'], WORLD['2001:db8::1']]);
    });
  });

  describe('when the owner allowed the name', () => {
    it('leaves the answer alone and looks nothing up', () => {
      const { check, lookups } = setup({ [PHONE.id]: [{ id: 'sg', action: 'block', countries: ['SG'] }] });
      const q = answered(ALL_SG);
      q.allowed = true;
      expect(check(q)).toBe(NEXT);
      expect(lookups).toEqual([]);
      expect([q.flag, q.detail]).toEqual(['', '']);
    });
  });

  describe('when a rule names the registrant', () => {
    const rules = { [PHONE.id]: [{ id: 'cn', action: 'block' as const, registrantCountries: ['CN'] }] };

    it('flags geo:registration-pending and lets the answer through while the lookup runs', () => {
      const asked: string[] = [];
      const { check } = setup(rules, { registrationOf: (w) => (asked.push(w), 'pending') });
      const q = answered(MIXED);
      expect(check(q)).toBe(NEXT);
      expect(q.flag).toBe('geo:registration-pending');
      expect(asked).toEqual([q.nameWire]);
    });

    it('blocks once the registration is known', () => {
      const facts: RegistrationFacts = { country: 'CN', org: 'Example Holdings' };
      const { check } = setup(rules, { registrationOf: () => facts });
      const q = answered(MIXED);
      expect(replyOf(check(q)).reason).toBe('blocked');
      expect(q.detail).toBe('geo:registrant:CN');
    });

    it('passes a name with no published registration', () => {
      const { check } = setup(rules, { registrationOf: () => null });
      const q = answered(MIXED);
      expect(check(q)).toBe(NEXT);
      expect(q.flag).toBe('');
    });

    it('lets an address flag replace the pending flag', () => {
      const { check } = setup({ [PHONE.id]: [...rules[PHONE.id], { id: 'de', action: 'flag', countries: ['DE'] }] }, { registrationOf: () => 'pending' });
      const q = answered(MIXED);
      expect(check(q)).toBe(NEXT);
      expect(q.flag).toBe('geo:country:DE');
    });

    it('does not ask for the registration when no rule needs it', () => {
      const asked: string[] = [];
      const { check } = setup({ [PHONE.id]: [{ id: 'sg', action: 'flag', countries: ['SG'] }] }, { registrationOf: (w) => (asked.push(w), 'pending') });
      check(answered(MIXED));
      expect(asked).toEqual([]);
    });
  });
});
