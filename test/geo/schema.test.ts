import { describe, expect, it } from 'vitest';
import { asNumber, detectSchema, isoCode, schemaOfRecord } from '../../src/geo/schema.js';

// Record shapes as each database decodes them (field names from their published schemas).
const GEOLITE2_COUNTRY = { continent: { code: 'NA' }, country: { iso_code: 'US', names: { en: 'United States' } }, registered_country: { iso_code: 'US' } };
const GEOLITE2_CITY = { city: { names: { en: 'Mountain View' } }, country: { iso_code: 'us' }, location: { latitude: 37.4 } };
const ANYCAST = { registered_country: { iso_code: 'AU' } };
const GEOLITE2_ASN = { autonomous_system_number: 15169, autonomous_system_organization: 'GOOGLE' };
const IPINFO_LITE = { asn: 'AS13335', as_name: 'Cloudflare, Inc.', as_domain: 'cloudflare.com', country_code: 'AU', country: 'Australia', continent_code: 'OC' };
const IPINFO_UNROUTED = { country_code: 'DE', country: 'Germany' };
const IP_LOCATION_DB = { country_code: 'SG' };

describe('schema', () => {
  describe('when detecting from records', () => {
    it.each([
      ['GeoLite2-Country', [GEOLITE2_COUNTRY], 'geoip2', 'US', null],
      ['GeoLite2-City', [GEOLITE2_CITY], 'geoip2', 'US', null],
      ['DBIP-Country-Lite', [null, ANYCAST], 'geoip2', 'AU', null],
      ['GeoLite2-ASN', [GEOLITE2_ASN], 'geoip2-asn', null, { asn: 15169, org: 'GOOGLE' }],
      ['DBIP-ASN-Lite (compat=GeoLite2-ASN)', [GEOLITE2_ASN], 'geoip2-asn', null, { asn: 15169, org: 'GOOGLE' }],
      ['ipinfo lite', [IPINFO_LITE], 'ipinfo', 'AU', { asn: 13335, org: 'Cloudflare, Inc.' }],
      ['country ipvAll', [null, {}, IP_LOCATION_DB], 'ip-location-db', 'SG', null],
    ])('reads %s as %s', (type, records, name, country, asn) => {
      const s = detectSchema(type, records)!;
      expect(s.name).toBe(name);
      const rec = records.find((r) => r && Object.keys(r).length > 0);
      expect(s.country?.(rec) ?? null).toBe(country);
      expect(s.asn?.(rec) ?? null).toEqual(asn);
    });

    it('takes IPinfo from the database type even when the sample has no ASN', () => {
      expect(detectSchema('ipinfo_lite.mmdb', [IPINFO_UNROUTED])!.name).toBe('ipinfo');
      expect(detectSchema('x', [IPINFO_UNROUTED])!.name).toBe('ip-location-db');
    });

    it('finds nothing in records without known keys', () => {
      expect(detectSchema('GeoIP2-Connection-Type', [{ connection_type: 'Cable/DSL' }, null])).toBeNull();
      expect(schemaOfRecord('US')).toBeNull();
      expect(schemaOfRecord([1])).toBeNull();
    });
  });

  describe('when a field is odd', () => {
    it.each([
      ['US', 'US'],
      ['gb', 'GB'],
      ['', null],
      ['USA', null],
      [42, null],
    ])('isoCode(%j) is %j', (v, want) => expect(isoCode(v)).toBe(want));

    it.each([
      [15169, 15169],
      ['AS15169', 15169],
      ['as13335', 13335],
      ['15169', 15169],
      ['', null],
      [0, null],
      [2 ** 32, null],
      ['AS', null],
      [1.5, null],
    ])('asNumber(%j) is %j', (v, want) => expect(asNumber(v)).toBe(want));

    it('reads a record missing its fields as null, not a throw', () => {
      const s = detectSchema('GeoLite2-ASN', [GEOLITE2_ASN])!;
      expect(s.asn!({ autonomous_system_organization: 'X' })).toBeNull();
      expect(s.asn!(null)).toBeNull();
      expect(detectSchema('', [GEOLITE2_COUNTRY])!.country!({ country: {} })).toBeNull();
    });
  });
});
