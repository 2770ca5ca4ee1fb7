import { describe, expect, it } from 'vitest';
import { nameToWire } from '../../src/dns/name.js';
import { buildCatalogIndex, type CatalogHit } from '../../src/policy/catalog-index.js';
import type { Catalog, CatalogEntry } from '../../src/policy/catalogs.js';
import { newNameWalk, presentation, walkName } from '../../src/policy/name-walk.js';

/** A small synthetic catalog; entries as [pattern, kind, class]. */
function catalog(id: string, entries: [string, CatalogEntry['kind'], CatalogEntry['class']?][]): Catalog {
  return {
    id,
    name: id,
    version: 1,
    date: '2026-11-24',
    description: '',
    match: { oui_vendors: [], hostname_patterns: [] },
    entries: entries.map(([pattern, kind, cls]) => ({ pattern, kind, class: cls ?? 'telemetry', note: '', sources: [] })),
    sources: [],
  };
}

const all = () => true;
const walk = (name: string) => walkName(nameToWire(name)!, newNameWalk());
const hits = (index: ReturnType<typeof buildCatalogIndex>, name: string, isOn: (c: number) => boolean = all) =>
  index.match(walk(name), isOn, []).map((h) => h.detail);

describe('catalog-index', () => {
  describe('when entries are exact, suffix or wildcard', () => {
    const index = buildCatalogIndex([
      catalog('alpha', [
        ['metrics.example.org', 'exact'],
        ['tracking.example.org', 'suffix'],
        ['data.*.example.net', 'wildcard'],
        ['cdn*.example.net', 'wildcard'],
        ['unagi.example.*', 'wildcard'],
      ]),
    ]);

    it.each([
      ['metrics.example.org', ['catalog:alpha:metrics.example.org']],
      ['a.metrics.example.org', []], // exact: the name only
      ['tracking.example.org', ['catalog:alpha:tracking.example.org']],
      ['x.y.tracking.example.org', ['catalog:alpha:tracking.example.org']],
      ['nottracking.example.org', []], // suffix: label boundaries only
      ['data.eu.example.net', ['catalog:alpha:data.*.example.net']],
      ['a.data.eu.example.net', ['catalog:alpha:data.*.example.net']], // wildcards cover subdomains
      ['data.example.net', []], // a lone `*` label needs at least one character
      ['data.a.b.example.net', []], // and never a dot
      ['cdn.example.net', ['catalog:alpha:cdn*.example.net']], // `*` within a label: zero or more
      ['cdn42.example.net', ['catalog:alpha:cdn*.example.net']],
      ['cd.example.net', []],
      ['unagi.example.org', ['catalog:alpha:unagi.example.*']], // tail-less
      ['eu.unagi.example.com', ['catalog:alpha:unagi.example.*']],
      ['unagi.example.co.uk', []],
      ['example.org', []],
    ])('matches %s to %j', (name, expected) => {
      expect(hits(index, name)).toEqual(expected);
    });

    it('describes each hit: catalog index and id, class, pattern, detail', () => {
      expect(index.match(walk('data.eu.example.net'), all, [])).toEqual<CatalogHit[]>([
        { catalog: 0, catalogId: 'alpha', class: 'telemetry', pattern: 'data.*.example.net', detail: 'catalog:alpha:data.*.example.net' },
      ]);
    });

    it('finds nothing for the root', () => {
      expect(index.match(walkName('\0', newNameWalk()), all, [])).toEqual([]);
    });

    it('matches whatever the case of the pattern', () => {
      const upper = buildCatalogIndex([catalog('c', [['DATA.*.Example.NET', 'wildcard'], ['Tracking.Example.ORG', 'suffix']])]);
      expect(hits(upper, 'data.eu.example.net')).toEqual(['catalog:c:DATA.*.Example.NET']);
      expect(hits(upper, 'x.tracking.example.org')).toEqual(['catalog:c:Tracking.Example.ORG']);
    });
  });

  describe('when several entries match at different positions', () => {
    const index = buildCatalogIndex([
      catalog('alpha', [
        ['example.org', 'suffix'],
        ['api.example.org', 'suffix', 'functional'],
        ['*.api.example.org', 'wildcard', 'sensitive'],
        ['unagi.*', 'wildcard'],
      ]),
      catalog('beta', [['v1.api.example.org', 'suffix']]),
    ]);

    it.each([
      ['x.v1.api.example.org', ['catalog:beta:v1.api.example.org']], // longest suffix first
      ['v2.api.example.org', ['catalog:alpha:api.example.org', 'catalog:alpha:*.api.example.org']], // a wildcard counts at its tail
      ['api.example.org', ['catalog:alpha:api.example.org']],
      ['www.example.org', ['catalog:alpha:example.org']],
      ['unagi.example.org', ['catalog:alpha:example.org']], // tail-less wildcards only when nothing else matched
      ['unagi.example.net', []], // `*` is one label
      ['unagi.net', ['catalog:alpha:unagi.*']],
    ])('decides %s by %j', (name, expected) => {
      expect(hits(index, name)).toEqual(expected);
    });
  });

  describe('when several catalogs list the same position', () => {
    const index = buildCatalogIndex([
      catalog('xiaomi', [['relay.example.net', 'suffix', 'sensitive']]),
      catalog('huami', [['relay.example.net', 'suffix', 'functional'], ['*.relay.example.net', 'wildcard']]),
      catalog('other', [['example.net', 'suffix']]),
    ]);

    it('returns every hit at that position, in catalog order', () => {
      expect(index.match(walk('eu.relay.example.net'), all, []).map((h) => [h.catalogId, h.class])).toEqual([
        ['xiaomi', 'sensitive'],
        ['huami', 'functional'],
        ['huami', 'telemetry'], // the wildcard's tail is relay.example.net: the same position
      ]);
    });

    it('ignores catalogs that are switched off, falling to the next position', () => {
      expect(hits(index, 'eu.relay.example.net', (c) => c !== 0)).toEqual(['catalog:huami:relay.example.net', 'catalog:huami:*.relay.example.net']);
      expect(hits(index, 'eu.relay.example.net', (c) => c === 2)).toEqual(['catalog:other:example.net']);
      expect(hits(index, 'eu.relay.example.net', () => false)).toEqual([]);
    });

    it('fills and returns the given array, emptied first', () => {
      const out: CatalogHit[] = [{ catalog: 9, catalogId: 'stale', class: 'telemetry', pattern: 'x', detail: 'x' }];
      expect(index.match(walk('relay.example.net'), (c) => c === 1, out)).toBe(out);
      expect(out.map((h) => h.detail)).toEqual(['catalog:huami:relay.example.net']);
    });
  });

  describe('when an exact entry and a suffix entry name the same name', () => {
    const index = buildCatalogIndex([catalog('a', [['login.example.org', 'exact']]), catalog('b', [['login.example.org', 'suffix', 'functional']])]);

    it('returns both: they stand at the same position (so the functional one can win)', () => {
      expect(index.match(walk('login.example.org'), all, []).map((h) => [h.catalogId, h.class])).toEqual([
        ['a', 'telemetry'],
        ['b', 'functional'],
      ]);
    });
  });

  describe('when a catalog has bad entries', () => {
    const index = buildCatalogIndex([
      catalog('broken', [
        ['ok.example.org', 'suffix'],
        ['data..*.example.org', 'wildcard'],
        ['sp ace.*.example.org', 'wildcard'],
        [`${'a'.repeat(64)}.example.org`, 'exact'],
      ]),
    ]);

    it('reports them in problems and keeps the good ones', () => {
      expect(index.problems).toEqual([
        'catalog broken: bad pattern data..*.example.org',
        'catalog broken: bad pattern sp ace.*.example.org',
        `catalog broken: bad name ${'a'.repeat(64)}.example.org`,
      ]);
      expect(hits(index, 'www.ok.example.org')).toEqual(['catalog:broken:ok.example.org']);
    });

    it('reports no problems for good catalogs', () => {
      expect(buildCatalogIndex([catalog('fine', [['x.example.org', 'exact']])]).problems).toEqual([]);
    });
  });

  describe('presentation', () => {
    it.each([
      ['www.example.org', 'www.example.org'],
      ['WWW.Example.ORG', 'www.example.org'],
      ['org', 'org'],
    ])('gives %s as %s', (name, expected) => {
      expect(presentation(walk(name))).toBe(expected);
    });

    it('is empty for the root', () => {
      expect(presentation(walkName('\0', newNameWalk()))).toBe('');
    });

    it('is made once per walk and reset by the next walk', () => {
      const w = walk('a.example.org');
      expect(presentation(w)).toBe('a.example.org');
      expect(w.name).toBe('a.example.org');
      walkName(nameToWire('b.example.net')!, w);
      expect(presentation(w)).toBe('b.example.net');
    });
  });
});
