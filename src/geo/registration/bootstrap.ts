/**
 * The RDAP bootstrap (RFC 9224): which registry serves which TLD. A subset of IANA's
 * `dns.json` ships in the bundle (rdap-bootstrap.json); the full file replaces it when lookups
 * are enabled and the configured URL answers with something valid (bad data never replaces
 * good: a file with no usable service keeps the one we have).
 */
import bundled from './rdap-bootstrap.json' with { type: 'json' };

/** A parsed bootstrap: label sequence ("com", "co.uk") to its base URL, ending in "/". */
export interface Bootstrap {
  /** From the file's `publication` member (RFC 9224 §3), or null. */
  publication: string | null;
  bases: Map<string, string>;
}

/**
 * Parses a bootstrap object: `{ services: [[[entries...], [urls...]], ...] }` (RFC 9224 §3).
 * Returns null when nothing usable is in it. Per RFC 9224 §3 an https URL is preferred over http.
 */
export function parseBootstrap(json: unknown): Bootstrap | null {
  if (!json || typeof json !== 'object') return null;
  const services = (json as { services?: unknown }).services;
  if (!Array.isArray(services)) return null;
  const bases = new Map<string, string>();
  for (const service of services) {
    if (!Array.isArray(service) || !Array.isArray(service[0]) || !Array.isArray(service[1])) continue;
    const urls = (service[1] as unknown[]).filter(
      (u): u is string => typeof u === 'string' && /^https?:\/\//i.test(u),
    );
    const url = urls.find((u) => /^https:/i.test(u)) ?? urls[0];
    if (!url) continue;
    const base = url.endsWith('/') ? url : `${url}/`; // RFC 9224 §3: base URLs end in "/"
    for (const entry of service[0] as unknown[]) {
      if (typeof entry === 'string' && entry.length > 0) bases.set(entry.toLowerCase(), base);
    }
  }
  if (bases.size === 0) return null;
  const pub = (json as { publication?: unknown }).publication;
  return { publication: typeof pub === 'string' ? pub : null, bases };
}

/** The bootstrap shipped in the bundle. */
export function bundledBootstrap(): Bootstrap {
  const parsed = parseBootstrap(bundled);
  if (!parsed) throw new Error('rdap-bootstrap.json: no services'); // a build bug, caught by tests
  return parsed;
}

/**
 * The RDAP base URL for `domain`: the longest entry matching its trailing labels
 * (RFC 9224 §4, "the longest match"), or null when no registry is listed.
 */
export function rdapBaseFor(bootstrap: Bootstrap, domain: string): string | null {
  const labels = domain.split('.');
  for (let i = 1; i < labels.length; i++) {
    const base = bootstrap.bases.get(labels.slice(i).join('.'));
    if (base) return base;
  }
  return null;
}
