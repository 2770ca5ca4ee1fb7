import { describe, expect, it } from 'vitest';
import { compileGeoPolicy, type AddressGeo } from '../../src/geo/geo-policy.js';
import type { GeoRule } from '../../src/policy/policy-doc.js';

const at = (country: string | null, asn: number | null = null, org: string | null = null): AddressGeo => ({ country, asn, org });
const SG = at('SG', 45102, 'Example Cloud SG');
const DE = at('DE', 3320, 'Example Telekom');
const US = at('US', 15169, 'Example Search');
const NOWHERE = at(null);

const policy = (...rules: GeoRule[]) => compileGeoPolicy(rules)!;

describe('geo-policy', () => {
  describe('when there are no rules', () => {
    it.each([undefined, []])('compiles %j to null (the fast path)', (rules) => {
      expect(compileGeoPolicy(rules)).toBeNull();
    });
  });

  describe('when a rule names countries or networks', () => {
    const p = policy({ id: 'sg', action: 'strip', countries: ['SG'] }, { id: 'as', action: 'flag', asns: [3320] });

    it('names the country and the offending addresses', () => {
      expect(p.decide([at('FR'), SG, at('FR'), SG], null)).toEqual({ action: 'strip', detail: 'geo:country:SG', offending: [1, 3] });
    });

    it('names the network for an ASN rule', () => {
      expect(p.decide([at('FR'), DE], null)).toEqual({ action: 'flag', detail: 'geo:asn:3320', offending: [1] });
    });

    it('decides nothing for addresses no rule names, or that geo does not know', () => {
      expect(p.decide([US, NOWHERE, at(null, 64500)], null)).toBeNull();
      expect(p.decide([], null)).toBeNull();
    });

    it('does not ask for the registration', () => {
      expect(p.usesRegistration).toBe(false);
    });
  });

  describe('when several rules match', () => {
    it.each<[string, GeoRule[], AddressGeo[], string, string]>([
      ['block beats strip and flag', [{ id: 'f', action: 'flag', countries: ['US'] }, { id: 's', action: 'strip', countries: ['DE'] }, { id: 'b', action: 'block', countries: ['SG'] }], [US, DE, SG], 'block', 'geo:country:SG'],
      ['strip beats flag', [{ id: 's', action: 'strip', countries: ['DE'] }, { id: 'f', action: 'flag', countries: ['US'] }], [US, DE], 'strip', 'geo:country:DE'],
      ['the strongest rule for one country', [{ id: 'f', action: 'flag', countries: ['SG'] }, { id: 'b', action: 'block', countries: ['SG'] }, { id: 's', action: 'strip', countries: ['SG'] }], [SG], 'block', 'geo:country:SG'],
      ['an ASN stronger than the country', [{ id: 'f', action: 'flag', countries: ['SG'] }, { id: 'b', action: 'block', asns: [45102] }], [SG], 'block', 'geo:asn:45102'],
      ['the country when as strong as the ASN', [{ id: 'c', action: 'strip', countries: ['SG'] }, { id: 'a', action: 'strip', asns: [45102] }], [SG], 'strip', 'geo:country:SG'],
      ['a country stronger than the ASN', [{ id: 'c', action: 'block', countries: ['SG'] }, { id: 'a', action: 'flag', asns: [45102] }], [SG], 'block', 'geo:country:SG'],
      ['the first address at the strongest level', [{ id: 's', action: 'strip', countries: ['DE', 'SG'] }], [DE, SG], 'strip', 'geo:country:DE'],
    ])('%s', (_what, rules, addresses, action, detail) => {
      expect(policy(...rules).decide(addresses, null)).toMatchObject({ action, detail });
    });
  });

  describe('when a strip and a flag rule both match a mixed answer', () => {
    const p = policy({ id: 's', action: 'strip', countries: ['SG'] }, { id: 'f', action: 'flag', countries: ['US'] });

    it('strips only the addresses the strip rule names', () => {
      expect(p.decide([SG, US, DE], null)).toEqual({ action: 'strip', detail: 'geo:country:SG', offending: [0] });
      expect(p.decide([US, SG], null)).toEqual({ action: 'strip', detail: 'geo:country:SG', offending: [1] }); // US stays: not all offend
    });
  });

  describe('when a rule names the registrant', () => {
    const p = policy({ id: 'cn', action: 'block', registrantCountries: ['CN'] }, { id: 'org', action: 'flag', registrantOrgs: ['  Example Holdings '] });

    it('asks for the registration', () => {
      expect(p.usesRegistration).toBe(true);
    });

    it.each([
      [{ country: 'CN', org: null }, { action: 'block', detail: 'geo:registrant:CN', offending: [] }],
      [{ country: 'cn', org: null }, { action: 'block', detail: 'geo:registrant:CN', offending: [] }],
      [{ country: null, org: 'EXAMPLE HOLDINGS LIMITED' }, { action: 'flag', detail: 'geo:org:example holdings', offending: [] }],
      [{ country: 'DE', org: 'Beijing Example Holdings Co.' }, { action: 'flag', detail: 'geo:org:example holdings', offending: [] }],
      [{ country: 'CN', org: 'Example Holdings' }, { action: 'block', detail: 'geo:registrant:CN', offending: [] }],
      [{ country: 'DE', org: 'Example GmbH' }, null],
      [{ country: null, org: null }, null],
    ])('decides %j as %j', (registration, expected) => {
      expect(p.decide([DE], registration)).toEqual(expected);
    });

    it('ignores registrant rules when the registration is not given', () => {
      expect(p.decide([SG], null)).toBeNull();
    });

    it('blocks for strip on a registration (a registrant cannot be stripped)', () => {
      const strip = policy({ id: 'cn', action: 'strip', registrantCountries: ['CN'] }, { id: 'o', action: 'strip', registrantOrgs: ['holdings'] });
      expect(strip.decide([DE], { country: 'CN', org: null })).toEqual({ action: 'block', detail: 'geo:registrant:CN', offending: [] });
      expect(strip.decide([DE], { country: null, org: 'Example Holdings' })).toEqual({ action: 'block', detail: 'geo:org:holdings', offending: [] });
    });

    it('takes the stronger of an address and the registration', () => {
      const mixed = policy({ id: 'sg', action: 'strip', countries: ['SG'] }, { id: 'cn', action: 'flag', registrantCountries: ['CN'] }, { id: 'o', action: 'block', registrantOrgs: ['holdings'] });
      expect(mixed.decide([SG, DE], { country: 'CN', org: null })).toEqual({ action: 'strip', detail: 'geo:country:SG', offending: [0] });
      expect(mixed.decide([SG, DE], { country: 'CN', org: 'Example Holdings' })).toEqual({ action: 'block', detail: 'geo:org:holdings', offending: [] });
    });

    it('takes the strongest of several organisations', () => {
      const orgs = policy({ id: 'a', action: 'flag', registrantOrgs: ['example'] }, { id: 'b', action: 'block', registrantOrgs: ['holdings'] });
      expect(orgs.decide([], { country: null, org: 'Example Holdings' })).toMatchObject({ action: 'block', detail: 'geo:org:holdings' });
    });
  });
});
