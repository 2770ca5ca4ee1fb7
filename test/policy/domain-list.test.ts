import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nameToWire, wireStringToName } from '../../src/dns/name.js';
import { parseDomainList, readDomainList } from '../../src/policy/domain-list.js';

const names = (text: string) => [...parseDomainList(text).wires].map(wireStringToName);

describe('parseDomainList', () => {
  describe('when lines are plain domains', () => {
    it('reads one domain per line, lowercased, as wire names', () => {
      const l = parseDomainList('ads.example.org\nTracker.Example.NET.\n');
      expect([...l.wires]).toEqual([nameToWire('ads.example.org'), nameToWire('tracker.example.net')]);
      expect(l.bad).toBe(0);
    });

    it('skips comments, blank lines and trailing comments', () => {
      expect(names('# header\n\n   \nads.example.org # why\n  # indented\n')).toEqual(['ads.example.org']);
    });

    it('reads CRLF lines', () => {
      expect(names('ads.example.org\r\ntracker.example.net\r\n')).toEqual(['ads.example.org', 'tracker.example.net']);
    });

    it('counts lines', () => {
      expect(parseDomainList('a.example.org\n# c\n\nb.example.org').lines).toBe(4);
    });

    it('merges into an existing list', () => {
      const l = parseDomainList('a.example.org\n');
      parseDomainList('b.example.org\na.example.org\n', l);
      expect(l.wires.size).toBe(2);
      expect(l.lines).toBe(3);
    });
  });

  describe('when lines are in hosts format', () => {
    it.each(['0.0.0.0', '127.0.0.1', '::', '::1'])('reads "%s name" as the name', (addr) => {
      expect(names(`${addr} ads.example.org\n${addr}\ttracker.example.net # c\n`)).toEqual(['ads.example.org', 'tracker.example.net']);
    });

    it('does not take the localhost lines of a hosts-file header as rules', () => {
      expect(names('127.0.0.1 localhost\n::1 localhost\n255.255.255.255 broadcasthost\n0.0.0.0 ads.example.org\n')).toEqual(['ads.example.org']);
    });
  });

  describe('when lines are bad', () => {
    it('counts them, keeps samples and still loads the good lines', () => {
      const l = parseDomainList('good.example.org\n*.example.org\nfoo bar.example.org\nbad..example.org\n192.0.2.1 a.example.org\n.\n');
      expect([...l.wires].map(wireStringToName)).toEqual(['good.example.org']);
      expect(l.bad).toBe(5);
      expect(l.samples).toEqual([
        'line 2: "*.example.org"',
        'line 3: "foo bar.example.org"',
        'line 4: "bad..example.org"',
        'line 5: "192.0.2.1 a.example.org"',
        'line 6: "."',
      ]);
    });

    it('reads every name of a hosts-file line and skips its one-label housekeeping names', () => {
      const l = parseDomainList('0.0.0.0 a.example.org b.example.org\n127.0.0.1 localhost localhost.localdomain\n::1 localhost ip6-localhost\n');
      expect([...l.wires].map(wireStringToName)).toEqual(['a.example.org', 'b.example.org']);
      expect(l.bad).toBe(0);
    });

    it('rejects wildcards anywhere', () => {
      const l = parseDomainList('*.example.org\nads*.example.org\n');
      expect(l.wires.size).toBe(0);
      expect(l.bad).toBe(2);
    });

    it('keeps at most 5 samples', () => {
      const l = parseDomainList(Array.from({ length: 20 }, () => '*.example.org').join('\n'));
      expect(l.bad).toBe(20);
      expect(l.samples).toHaveLength(5);
    });

    it('refuses a label over 63 octets', () => {
      expect(parseDomainList(`${'a'.repeat(64)}.example.org`).bad).toBe(1);
    });
  });
});

describe('readDomainList', () => {
  it('reads a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'telemute-list-'));
    writeFileSync(join(dir, 'list.txt'), 'ads.example.org\n');
    expect(readDomainList(join(dir, 'list.txt')).wires.has(nameToWire('ads.example.org')!)).toBe(true);
  });

  it('throws with the path and code when the file is missing', () => {
    expect(() => readDomainList('/nonexistent/telemute.txt')).toThrow('blocklist /nonexistent/telemute.txt: ENOENT');
  });
});
