import { describe, expect, it } from 'vitest';
import { nameToWire } from '../../src/dns/name.js';
import { createSuffixMap, nameHash, newNameWalk, suffixAt, walkName } from '../../src/policy/name-walk.js';

const wire = (name: string) => nameToWire(name)!;
const walk = (name: string) => walkName(wire(name), newNameWalk());

/** Every suffix of a walked name, from label 0, as wire strings. */
const suffixes = (w: ReturnType<typeof walk>) => Array.from({ length: w.count }, (_, k) => suffixAt(w, k));

describe('name-walk', () => {
  describe('when a name is walked', () => {
    it.each([
      ['org', [0], ['\x03org\0']],
      ['example.org', [0, 8], ['\x07example\x03org\0', '\x03org\0']],
      ['www.example.org', [0, 4, 12], ['\x03www\x07example\x03org\0', '\x07example\x03org\0', '\x03org\0']],
    ])('finds the label starts and suffixes of %s', (name, offsets, expected) => {
      const w = walk(name);
      expect(w.count).toBe(offsets.length);
      expect(Array.from(w.offsets.subarray(0, w.count))).toEqual(offsets);
      expect(suffixes(w)).toEqual(expected);
    });

    it('gives each suffix the hash nameHash gives that suffix on its own', () => {
      const w = walk('a.b.www.example.org');
      for (let k = 0; k < w.count; k++) expect(w.hashes[k]).toBe(nameHash(suffixAt(w, k)));
      expect(new Set(Array.from(w.hashes.subarray(0, w.count))).size).toBe(5);
    });

    it('hashes label bytes of 0x80 and above as nameHash does', () => {
      const name = '\x04caf\xe9\x03\xff\x80\x81\x07example\x03org\0'; // latin1: one byte per character
      const w = walkName(name, newNameWalk());
      expect(w.count).toBe(4);
      for (let k = 0; k < w.count; k++) expect(w.hashes[k]).toBe(nameHash(suffixAt(w, k)));
      expect(suffixAt(w, 1)).toBe('\x03\xff\x80\x81\x07example\x03org\0');
      expect(w.hashes[0]).not.toBe(nameHash('\x04cafe\x03\xff\x80\x81\x07example\x03org\0'));
    });

    it('walks the root as zero labels, the whole wire as its only suffix', () => {
      const w = walkName('\0', newNameWalk());
      expect(w.count).toBe(0);
      expect(suffixAt(w, 0)).toBe('\0');
    });

    it('walks a name of 127 one-letter labels (255 octets), every suffix hashed', () => {
      const name = Array.from({ length: 127 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('.');
      const w = walk(name);
      expect(w.wire.length).toBe(255);
      expect(w.count).toBe(127);
      expect(w.offsets[126]).toBe(252);
      expect(suffixAt(w, 126)).toBe(wire(name.slice(-1)));
      for (let k = 0; k < w.count; k++) expect(w.hashes[k]).toBe(nameHash(suffixAt(w, k)));
    });

    it('is reused: a second walk replaces the first, and the presentation name is reset', () => {
      const w = walk('www.example.org');
      w.name = 'www.example.org';
      walkName(wire('example.net'), w);
      expect(w.count).toBe(2);
      expect(w.wire).toBe(wire('example.net'));
      expect(suffixes(w)).toEqual([wire('example.net'), wire('net')]);
      expect(w.hashes[1]).toBe(nameHash(wire('net')));
      expect(w.name).toBeNull();
    });
  });

  describe('when a SuffixMap is looked up', () => {
    const map = createSuffixMap(
      new Map([
        [wire('example.org'), 'org-zone'],
        [wire('ads.example.org'), 'ads'],
        [wire('net'), 'tld'],
      ]),
    );

    it.each([
      ['ads.example.org', 0, 'ads'],
      ['x.y.ads.example.org', 0, 'ads'],
      ['www.example.org', 0, 'org-zone'],
      ['example.org', 0, 'org-zone'],
      ['www.example.net', 0, 'tld'],
      ['org', 0, undefined],
      ['badads.example.org', 0, 'org-zone'], // label boundaries only
      ['ads.example.org', 1, 'org-zone'], // `from` skips the name itself
      ['x.ads.example.org', 1, 'ads'],
      ['example.org', 2, undefined],
    ])('longest(%s, from %i) is %s', (name, from, expected) => {
      expect(map.longest(walk(name), from)).toBe(expected);
    });

    it('gives the value at one label position exactly with at()', () => {
      const w = walk('x.ads.example.org');
      expect([0, 1, 2, 3].map((k) => map.at(w, k))).toEqual([undefined, 'ads', 'org-zone', undefined]);
    });

    it('gets by wire and counts its keys', () => {
      expect(map.size).toBe(3);
      expect(map.get(wire('net'))).toBe('tld');
      expect(map.get(wire('example.com'))).toBeUndefined();
    });

    it('finds nothing in an empty map, and nothing for the root', () => {
      expect(createSuffixMap(new Map<string, number>()).longest(walk('example.org'))).toBeUndefined();
      expect(map.longest(walkName('\0', newNameWalk()))).toBeUndefined();
    });

    it('finds keys with bytes of 0x80 and above', () => {
      const key = '\x04caf\xe9\x07example\x03org\0';
      const m = createSuffixMap(new Map([[key, 1]]));
      expect(m.longest(walkName('\x01x' + key, newNameWalk()))).toBe(1);
      expect(m.longest(walkName('\x01x\x04cafe\x07example\x03org\0', newNameWalk()))).toBeUndefined();
    });
  });
});
