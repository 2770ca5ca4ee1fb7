import { describe, expect, it } from 'vitest';
import {
  CANARIES,
  checkBypassData,
  DOH_RESOLVERS,
  isHostName,
  SAFESEARCH,
  safeSearchTarget,
  type CanaryList,
  type SafeSearchList,
} from '../../src/policy/bypass/bypass-data.js';

const source = { id: 1, title: 'Example', url: 'https://example.org/doc', retrieved: '2026-11-24' };

describe('bypass-data', () => {
  describe('when checking the bundled data sets', () => {
    it('finds no problem in canaries, DoH resolvers and SafeSearch', () => {
      expect(checkBypassData()).toEqual([]);
    });

    it('has every name lowercase and valid', () => {
      const names = [
        ...CANARIES.entries.map((e) => e.name),
        ...DOH_RESOLVERS.entries.map((e) => e.name),
        ...SAFESEARCH.engines.flatMap((e) => [...e.names, e.target]),
      ];
      for (const name of names) expect(isHostName(name), name).toBe(true);
    });

    it('has no name in two SafeSearch engines', () => {
      const names = SAFESEARCH.engines.flatMap((e) => e.names);
      expect(new Set(names).size).toBe(names.length);
    });

    it('gives every source a url and a retrieved date', () => {
      for (const s of [...CANARIES.sources, ...DOH_RESOLVERS.sources, ...SAFESEARCH.sources]) {
        expect(s.url, s.title).toMatch(/^https:\/\//);
        expect(s.retrieved, s.title).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    });

    it('lists the documented canaries, answering resolver.arpa with NODATA', () => {
      const byName = new Map(CANARIES.entries.map((e) => [e.name, e]));
      expect(byName.get('use-application-dns.net')?.answer).toBe('nxdomain');
      expect(byName.get('mask.icloud.com')?.answer).toBe('nxdomain');
      expect(byName.get('mask-h2.icloud.com')?.answer).toBe('nxdomain');
      expect(byName.get('resolver.arpa')).toMatchObject({ kind: 'suffix', answer: 'nodata' });
      expect(byName.has('mask-api.icloud.com')).toBe(false);
    });

    it('keeps the DoH list within 60-150 names, each with a provider', () => {
      expect(DOH_RESOLVERS.entries.length).toBeGreaterThanOrEqual(60);
      expect(DOH_RESOLVERS.entries.length).toBeLessThanOrEqual(150);
      for (const e of DOH_RESOLVERS.entries) expect(e.provider, e.name).not.toBe('');
    });
  });

  describe('when a data set is broken', () => {
    const canaries: CanaryList = {
      version: 1,
      date: '2026-11-24',
      entries: [
        { name: 'Example.org', kind: 'exact', answer: 'nxdomain', note: '', sources: [1] },
        { name: 'example.net', kind: 'exact', answer: 'nxdomain', note: '', sources: [9] },
        { name: 'example.net', kind: 'exact', answer: 'nxdomain', note: '', sources: [] },
      ],
      notes: [],
      sources: [source, { ...source, id: 2, url: '', retrieved: '' }],
    };
    const loop: SafeSearchList = {
      version: 1,
      date: '2026-11-24',
      engines: [
        { id: 'a', name: 'A', names: ['www.example.org'], target: 'safe.example.org', sources: [1], note: '' },
        { id: 'b', name: 'B', names: ['safe.example.org'], target: 'www.example.net', sources: [1], note: '' },
      ],
      sources: [source],
    };

    it('reports each problem', () => {
      expect(checkBypassData(canaries, DOH_RESOLVERS, loop)).toEqual([
        'canaries: invalid host name "Example.org"',
        'canaries: duplicate name "example.net"',
        'canaries: source 2 has no https url',
        'canaries: source 2 has no retrieved date',
        'canaries: example.net cites unknown source 9',
        'canaries: example.net cites no source',
        'safesearch: target "safe.example.org" is itself rewritten',
      ]);
    });
  });

  describe('when looking up a SafeSearch target', () => {
    // [name, level, target]
    const table: [string, 'strict' | 'moderate', string | null][] = [
      ['www.google.com', 'strict', 'forcesafesearch.google.com'],
      ['www.google.co.uk', 'moderate', 'forcesafesearch.google.com'],
      ['www.google.com.br', 'strict', 'forcesafesearch.google.com'],
      ['www.google.cat', 'strict', 'forcesafesearch.google.com'],
      ['google.com', 'strict', null],
      ['images.google.com', 'strict', null],
      ['www.youtube.com', 'strict', 'restrict.youtube.com'],
      ['www.youtube.com', 'moderate', 'restrictmoderate.youtube.com'],
      ['m.youtube.com', 'moderate', 'restrictmoderate.youtube.com'],
      ['youtubei.googleapis.com', 'strict', 'restrict.youtube.com'],
      ['youtube.googleapis.com', 'strict', 'restrict.youtube.com'],
      ['www.youtube-nocookie.com', 'strict', 'restrict.youtube.com'],
      ['youtube.com', 'strict', null],
      ['youtu.be', 'strict', null],
      ['www.bing.com', 'moderate', 'strict.bing.com'],
      ['duckduckgo.com', 'strict', 'safe.duckduckgo.com'],
      ['www.duckduckgo.com', 'strict', 'safe.duckduckgo.com'],
      ['search.brave.com', 'strict', 'forcesafe.search.brave.com'],
      ['yandex.ru', 'strict', 'familysearch.yandex.ru'],
      ['www.yandex.com.tr', 'strict', 'familysearch.yandex.ru'],
      ['pixabay.com', 'strict', 'safesearch.pixabay.com'],
      ['www.ecosia.org', 'strict', 'strict-safe-search.ecosia.org'],
      ['forcesafesearch.google.com', 'strict', null],
      ['WWW.GOOGLE.COM', 'strict', null],
      ['www.google.com.', 'strict', null],
      ['example.org', 'strict', null],
    ];
    it.each(table)('maps %s (%s) to %s', (name, level, target) => {
      expect(safeSearchTarget(name, level)).toBe(target);
    });
  });
});
