/**
 * `config cache 'cache'`: the answer cache.
 *
 *   option size '10000'             most entries (0 disables the cache). Default 10000.
 *   option max_bytes '8388608'      most bytes of cached answers. Default 8 MiB.
 *   option min_ttl '0'              raise lower TTLs to this, s. Default 0.
 *   option max_ttl '86400'          cut higher TTLs to this, s. Default 1 day.
 *   option negative_max_ttl '3600'  cap for NXDOMAIN/NODATA, s (RFC 2308 §5). Default 1 h.
 *   option servfail_ttl '5'         how long a failed name is not retried, s (RFC 9520: 1-300). Default 5.
 *   option serve_stale '1'          serve expired answers when upstreams fail (RFC 8767). Default on.
 *   option stale_ttl '86400'        how long past expiry, s. Default 1 day.
 */
import { optionReader, type ConfigErrors } from './read-options.js';
import type { UciSection } from './uci.js';

export interface CacheSettings {
  size: number;
  maxBytes: number;
  minTtl: number;
  maxTtl: number;
  negativeMaxTtl: number;
  servfailTtl: number;
  serveStale: boolean;
  staleTtl: number;
}

const DAY = 86400;
const KNOWN = ['size', 'max_bytes', 'min_ttl', 'max_ttl', 'negative_max_ttl', 'servfail_ttl', 'serve_stale', 'stale_ttl'];

/** Reads the cache section (defaults when absent). */
export function readCacheSection(section: UciSection | null, errors: ConfigErrors): CacheSettings {
  const o = optionReader(section, errors, KNOWN);
  const s: CacheSettings = {
    size: o.int('size', 0, 10_000_000) ?? 10_000,
    maxBytes: o.int('max_bytes', 0, 2 ** 31) ?? 8 * 1024 * 1024,
    minTtl: o.int('min_ttl', 0, DAY) ?? 0,
    maxTtl: o.int('max_ttl', 1, 7 * DAY) ?? DAY,
    negativeMaxTtl: o.int('negative_max_ttl', 0, DAY) ?? 3600,
    servfailTtl: o.int('servfail_ttl', 1, 300) ?? 5,
    serveStale: o.bool('serve_stale') ?? true,
    staleTtl: o.int('stale_ttl', 0, 7 * DAY) ?? DAY,
  };
  if (s.minTtl > s.maxTtl) errors.add(o.line('min_ttl'), 'min_ttl', `${s.minTtl} is above max_ttl ${s.maxTtl}`);
  return s;
}
