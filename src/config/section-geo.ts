/**
 * `config geo 'geo'`: where answers land (country, network owner) and who registered the names.
 *
 *   option enabled '1'          look up where answers land; 0: no geography at all.
 *   list country_db PATH        mmdb files for the country (GeoLite2-Country/City, DB-IP Lite,
 *                               IPinfo Lite, ip-location-db); default: the DB-IP Lite file from the
 *                               npm package when it is installed (npm start), else none.
 *   list asn_db PATH            ASN sources: ip-location-db CSV files or an ASN mmdb (GeoLite2-ASN,
 *                               IPinfo Lite); default: the npm package's CSV when installed.
 *   option update_url URL       a database to download monthly (DB-IP Lite, or GeoLite2 with your
 *                               licence key in the URL); unset: nothing is ever downloaded.
 *   option update_dir DIR       where downloads go; list the downloaded file in country_db or asn_db.
 *   option registration '0'     look up who registered each domain (RDAP). Off by default: it
 *                               sends the names the house uses (never who asked) to registries.
 *   option whois '0'            WHOIS (port 43) for TLDs without RDAP (.cn, .ru), with registration.
 *   option bootstrap_url URL    refresh of the IANA RDAP bootstrap (only with registration on).
 */
import { optionReader, type ConfigErrors } from './read-options.js';
import type { UciSection } from './uci.js';

export interface GeoSettings {
  enabled: boolean;
  /** null: the npm packages' files when installed. */
  countryDbs: string[] | null;
  asnDbs: string[] | null;
  updateUrl: string | null;
  updateDir: string | null;
  registration: boolean;
  whois: boolean;
  bootstrapUrl: string | null;
}

const KNOWN = ['enabled', 'country_db', 'asn_db', 'update_url', 'update_dir', 'registration', 'whois', 'bootstrap_url'];
const URL_RE = /^https?:\/\/\S+$/;

/** Reads the geo section (defaults when absent). */
export function readGeoSection(section: UciSection | null, errors: ConfigErrors): GeoSettings {
  const o = optionReader(section, errors, KNOWN);
  const url = (key: string) => {
    const v = o.string(key) || null;
    if (v !== null && !URL_RE.test(v)) errors.add(o.line(key), key, `'${v}' must be an http(s) URL`);
    return v;
  };
  const s: GeoSettings = {
    enabled: o.bool('enabled') ?? true,
    countryDbs: o.list('country_db') ?? null,
    asnDbs: o.list('asn_db') ?? null,
    updateUrl: url('update_url'),
    updateDir: o.string('update_dir') || null,
    registration: o.bool('registration') ?? false,
    whois: o.bool('whois') ?? false,
    bootstrapUrl: url('bootstrap_url'),
  };
  if (s.updateUrl && !s.updateDir) errors.add(o.line('update_url'), 'update_url', 'needs update_dir (where the download goes)');
  return s;
}
