/**
 * The query log: one LMDB database in the volatile store (RAM-backed /tmp), written once a second
 * in one transaction by the drain, read by the admin. Bounded three ways — entries, bytes and age
 * — oldest first, in the same transaction as the append, so the log never exceeds its bound
 * between two drains by more than one batch.
 */
import type { Database } from 'lmdb';
import type { VolatileStore } from '../store/volatile.js';
import { beforeCursor, decodeEntry, decodeKey, encodeEntry, encodeKey, keyToCursor } from './codec.js';
import { matches, type LogEntry, type LogFilter, type LogPage } from './types.js';

/** How big the log may grow. */
export interface LogLimits {
  /** Most entries kept. Default 100 000 (≈ 1 day of a 30-device house at ~1 query/s). */
  maxEntries: number;
  /**
   * Most bytes of keys + values kept. Default 16 MiB: a household entry (device, two answer
   * addresses with geography, registrant) measured 212 B, so ≈ 79 000 entries; LMDB's pages add
   * ≈ 48 % (313 B per entry), ≈ 24 MiB of tmpfs: a tenth of a 256 MB router.
   */
  maxBytes: number;
  /** Entries older than this are dropped, hours. Default 168 (one week). */
  retentionHours: number;
}

/** Defaults sized for a 256 MB router. */
export const DEFAULT_LOG_LIMITS: LogLimits = { maxEntries: 100_000, maxBytes: 16 * 1024 * 1024, retentionHours: 168 };

/** The log's handle. */
export interface QueryLog {
  /** Appends entries (any order; kept at their own time) and trims, in one transaction. */
  append(entries: LogEntry[], now: number): void;
  /** One page of entries matching `filter`, newest first. */
  query(filter: LogFilter): LogPage;
  /** Entries and bytes (keys + values) held. */
  size(): { entries: number; bytes: number };
}

/** Most entries read for one page when the filter is rare: bounds an admin request's work. */
const MAX_SCAN = 200_000;

/** Opens the log database in `store` (counting what a previous run left there). */
export function openQueryLog(store: VolatileStore, limits: LogLimits = DEFAULT_LOG_LIMITS): QueryLog {
  const db: Database<Buffer, Buffer> = store.openDB<Buffer, Buffer>('querylog', { encoding: 'binary', keyEncoding: 'binary' });
  let entries = 0;
  let bytes = 0;
  let lastTime = 0;
  let seq = 0;
  let late = 0;
  for (const { key, value } of db.getRange()) {
    entries++;
    bytes += key.length + value.length;
    lastTime = decodeKey(key).time;
  }
  seq = 0x7fff; // a restart within the last entry's ms must not reuse its keys: go the late way

  /**
   * A unique key at the entry's own arrival time. Entries are recorded when answered, so a slow
   * upstream's query (up to 2.8 s) comes after later arrivals: it gets a sequence number from the
   * upper half (0x8000–0xffff, cycling), which no in-order entry uses.
   */
  function keyFor(time: number): Buffer {
    if (time > lastTime) {
      lastTime = time;
      seq = 0;
      return encodeKey(time, 0);
    }
    if (time === lastTime && seq < 0x7fff) return encodeKey(time, ++seq);
    late = (late + 1) & 0x7fff;
    return encodeKey(time, 0x8000 | late);
  }

  /** Removes the oldest entries until every bound holds. Runs inside the append transaction. */
  function trim(now: number): void {
    const oldestKept = now - limits.retentionHours * 3_600_000;
    const doomed: Buffer[] = [];
    let e = entries;
    let by = bytes;
    for (const { key, value } of db.getRange()) {
      if (e <= limits.maxEntries && by <= limits.maxBytes && decodeKey(key).time >= oldestKept) break;
      doomed.push(Buffer.from(key)); // a copy: lmdb reuses its key buffer while iterating
      e--;
      by -= key.length + value.length;
    }
    for (const k of doomed) db.removeSync(k);
    entries = e;
    bytes = by;
  }

  return {
    append(batch, now) {
      db.transactionSync(() => {
        for (const entry of batch) {
          const key = keyFor(entry.time);
          const value = encodeEntry(entry);
          db.putSync(key, value);
          entries++;
          bytes += key.length + value.length;
        }
        trim(now);
      });
    },
    query(filter) {
      const limit = Math.max(1, Math.min(filter.limit ?? 100, 1000));
      const start = filter.cursor !== undefined ? beforeCursor(filter.cursor) : encodeKey(filter.to !== undefined ? filter.to - 1 : 2 ** 48 - 1, 0xffff);
      if (start === null) return { entries: [], next: null };
      // The end of a reverse range is exclusive: stop just before the first key of `from`.
      const end = filter.from ? encodeKey(filter.from - 1, 0xffff) : undefined;
      const out: LogEntry[] = [];
      let scanned = 0;
      let lastId = '';
      for (const { key, value } of db.getRange({ start, end, reverse: true })) {
        // A rare filter over a full log: stop and let the admin ask for the next stretch.
        if (scanned++ === MAX_SCAN) return { entries: out, next: lastId };
        const e = decodeEntry(key, value);
        lastId = e !== null ? e.id : keyToCursor(key);
        if (e === null || !matches(e, filter)) continue;
        out.push(e);
        if (out.length === limit) return { entries: out, next: e.id };
      }
      return { entries: out, next: null };
    },
    size: () => ({ entries, bytes }),
  };
}
