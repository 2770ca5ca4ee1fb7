/**
 * Which record layout an mmdb file uses, found from its metadata and a few decoded records, so a
 * user may point telemute at any of the common free databases without saying which it is:
 *
 * | layout           | files                                               | country           | ASN                                   |
 * |------------------|-----------------------------------------------------|-------------------|---------------------------------------|
 * | `geoip2`         | GeoLite2-Country/City, DB-IP Lite country/city      | country.iso_code  | -                                     |
 * | `geoip2-asn`     | GeoLite2-ASN, DB-IP ASN Lite, ip-location-db asn    | -                 | autonomous_system_number/organization |
 * | `ipinfo`         | IPinfo Lite (country and ASN in one file)           | country_code      | asn ("AS15169") / as_name             |
 * | `ip-location-db` | @ip-location-db/*-country-mmdb                      | country_code      | -                                     |
 *
 * Detection looks at records, not only `databaseType`: DB-IP and ip-location-db name their types
 * freely ('country ipvAll', 'DBIP-Country-Lite'), the record keys are what the readers need.
 */

/** The name of a detected record layout (table above). */
export type SchemaName = 'geoip2' | 'geoip2-asn' | 'ipinfo' | 'ip-location-db';

/** An ASN and the name of the organisation that holds it. */
export interface AsnRecord {
  asn: number;
  org: string | null;
}

/** A detected layout and the readers for what it holds (absent when it holds no such field). */
export interface GeoSchema {
  name: SchemaName;
  country?: (record: unknown) => string | null;
  asn?: (record: unknown) => AsnRecord | null;
}

type Rec = Record<string, unknown>;

function obj(v: unknown): Rec | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Rec) : null;
}

/** An ISO 3166-1 alpha-2 code in upper case, or null for anything else ('', 'ZZ' is kept as given). */
export function isoCode(v: unknown): string | null {
  return typeof v === 'string' && /^[A-Za-z]{2}$/.test(v) ? v.toUpperCase() : null;
}

/** An AS number from 15169, '15169' or 'AS15169' (IPinfo's form); null outside 1..2^32-1. */
export function asNumber(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(/^(?:AS)?(\d{1,10})$/i.exec(v)?.[1] ?? NaN) : NaN;
  return Number.isInteger(n) && n > 0 && n <= 0xffffffff ? n : null;
}

function text(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

// GeoIP2: `country` is where the network is used; `registered_country` (where it is registered)
// stands in when MaxMind has no better idea (anycast and some satellite networks).
const geoip2Country = (r: unknown): string | null => {
  const o = obj(r);
  return isoCode(obj(o?.country)?.iso_code) ?? isoCode(obj(o?.registered_country)?.iso_code);
};
const geoip2Asn = (r: unknown): AsnRecord | null => {
  const o = obj(r);
  const asn = asNumber(o?.autonomous_system_number);
  return asn === null ? null : { asn, org: text(o?.autonomous_system_organization) };
};
const codeCountry = (r: unknown): string | null => isoCode(obj(r)?.country_code);
const ipinfoAsn = (r: unknown): AsnRecord | null => {
  const o = obj(r);
  const asn = asNumber(o?.asn);
  return asn === null ? null : { asn, org: text(o?.as_name) };
};

const SCHEMAS: Record<SchemaName, GeoSchema> = {
  geoip2: { name: 'geoip2', country: geoip2Country },
  'geoip2-asn': { name: 'geoip2-asn', asn: geoip2Asn },
  ipinfo: { name: 'ipinfo', country: codeCountry, asn: ipinfoAsn },
  'ip-location-db': { name: 'ip-location-db', country: codeCountry },
};

/** The layout of one decoded record, or null when it has none of the known keys. */
export function schemaOfRecord(record: unknown): SchemaName | null {
  const o = obj(record);
  if (!o) return null;
  if ('autonomous_system_number' in o) return 'geoip2-asn';
  if ('as_name' in o || 'asn' in o) return 'ipinfo';
  if (obj(o.country) || obj(o.registered_country)) return 'geoip2';
  if ('country_code' in o) return 'ip-location-db';
  return null;
}

/**
 * The layout of a database from its `databaseType` and sample records (empty records are skipped;
 * the first one with known keys decides). A databaseType naming IPinfo wins, since an IPinfo
 * record with no ASN (unrouted space) looks like ip-location-db's.
 */
export function detectSchema(databaseType: string, records: unknown[]): GeoSchema | null {
  if (/ipinfo/i.test(databaseType)) return SCHEMAS.ipinfo;
  for (const r of records) {
    const name = schemaOfRecord(r);
    if (name) return SCHEMAS[name];
  }
  return null;
}
