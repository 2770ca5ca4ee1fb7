import { describe, expect, it } from 'vitest';
import { nameToWire } from '../../src/dns/name.js';
import { newNameWalk, walkName } from '../../src/policy/name-walk.js';
import { createSuffixBloom, restoreSuffixBloom, type SuffixBloom } from '../../src/policy/suffix-filter.js';

const w = (n: string) => nameToWire(n)!;

/** The longest suffix of `wire` in `set`, asking the set only where the Bloom filter says maybe. */
function longest(bloom: SuffixBloom, set: Set<string>, wire: string, fromWalk = false): string | null {
  let found: string | null = null;
  const visit = (start: number) => {
    const suffix = wire.slice(start);
    if (set.has(suffix)) found = suffix; // shortest first: the last one seen is the longest
  };
  if (fromWalk) {
    const walk = walkName(wire, newNameWalk());
    bloom.candidatesOf(walk.hashes, walk.offsets, walk.count, visit);
  } else bloom.candidates(wire, visit);
  return found;
}
function filterOver(names: string[]) {
  const set = new Set(names.map(w));
  const bloom = createSuffixBloom(set.size);
  for (const n of set) bloom.add(n);
  return { bloom, match: (name: string, fromWalk = false) => longest(bloom, set, w(name), fromWalk) };
}

describe('suffix filter', () => {
  describe('when a name or one of its parents is listed', () => {
    it.each([false, true])('offers the longest listed suffix (from a walked name: %s)', (fromWalk) => {
      const f = filterOver(['example.org', 'b.example.org']);
      expect(f.match('a.b.example.org', fromWalk)).toBe(w('b.example.org'));
      expect(f.match('c.example.org', fromWalk)).toBe(w('example.org'));
      expect(f.match('example.org', fromWalk)).toBe(w('example.org'));
    });
  });

  describe('when nothing matches', () => {
    it('offers nothing that is listed, also for the root and for a parent of a listed name', () => {
      const f = filterOver(['ads.example.org']);
      expect(f.match('example.org')).toBeNull();
      expect(f.match('xads.example.org')).toBeNull();
      expect(f.match('.')).toBeNull();
    });

    it('lets through about 0.24 % false positives per suffix, and every listed name (5 000 listed, 10 000 not)', () => {
      const f = filterOver(Array.from({ length: 5000 }, (_, i) => `t${i}.example.net`));
      let offered = 0;
      for (let i = 0; i < 10_000; i++) f.bloom.candidates(w(`host-${i}.example.org`), () => offered++);
      expect(offered).toBeLessThan(10_000 * 3 * 0.01);
      for (let i = 0; i < 5000; i += 97) expect(f.match(`www.t${i}.example.net`)).toBe(w(`t${i}.example.net`));
    });
  });

  describe('when a bare TLD is listed', () => {
    it('offers it for every name under it', () => {
      const f = filterOver(['net']);
      expect(f.match('www.example.net')).toBe(w('net'));
      expect(f.match('www.example.net', true)).toBe(w('net'));
      expect(f.match('www.example.org')).toBeNull();
    });
  });

  describe('when the list is empty', () => {
    it('offers nothing', () => {
      expect(filterOver([]).match('example.org')).toBeNull();
    });
  });

  describe('when it is saved and restored', () => {
    it('answers the same from its bytes', () => {
      const f = filterOver(['ads.example.org', 'net']);
      const restored = restoreSuffixBloom(f.bloom.toBytes())!;
      const set = new Set([w('ads.example.org'), w('net')]);
      for (const n of ['x.ads.example.org', 'www.example.net', 'example.org']) expect(longest(restored, set, w(n))).toBe(f.match(n));
      expect(restoreSuffixBloom(new Uint8Array(8))).toBeNull();
    });
  });
});
