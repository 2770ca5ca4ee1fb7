import { describe, expect, it } from 'vitest';
import { entrySize, type CachedAnswer } from '../../src/cache/entry.js';
import { createCacheStore } from '../../src/cache/store.js';

/** A cacheable entry fresh until `expiresAt`, stale until `staleUntil`. */
function entry(key: string, o: { bytes?: number; expiresAt?: number; staleUntil?: number; cacheable?: boolean } = {}): CachedAnswer {
  const expiresAt = o.expiresAt ?? 1_000_000;
  return {
    key,
    wire: Buffer.alloc(o.bytes ?? 40),
    ttlOffsets: [],
    rcode: 0,
    storedAt: 0,
    expiresAt,
    staleUntil: o.staleUntil ?? expiresAt + 1000,
    cacheable: o.cacheable ?? true,
    touched: 0,
    facts: null,
  };
}

describe('createCacheStore', () => {
  describe('when bounded by entries', () => {
    it('evicts the oldest entry beyond maxEntries', () => {
      const s = createCacheStore({ maxEntries: 3, maxBytes: 1e9 });
      for (const k of ['a', 'b', 'c', 'd']) s.put(entry(k));
      expect(s.get('a', 0)).toBeUndefined();
      expect(['b', 'c', 'd'].map((k) => s.get(k, 0)?.key)).toEqual(['b', 'c', 'd']);
      expect(s.stats()).toMatchObject({ entries: 3, evictions: 1 });
    });

    it('replaces an entry with the same key without counting it twice', () => {
      const s = createCacheStore({ maxEntries: 3, maxBytes: 1e9 });
      s.put(entry('a', { bytes: 10 }));
      const b = entry('a', { bytes: 50 });
      s.put(b);
      expect(s.get('a', 0)).toBe(b);
      expect(s.stats()).toMatchObject({ entries: 1, bytes: entrySize(b), evictions: 0 });
    });

    it('stores nothing with maxEntries 0', () => {
      const s = createCacheStore({ maxEntries: 0, maxBytes: 1e9 });
      s.put(entry('a'));
      expect(s.get('a', 0)).toBeUndefined();
    });
  });

  describe('when bounded by bytes', () => {
    it('evicts the oldest entries until the bytes fit', () => {
      const one = entrySize(entry('a', { bytes: 1000 }));
      const s = createCacheStore({ maxEntries: 100, maxBytes: one * 2 + 10 });
      s.put(entry('a', { bytes: 1000 }));
      s.put(entry('b', { bytes: 1000 }));
      expect(s.stats().entries).toBe(2);
      s.put(entry('c', { bytes: 1000 }));
      expect(s.get('a', 0)).toBeUndefined();
      expect(s.get('b', 0)).toBeDefined();
      expect(s.get('c', 0)).toBeDefined();
      expect(s.stats().bytes).toBe(one * 2);
    });

    it('evicts several small entries for one big one', () => {
      const small = entrySize(entry('x', { bytes: 100 }));
      const s = createCacheStore({ maxEntries: 100, maxBytes: small * 4 });
      for (const k of ['a', 'b', 'c', 'd']) s.put(entry(k, { bytes: 100 }));
      const big = entry('big', { bytes: small * 2 - 203 }); // costs two small entries
      expect(entrySize(big)).toBe(small * 2);
      s.put(big);
      expect(['a', 'b', 'c', 'd'].filter((k) => s.get(k, 0) !== undefined)).toEqual(['c', 'd']);
      expect(s.stats()).toMatchObject({ bytes: small * 4, evictions: 2 });
    });
  });

  describe('when an entry is hit often (approximate LRU)', () => {
    it('keeps it while colder entries are evicted', () => {
      const s = createCacheStore({ maxEntries: 8, maxBytes: 1e9 });
      s.put(entry('hot'));
      for (let i = 0; i < 100; i++) {
        s.put(entry(`cold${i}`));
        expect(s.get('hot', 0), `after ${i} puts`).toBeDefined();
      }
      expect(s.stats().entries).toBe(8);
      expect(s.get('cold0', 0)).toBeUndefined();
    });

    it('evicts an entry that is never hit', () => {
      const s = createCacheStore({ maxEntries: 8, maxBytes: 1e9 });
      s.put(entry('once'));
      for (let i = 0; i < 8; i++) s.put(entry(`other${i}`));
      expect(s.get('once', 0)).toBeUndefined();
    });
  });

  describe('when an entry has expired', () => {
    it('still returns it until staleUntil', () => {
      const s = createCacheStore({ maxEntries: 10, maxBytes: 1e9 });
      s.put(entry('a', { expiresAt: 100, staleUntil: 200 }));
      expect(s.get('a', 150)?.key).toBe('a');
    });

    it('returns undefined past staleUntil and removes it', () => {
      const s = createCacheStore({ maxEntries: 10, maxBytes: 1e9 });
      s.put(entry('a', { expiresAt: 100, staleUntil: 200 }));
      expect(s.get('a', 200)).toBeUndefined();
      expect(s.stats()).toMatchObject({ entries: 0, bytes: 0 });
      expect(s.get('a', 0)).toBeUndefined();
    });
  });

  it('does not store a non-cacheable entry', () => {
    const s = createCacheStore({ maxEntries: 10, maxBytes: 1e9 });
    s.put(entry('a', { cacheable: false }));
    expect(s.get('a', 0)).toBeUndefined();
    expect(s.stats().entries).toBe(0);
  });

  describe('when a name failed (RFC 9520)', () => {
    it('remembers the failure until the given time', () => {
      const s = createCacheStore({ maxEntries: 10, maxBytes: 1e9 });
      s.markFailed('a', 5000);
      expect(s.hasFailed('a', 4999)).toBe(true);
      expect(s.hasFailed('b', 4999)).toBe(false);
      expect(s.hasFailed('a', 5000)).toBe(false);
      expect(s.stats().failures).toBe(0);
    });

    it('forgets the failure when an answer is stored', () => {
      const s = createCacheStore({ maxEntries: 10, maxBytes: 1e9 });
      s.markFailed('a', 5000);
      s.put(entry('a'));
      expect(s.hasFailed('a', 0)).toBe(false);
    });

    it('keeps at most maxFailures, dropping the oldest', () => {
      const s = createCacheStore({ maxEntries: 10, maxBytes: 1e9, maxFailures: 2 });
      s.markFailed('a', 5000);
      s.markFailed('b', 5000);
      s.markFailed('c', 5000);
      expect(s.hasFailed('a', 0)).toBe(false);
      expect(s.hasFailed('b', 0)).toBe(true);
      expect(s.hasFailed('c', 0)).toBe(true);
    });
  });

  it('lists its entries oldest first', () => {
    const s = createCacheStore({ maxEntries: 10, maxBytes: 1e9 });
    for (const k of ['a', 'b', 'c']) s.put(entry(k));
    s.put(entry('a'));
    expect([...s.entries()].map((e) => e.key)).toEqual(['b', 'c', 'a']);
  });

  it('clears entries and failures', () => {
    const s = createCacheStore({ maxEntries: 10, maxBytes: 1e9 });
    s.put(entry('a'));
    s.markFailed('b', 5000);
    s.clear();
    expect(s.stats()).toMatchObject({ entries: 0, bytes: 0, failures: 0 });
    expect(s.get('a', 0)).toBeUndefined();
  });
});
