/** The registrations service's options, counters and API (types only). */
import type { Level } from '../../log.js';
import type { VolatileStore } from '../../store/volatile.js';
import type { FetchJson } from './http.js';
import type { Registration } from './types.js';
import type { Connect } from './whois.js';

/** Options; times in ms, sizes in bytes. */
export interface RegistrationsOptions {
  /** Lookups allowed at start (default off in config). */
  enabled: boolean;
  store: VolatileStore;
  /** A dns.json object replacing the bundled subset (tests; an owner's own copy). */
  bootstrap?: unknown;
  /** Where to refresh the bootstrap from, weekly, only while enabled (null: never). */
  bootstrapUrl?: string | null;
  /** Allow WHOIS (TCP 43) for TLDs without RDAP (.cn, .ru). */
  whois: boolean;
  fetchJson?: FetchJson;
  connect?: Connect;
  /** Clock for cache ages and `fetchedAt`. */
  now?: () => number;
  log: (level: Level, message: string) => void;
  /** Least time between two lookups starting, overall. Default 2000. */
  rateMs?: number;
  /** Per request. Default 8000. */
  timeoutMs?: number;
  /** Per response body. Default 256 KiB. */
  maxBytes?: number;
  /** Requests per lookup, redirects included. Default 3. */
  maxHops?: number;
  /** Lookups at once, 1–2. Default 1. */
  concurrency?: number;
  /** Queued lookups kept; beyond, the oldest is dropped and counted. Default 256. */
  maxQueue?: number;
  /** Cap on a Retry-After pause. Default 1 h. */
  maxBackoffMs?: number;
}

/** Counters for the health endpoint and metrics. */
export interface RegistrationStats {
  enabled: boolean;
  queued: number;
  inFlight: number;
  dropped: number;
  rateLimited: number;
  lookups: number;
  requests: number;
  cacheHits: number;
  cacheMisses: number;
  byStatus: Record<Registration['status'], number>;
  cached: number;
  bootstrap: { publication: string | null; entries: number; refreshedAt: number | null };
}

/** The registrations service. */
export interface Registrations {
  /** Cached only; on a miss queues a lookup (when enabled) and returns null. Synchronous. */
  get(name: string): Registration | null;
  /** The registration of `name`'s registrable domain, fetched if not cached (GET /api/geo/domain/:name). */
  lookup(name: string): Promise<Registration>;
  setEnabled(enabled: boolean): void;
  stats(): RegistrationStats;
  /** Live cache entries, gzipped, for a rare snapshot on flash. */
  exportAll(): Uint8Array;
  /** Loads a snapshot (bad data is skipped); returns entries loaded. */
  importAll(bytes: Uint8Array): number;
  /** Stops timers and in-flight requests; later calls answer from the cache only. */
  stop(): void;
}
