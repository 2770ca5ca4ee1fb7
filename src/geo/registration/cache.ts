/**
 * Registrations cached in the volatile LMDB environment (RAM-backed /tmp), with a compact
 * gzipped export the wiring may keep on flash now and then (a reboot empties /tmp).
 *
 * Keys and values are Buffers we encode ourselves: lmdb 3.5.6 bundled by esbuild decodes string
 * keys wrongly (src/cache/persist.ts and src/devices/devices.ts do the same), and JSON we write
 * is JSON we validate on the way back.
 * A corrupt entry is a miss, never an exception (blocky's cache rule).
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Database } from 'lmdb';
import type { VolatileStore } from '../../store/volatile.js';
import type { Registration } from './types.js';

const DAY = 86_400_000;
/** How long each status is kept (ms): registrations change rarely; failures may heal soon. */
export const TTL_MS: Readonly<Record<Registration['status'], number>> = {
  found: 30 * DAY,
  withheld: 30 * DAY,
  unavailable: DAY,
  error: 3_600_000,
};

/** A cached registration and when it expires (ms). */
export interface CachedRegistration {
  reg: Registration;
  expiresAt: number;
}

/** The registration cache. */
export interface RegistrationCache {
  /** The entry for `domain`, expired or not; null when absent or unreadable. */
  read(domain: string): CachedRegistration | null;
  write(reg: Registration, now: number): void;
  /** Live entries as gzipped JSON, for a snapshot on flash. */
  exportAll(now: number): Uint8Array;
  /** Loads a snapshot; skips bad or expired entries, never throws. Returns entries loaded. */
  importAll(bytes: Uint8Array, now: number): number;
  count(): number;
}

const STATUSES = new Set(['found', 'withheld', 'unavailable', 'error']);

/** Whether `v` has the shape of a Registration (input from disk is input). */
export function isRegistration(v: unknown): v is Registration {
  const r = v as Registration;
  return (
    !!r &&
    typeof r === 'object' &&
    typeof r.domain === 'string' &&
    STATUSES.has(r.status) &&
    (r.source === 'rdap' || r.source === 'whois') &&
    typeof r.fetchedAt === 'number' &&
    (r.registrant === null || typeof r.registrant === 'object')
  );
}

/** Opens the cache in the `registrations` database of the volatile store. `maxEntries` bounds
 * it: past that, expired entries go first, then the oldest keys (a house visits a few thousand). */
export function createRegistrationCache(store: VolatileStore, maxEntries = 20_000): RegistrationCache {
  const db: Database<Buffer, Buffer> = store.openDB<Buffer, Buffer>('registrations', {
    encoding: 'binary',
    keyEncoding: 'binary',
  });
  let writesSincePrune = 0;

  function decode(value: Buffer | undefined): CachedRegistration | null {
    if (!value) return null;
    try {
      const parsed = JSON.parse(Buffer.from(value).toString('utf8')) as CachedRegistration;
      return isRegistration(parsed?.reg) && typeof parsed.expiresAt === 'number' ? parsed : null;
    } catch {
      return null;
    }
  }

  function put(entry: CachedRegistration): void {
    db.putSync(Buffer.from(entry.reg.domain, 'utf8'), Buffer.from(JSON.stringify(entry), 'utf8'));
  }

  function prune(now: number): void {
    let excess = db.getCount() - maxEntries;
    if (excess <= 0) return;
    // Collect first, remove after: no writes while a read transaction walks the table.
    const doomed: Buffer[] = [];
    for (const { key, value } of db.getRange()) {
      const e = decode(value);
      if (!e || e.expiresAt <= now) doomed.push(key);
    }
    excess -= doomed.length;
    for (const key of db.getKeys()) {
      if (excess-- <= 0) break;
      doomed.push(key);
    }
    for (const key of doomed) db.removeSync(key);
  }

  return {
    read: (domain) => decode(db.get(Buffer.from(domain, 'utf8'))),
    write(reg, now) {
      put({ reg, expiresAt: now + TTL_MS[reg.status] });
      // Pruning walks the table; every 100th write keeps that cost off most lookups.
      if (++writesSincePrune >= 100) {
        writesSincePrune = 0;
        prune(now);
      }
    },
    exportAll(now) {
      const live: CachedRegistration[] = [];
      for (const { value } of db.getRange()) {
        const e = decode(value);
        if (e && e.expiresAt > now) live.push(e);
      }
      return gzipSync(Buffer.from(JSON.stringify(live), 'utf8'));
    },
    importAll(bytes, now) {
      let list: unknown;
      try {
        list = JSON.parse(gunzipSync(bytes).toString('utf8'));
      } catch {
        return 0;
      }
      if (!Array.isArray(list)) return 0;
      let loaded = 0;
      for (const e of list as CachedRegistration[]) {
        if (!e || !isRegistration(e.reg) || typeof e.expiresAt !== 'number' || e.expiresAt <= now) continue;
        put({ reg: e.reg, expiresAt: e.expiresAt });
        loaded++;
      }
      prune(now);
      return loaded;
    },
    count: () => db.getCount(),
  };
}
