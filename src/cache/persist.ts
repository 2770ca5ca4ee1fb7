/**
 * Keeps the answer cache across a restart: written to the volatile store (RAM) when telemute
 * stops, read back when it starts, so a config reload or a respawn does not send the whole house
 * back to the upstreams at once. Entries past their stale limit are skipped; a corrupt record is
 * a miss. Never on the query path.
 *
 * Keys and values are stored as raw bytes (our own layout below), not lmdb's string keys and
 * msgpack values: bundled by esbuild, lmdb 3.5 decoded string keys wrongly (a key 'k' came back
 * as an array; binary keys round-trip), and bytes are all a cached answer is anyway.
 *
 * Value layout, version 1: u8 version, u8 rcode, f64 storedAt, f64 expiresAt, f64 staleUntil,
 * u16 count, count × u16 TTL offsets, then the wire bytes.
 */
import type { Database } from 'lmdb';
import type { VolatileStore } from '../store/volatile.js';
import { ownCopy, type CachedAnswer } from './entry.js';
import type { CacheStore } from './store.js';

const VERSION = 1;
const HEAD = 1 + 1 + 8 * 3 + 2;

function cacheDb(store: VolatileStore): Database<Buffer, Buffer> {
  return store.openDB<Buffer, Buffer>('cache', { encoding: 'binary', keyEncoding: 'binary' });
}

/** The stored bytes of an entry. */
export function encodeEntry(e: CachedAnswer): Buffer {
  const out = Buffer.alloc(HEAD + e.ttlOffsets.length * 2 + e.wire.length);
  out[0] = VERSION;
  out[1] = e.rcode;
  out.writeDoubleBE(e.storedAt, 2);
  out.writeDoubleBE(e.expiresAt, 10);
  out.writeDoubleBE(e.staleUntil, 18);
  out.writeUInt16BE(e.ttlOffsets.length, 26);
  e.ttlOffsets.forEach((o, i) => out.writeUInt16BE(o, HEAD + i * 2));
  e.wire.copy(out, HEAD + e.ttlOffsets.length * 2);
  return out;
}

/** The entry for stored bytes, or null if they are not a valid version-1 record. */
export function decodeEntry(key: string, v: Uint8Array): CachedAnswer | null {
  const b = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (b.length < HEAD || b[0] !== VERSION) return null;
  const n = b.readUInt16BE(26);
  const wireStart = HEAD + n * 2;
  if (b.length < wireStart + 12) return null;
  const wire = ownCopy(b.subarray(wireStart)); // lmdb may reuse its read buffer; the entry lives long
  const ttlOffsets: number[] = [];
  for (let i = 0; i < n; i++) {
    const o = b.readUInt16BE(HEAD + i * 2);
    if (o < 12 || o + 4 > wire.length) return null;
    ttlOffsets.push(o);
  }
  return { key, wire, ttlOffsets, rcode: b[1], storedAt: b.readDoubleBE(2), expiresAt: b.readDoubleBE(10), staleUntil: b.readDoubleBE(18), cacheable: true, touched: 0, facts: null };
}

/** Replaces the saved cache with the live one; returns how many entries were written. */
export function saveCache(cache: CacheStore, store: VolatileStore, now: number): number {
  const db = cacheDb(store);
  let n = 0;
  db.transactionSync(() => {
    db.clearSync();
    for (const e of cache.entries()) {
      if (e.staleUntil <= now) continue;
      db.putSync(Buffer.from(e.key, 'latin1'), encodeEntry(e));
      n++;
    }
  });
  return n;
}

/** Loads saved entries still within their stale limit; returns how many were loaded. */
export function loadCache(cache: CacheStore, store: VolatileStore, now: number): number {
  const db = cacheDb(store);
  let n = 0;
  for (const { key, value } of db.getRange()) {
    const e = decodeEntry(Buffer.from(key).toString('latin1'), value);
    if (e === null || e.staleUntil <= now) continue;
    cache.put(e);
    n++;
  }
  return n;
}
