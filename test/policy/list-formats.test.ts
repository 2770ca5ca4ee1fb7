import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { nameToWire, wireStringToName } from '../../src/dns/name.js';
import { parseList, type ParsedList } from '../../src/policy/list-formats.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/lists/${name}`, import.meta.url));
const names = (set: Set<string>) => [...set].map(wireStringToName).sort();
const blocked = (text: string) => names(parseList(text).block);
const counts = (l: ParsedList) => ({ lines: l.lines, bad: l.bad, unsupported: l.unsupported });

describe('parseList', () => {
  describe('when the list is a hosts file', () => {
    const l = parseList(fixture('hosts.txt'));

    it('blocks the names of 0.0.0.0, 127.0.0.1, :: and ::1 lines, lowercased', () => {
      expect(names(l.block)).toEqual([
        'ads.example.org',
        'loopback.example.net',
        'metrics.example.org',
        'tabbed.example.net',
        'tracker.example.org',
        'upper.example.org',
        'v6-loop.example.org',
        'v6.example.org',
      ]);
    });

    it('skips housekeeping names without counting them bad', () => {
      expect(counts(l)).toEqual({ lines: 22, bad: 0, unsupported: 1 }); // 192.0.2.10 printer...
      expect(l.format).toEqual({ hosts: 17, plain: 0, adblock: 0, dnsmasq: 0 });
    });

    it('holds the same wire strings as nameToWire', () => {
      expect(l.block.has(nameToWire('ads.example.org')!)).toBe(true);
      expect([...l.allow, ...l.exact]).toEqual([]);
    });

    it.each([
      ['0.0.0.0 a.example.org b.example.net', ['a.example.org', 'b.example.net']],
      ['0.0.0.0 localhost a.example.org', ['a.example.org']],
      ['127.0.0.1 localhost.localdomain', []],
      ['0.0.0.0 a.example.org#not-a-comment', []],
    ])('reads %j', (line, expected) => {
      expect(blocked(line)).toEqual(expected);
    });

    it('keeps the good names of a line with a bad one, and counts the line bad', () => {
      const m = parseList('0.0.0.0 a.example.org bad!.example.org');
      expect(names(m.block)).toEqual(['a.example.org']);
      expect(m.bad).toBe(1);
    });
  });

  describe('when the list is AdBlock-style', () => {
    const l = parseList(fixture('adblock.txt'));

    it('blocks ||name^ rules, with $important or a closing |', () => {
      expect(names(l.block)).toEqual(['ads.example.org', 'exact-not.example.org', 'mobile.example.org', 'tracker.example.net']);
    });

    it('reads @@||name^ as allow rules and |name^ as exact rules', () => {
      expect(names(l.allow)).toEqual(['good.example.org', 'good2.example.net']);
      expect(names(l.exact)).toEqual(['only.example.org']);
    });

    it('counts other modifiers, wildcards, paths, prefixes and cosmetic rules as unsupported', () => {
      expect(counts(l)).toEqual({ lines: 20, bad: 0, unsupported: 8 });
      expect(l.format.adblock).toBe(15);
    });

    it.each([
      ['||a.example.org^$important,third-party', 'unsupported'],
      ['||a.example.org^$IMPORTANT', 'block'],
      ['||a.example.org:8080^', 'unsupported'],
      ['@@|a.example.org^', 'unsupported'],
      ['@@a.example.org', 'unsupported'],
      ['||com^', 'bad'],
      ['||bad_.example.org!^', 'bad'],
      ['||a.example.org.^', 'block'],
    ])('classifies %j as %s', (line, kind) => {
      const m = parseList(line);
      const got = m.bad ? 'bad' : m.unsupported ? 'unsupported' : m.block.size ? 'block' : 'none';
      expect(got).toBe(kind);
    });
  });

  describe('when the list is in dnsmasq format', () => {
    const l = parseList(fixture('dnsmasq.conf'));

    it('blocks address= with a null answer and server= without an upstream', () => {
      expect(names(l.block)).toEqual([
        'ads.example.org',
        'hash.example.org',
        'null.example.org',
        'one.example.org',
        'pihole.example.org',
        'two.example.net',
        'v6null.example.org',
      ]);
    });

    it('counts redirects and upstreams unsupported and a line without its closing / bad', () => {
      expect(counts(l)).toEqual({ lines: 11, bad: 1, unsupported: 3 });
      expect(l.samples).toEqual(['line 11: "address=/broken.example.org"']);
      expect(l.format.dnsmasq).toBe(9);
    });
  });

  describe('when formats are mixed in a CRLF file with a BOM', () => {
    const l = parseList(fixture('mixed.txt'));

    it('detects the format of each line', () => {
      expect(names(l.block)).toEqual([
        'adblock.example.org',
        'dnsmasq.example.org',
        'hosts.example.org',
        'plain.example.org',
        'xn--bcher-kva.example.org',
      ]);
      expect(names(l.allow)).toEqual(['allowed.example.net']);
      expect(names(l.exact)).toEqual(['exact.example.net']);
      expect(l.format).toEqual({ hosts: 1, plain: 3, adblock: 3, dnsmasq: 1 });
      expect(counts(l)).toEqual({ lines: 11, bad: 0, unsupported: 1 }); // *.wild.example.net
    });

    it('reads the same from a string', () => {
      expect(parseList(fixture('mixed.txt').toString('utf8')).block).toEqual(l.block);
    });
  });

  describe('when lines are broken', () => {
    const l = parseList(fixture('broken.txt'));

    it('loads the good lines', () => {
      expect(names(l.block)).toEqual(['good.example.org', 'last.example.net', 'under_score.example.org']);
    });

    it('counts latin1 bytes, NUL, a 100 KB line, bad characters, TLDs, empty and long labels as bad', () => {
      expect(counts(l)).toEqual({ lines: 13, bad: 10, unsupported: 0 });
    });

    it('keeps the first 5 bad lines with their numbers, cut to 80 characters', () => {
      expect(l.samples).toHaveLength(5);
      expect(l.samples[0]).toBe('line 2: "caf\uFFFD.example.org"');
      expect(l.samples[1]).toBe('line 3: "nul\\u0000byte.example.org"');
      expect(l.samples[2]).toBe(`line 4: "${'x'.repeat(80)}"`);
      expect(l.samples.slice(3)).toEqual(['line 6: "bad!char.example.org"', 'line 7: "com"']);
    });

    it.each([
      ['a.example.org#x'],
      ['-'],
      ['.'],
      ['.example.org'],
      ['a.example.org..'],
      [`${'a.'.repeat(126)}org`],
      ['[header'],
    ])('counts %j bad', (line) => {
      expect(parseList(line).bad).toBe(1);
    });

    it('accepts a 253-character name and an IDN', () => {
      const long = `${'a.'.repeat(125)}org`;
      expect(long.length).toBe(253);
      expect(blocked(`${long}\nBÜCHER.example.org`)).toEqual([long, 'xn--bcher-kva.example.org'].sort());
    });
  });

  describe('when limits are set', () => {
    it('stops at maxLines and says so', () => {
      const l = parseList('a.example.org\nb.example.org\nc.example.org\n', { maxLines: 2 });
      expect([l.lines, l.block.size, l.truncated]).toEqual([2, 2, true]);
      expect(parseList('a.example.org\nb.example.org\n', { maxLines: 2 }).truncated).toBe(false);
    });

    it('counts a line longer than maxLineLength bad, CR excluded', () => {
      const l = parseList('abcd.example.org\r\nabcde.example.org\r\n', { maxLineLength: 16 });
      expect(names(l.block)).toEqual(['abcd.example.org']);
      expect(l.bad).toBe(1);
    });

    it.each([{ maxLines: 0 }, { maxLineLength: 1.5 }])('throws on %j', (options) => {
      expect(() => parseList('', options)).toThrow(RangeError);
    });

    it('reads an empty list', () => {
      expect(counts(parseList(new Uint8Array()))).toEqual({ lines: 0, bad: 0, unsupported: 0 });
    });
  });

  describe('when the list has 1 000 000 lines', () => {
    it('reads them all', () => {
      const formats = [
        (i: number) => `0.0.0.0 h${i}.example.org`,
        (i: number) => `p${i}.example.net`,
        (i: number) => `||a${i}.example.org^`,
        (i: number) => `address=/d${i}.example.net/`,
      ];
      const lines: string[] = [];
      for (let i = 0; i < 1_000_000; i++) lines.push(formats[i % 4](i));
      const bytes = Buffer.from(lines.join('\n'));
      const started = performance.now();
      const l = parseList(bytes);
      console.log(`1M-line list parsed in ${Math.round(performance.now() - started)} ms`);
      expect([l.lines, l.block.size, l.bad]).toEqual([1_000_000, 1_000_000, 0]);
      expect(l.format).toEqual({ hosts: 250_000, plain: 250_000, adblock: 250_000, dnsmasq: 250_000 });
    });
  });

  describe('when the parse is done', () => {
    it('keeps nothing of the text alive (V8 held the last regex subject, a slice of it)', () => {
      setFlagsFromString('--expose_gc');
      const gc = runInNewContext('gc') as () => void;
      gc();
      const before = process.memoryUsage().heapUsed;
      let text: string | null = '0.0.0.0 a.example.org\n'.repeat(400_000) + 'x';
      const l = parseList(text);
      text = null;
      gc();
      expect(l.block.size).toBe(1);
      expect(process.memoryUsage().heapUsed - before).toBeLessThan(2 << 20); // the text: 8.8 MB
    });
  });
});
