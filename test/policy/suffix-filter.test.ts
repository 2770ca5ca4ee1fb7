import { describe, expect, it } from 'vitest';
import { nameToWire } from '../../src/dns/name.js';
import { buildSuffixFilter } from '../../src/policy/suffix-filter.js';

const w = (n: string) => nameToWire(n)!;

describe('suffix filter', () => {
  describe('when a name or one of its parents is listed', () => {
    it('returns the longest listed suffix', () => {
      const f = buildSuffixFilter(new Set([w('example.org'), w('b.example.org')]));
      expect(f.match(w('a.b.example.org'))).toBe(w('b.example.org'));
      expect(f.match(w('c.example.org'))).toBe(w('example.org'));
      expect(f.match(w('example.org'))).toBe(w('example.org'));
    });
  });

  describe('when nothing matches', () => {
    it('returns null, also for the root and for a parent of a listed name', () => {
      const f = buildSuffixFilter(new Set([w('ads.example.org')]));
      expect(f.match(w('example.org'))).toBeNull();
      expect(f.match(w('xads.example.org'))).toBeNull();
      expect(f.match('\0')).toBeNull();
    });

    it('never answers yes for an unlisted name, whatever the filter says (10 000 random names)', () => {
      const listed = new Set(Array.from({ length: 5000 }, (_, i) => w(`t${i}.example.net`)));
      const f = buildSuffixFilter(listed);
      for (let i = 0; i < 10_000; i++) expect(f.match(w(`host-${i}.example.org`))).toBeNull();
      for (let i = 0; i < 5000; i += 97) expect(f.match(w(`www.t${i}.example.net`))).toBe(w(`t${i}.example.net`));
    });
  });

  describe('when a bare TLD is listed', () => {
    it('matches every name under it', () => {
      const f = buildSuffixFilter(new Set([w('net')]));
      expect(f.match(w('www.example.net'))).toBe(w('net'));
      expect(f.match(w('www.example.org'))).toBeNull();
    });
  });

  describe('when the list is empty', () => {
    it('matches nothing', () => {
      expect(buildSuffixFilter(new Set()).match(w('example.org'))).toBeNull();
    });
  });
});
