import { describe, expect, it } from 'vitest';
import {escapeLabelByte, nameToWire, wireStringToName} from '../../src/dns/name.js';

const w = (...labels: string[]) => labels.map((l) => String.fromCharCode(l.length) + l).join('') + '\0';

describe('nameToWire', () => {
  describe('when the name is valid', () => {
    it.each([
      ['example.org', w('example', 'org')],
      ['example.org.', w('example', 'org')],
      ['WWW.Example.ORG', w('www', 'example', 'org')],
      ['.', '\0'],
      ['', '\0'],
      ['a\\.b.example.org', w('a.b', 'example', 'org')],
      ['a\\046b.example.org', w('a.b', 'example', 'org')],
      ['\\065.example.org', w('a', 'example', 'org')], // \065 is 'A': folded like any letter
      ['\\000x.example.org', w('\0x', 'example', 'org')],
      ['a\\\\b.org', w('a\\b', 'org')],
      ['x\\ y.org', w('x y', 'org')],
    ])('turns %j into its lowercase wire form', (name, wire) => {
      expect(nameToWire(name)).toBe(wire);
    });

    it('folds ASCII letters only, keeping latin1 letters as they are', () => {
      expect(nameToWire('\u00c9X.org')).toBe(w('\u00c9x', 'org'));
    });

    it('accepts a 63-octet label and a 255-octet name', () => {
      const l63 = 'a'.repeat(63);
      expect(nameToWire(`${l63}.org`)).toBe(w(l63, 'org'));
      const name = ['a', 'b', 'c'].map((c) => c.repeat(63)).join('.') + '.' + 'd'.repeat(61);
      expect(nameToWire(name)!.length).toBe(255);
    });
  });

  describe('when the name is invalid', () => {
    it.each([
      ['a label over 63 octets', `${'a'.repeat(64)}.org`],
      ['a name over 255 octets', ['a', 'b', 'c'].map((c) => c.repeat(63)).join('.') + '.' + 'd'.repeat(62)],
      ['an empty label in the middle', 'example..org'],
      ['a leading dot', '.example.org'],
      ['two trailing dots', 'example.org..'],
      ['a \\DDD escape above 255', 'a\\256.org'],
      ['a lone trailing backslash', 'example.org\\'],
      ['a character above latin1', 'ex\u0101mple.org'],
    ])('returns null for %s', (_what, name) => {
      expect(nameToWire(name)).toBeNull();
    });
  });
});

describe('wireStringToName', () => {
  it.each(['example.org', 'www.example.net', 'a\\.b.example.org', 'a\\\\b.org', '\\000\\032\\255.example.org', '.'])('round-trips %j through nameToWire', (name) => {
    expect(wireStringToName(nameToWire(name)!)).toBe(name);
  });

  it('gives the lowercase form of a mixed-case name', () => {
    expect(wireStringToName(nameToWire('WWW.Example.ORG.')!)).toBe('www.example.org');
  });

  it('writes every byte of random names as escapeLabelByte does, up to the longest name (255 octets of \\DDD)', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    const byHand = (wire: string) => {
      const labels: string[] = [];
      for (let i = 0; wire.charCodeAt(i) !== 0; i += wire.charCodeAt(i) + 1) {
        labels.push([...wire.slice(i + 1, i + 1 + wire.charCodeAt(i))].map((ch) => escapeLabelByte(ch.charCodeAt(0))).join(''));
      }
      return labels.join('.');
    };
    for (let n = 0; n < 2000; n++) {
      let wire = '';
      for (let labels = 1 + rand(6); labels > 0; labels--) {
        const len = 1 + rand(20);
        wire += String.fromCharCode(len) + Array.from({ length: len }, () => String.fromCharCode(rand(256))).join('');
      }
      wire += '\0';
      expect(wireStringToName(wire)).toBe(byHand(wire));
    }
    const longest = (String.fromCharCode(63) + '\0'.repeat(63)).repeat(3) + String.fromCharCode(61) + '\0'.repeat(61) + '\0';
    expect(longest.length).toBe(255);
    expect(wireStringToName(longest)).toBe(byHand(longest));
    expect(wireStringToName(longest)).toHaveLength(250 * 4 + 3);
  });
});

describe('escapeLabelByte', () => {
  it.each([
    [0x61, 'a'],
    [0x2e, '\\.'],
    [0x5c, '\\\\'],
    [0x20, '\\032'],
    [0x09, '\\009'],
    [0x7f, '\\127'],
    [0x21, '!'],
    [0x7e, '~'],
  ])('escapes byte %i as %j', (c, text) => {
    expect(escapeLabelByte(c)).toBe(text);
  });
});
