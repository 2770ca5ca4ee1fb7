/**
 * The answer cache: a Map bounded by entries and bytes, with approximate LRU eviction.
 *
 * A hit moves an entry to the young end of the Map only when it has aged past a quarter of the
 * capacity since its last move: exact LRU would cost a delete+insert on every hit (the hottest
 * path), this costs one subtraction, and a hot entry can never reach the old end.
 * Expired entries stay until `staleUntil` so they can be served stale (RFC 8767).
 */
import { entrySize, type CachedAnswer } from './entry.js';

export interface CacheStoreOptions {
  maxEntries: number;
  maxBytes: number;
  /** Most failed names remembered (RFC 9520 failure cache). */
  maxFailures?: number;
}

export interface CacheStore {
  /** The entry for a key, fresh or stale; undefined when absent or past staleUntil. */
  get(key: string, now: number): CachedAnswer | undefined;
  put(entry: CachedAnswer): void;
  /** Remembers that resolving `key` failed, until `until` (ms). */
  markFailed(key: string, until: number): void;
  /** Whether resolving `key` failed recently. */
  hasFailed(key: string, now: number): boolean;
  clear(): void;
  /** Every entry, oldest first (for saving across a restart). */
  entries(): IterableIterator<CachedAnswer>;
  stats(): { entries: number; bytes: number; evictions: number; failures: number };
}

/** Creates an empty cache. */
export function createCacheStore(options: CacheStoreOptions): CacheStore {
  const map = new Map<string, CachedAnswer>();
  const failures = new Map<string, number>();
  const maxFailures = options.maxFailures ?? 10_000;
  const refreshAge = Math.max(1, Math.floor(options.maxEntries / 4));
  let bytes = 0;
  let tick = 0;
  let evictions = 0;

  function remove(key: string, e: CachedAnswer) {
    map.delete(key);
    bytes -= entrySize(e);
  }

  function evict() {
    while (map.size > options.maxEntries || (bytes > options.maxBytes && map.size > 0)) {
      const oldest = map.entries().next().value as [string, CachedAnswer];
      remove(oldest[0], oldest[1]);
      evictions++;
    }
  }

  return {
    get(key, now) {
      const e = map.get(key);
      if (e === undefined) return undefined;
      if (e.staleUntil <= now) {
        remove(key, e);
        return undefined;
      }
      if (tick - e.touched > refreshAge) {
        map.delete(key);
        map.set(key, e);
        e.touched = tick;
      }
      return e;
    },
    put(entry) {
      if (!entry.cacheable || options.maxEntries <= 0) return;
      const old = map.get(entry.key);
      if (old) remove(entry.key, old);
      entry.touched = ++tick;
      map.set(entry.key, entry);
      bytes += entrySize(entry);
      failures.delete(entry.key);
      evict();
    },
    markFailed(key, until) {
      failures.delete(key);
      failures.set(key, until);
      if (failures.size > maxFailures) failures.delete(failures.keys().next().value as string);
    },
    hasFailed(key, now) {
      const until = failures.get(key);
      if (until === undefined) return false;
      if (until > now) return true;
      failures.delete(key);
      return false;
    },
    clear() {
      map.clear();
      failures.clear();
      bytes = 0;
    },
    entries: () => map.values(),
    stats: () => ({ entries: map.size, bytes, evictions, failures: failures.size }),
  };
}
