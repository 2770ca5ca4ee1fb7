import { describe, expect, it } from 'vitest';
import { nameToWire } from '../../src/dns/name.js';
import { CATALOGS } from '../../src/policy/catalogs.js';
import type { ListLookup } from '../../src/policy/decide.js';
import { newNameWalk, walkName } from '../../src/policy/name-walk.js';
import { buildPolicySources } from '../../src/policy/sources.js';

const walk = (name: string) => walkName(nameToWire(name)!, newNameWalk());
const said = (d: { action: string; detail: string } | undefined) => (d === undefined ? null : `${d.action} ${d.detail}`);

describe('sources', () => {
  const ads: ListLookup = { match: () => ({ action: 'block', entry: nameToWire('ads.example.org')! }) };
  const sources = buildPolicySources(CATALOGS, (id) => (id === 'ads' ? ads : null));

  describe('when a bypass canary is asked', () => {
    it.each([
      ['use-application-dns.net', 'nxdomain bypass:use-application-dns.net'],
      ['USE-APPLICATION-DNS.NET', 'nxdomain bypass:use-application-dns.net'],
      ['mask.icloud.com', 'nxdomain bypass:mask.icloud.com'],
      ['mask-h2.icloud.com', 'nxdomain bypass:mask-h2.icloud.com'],
      // exact canaries do not cover their subdomains or their parents
      ['www.use-application-dns.net', null],
      ['x.mask.icloud.com', null],
      ['icloud.com', null],
      // resolver.arpa is a suffix entry, answered NODATA (RFC 9462: DDR)
      ['resolver.arpa', 'nodata bypass:resolver.arpa'],
      ['_dns.resolver.arpa', 'nodata bypass:resolver.arpa'],
      ['a.b._dns.resolver.arpa', 'nodata bypass:resolver.arpa'],
      ['arpa', null],
      ['example.org', null],
    ])('%s: %s', (name, expected) => {
      expect(said(sources.canaries.longest(walk(name)))).toBe(expected);
    });
  });

  describe('when a public DoH resolver is asked', () => {
    it.each([
      ['dns.google', 'block doh:dns.google'],
      ['dns64.dns.google', 'block doh:dns64.dns.google'],
      ['x.dns.google', null], // exact: not its subdomains
      ['google', null],
      ['cloudflare-dns.com', 'block doh:cloudflare-dns.com'], // suffix
      ['anything.cloudflare-dns.com', 'block doh:cloudflare-dns.com'],
      ['chrome.cloudflare-dns.com', 'block doh:chrome.cloudflare-dns.com'], // the exact entry names itself
      ['a.chrome.cloudflare-dns.com', 'block doh:cloudflare-dns.com'], // past an exact entry, to the suffix above it
      ['abc123.dns.nextdns.io', 'block doh:dns.nextdns.io'],
      ['dns.quad9.net', 'block doh:dns.quad9.net'],
      ['www.quad9.net', null],
      ['example.net', null],
    ])('%s: %s', (name, expected) => {
      expect(said(sources.doh.longest(walk(name)))).toBe(expected);
    });

    it('skips the first labels with `from`, still refusing exact entries below the name', () => {
      expect(said(sources.doh.longest(walk('x.chrome.cloudflare-dns.com'), 1))).toBe('block doh:cloudflare-dns.com');
      expect(said(sources.doh.longest(walk('x.dns.google'), 1))).toBeNull();
    });

    it('keeps the map’s exact lookups', () => {
      expect(said(sources.doh.get(nameToWire('dns.google')!))).toBe('block doh:dns.google');
      expect(said(sources.doh.at(walk('x.dns.google'), 1))).toBe('block doh:dns.google');
      expect(sources.doh.size).toBeGreaterThan(100);
    });
  });

  describe('when built', () => {
    it('indexes the given catalogs with no problems in the bundled ones', () => {
      expect(sources.catalogs.catalogs).toBe(CATALOGS);
      expect(sources.catalogs.problems).toEqual([]);
      const hits = sources.catalogs.match(walk('a.b.tracking.miui.com'), () => true, []);
      expect(hits.map((h) => h.detail)).toEqual(['catalog:xiaomi:tracking.miui.com']);
    });

    it('finds lists through the given lookup on every call', () => {
      expect(sources.list('ads')).toBe(ads);
      expect(sources.list('other')).toBeNull();
    });

    it('rewrites search engines for SafeSearch', () => {
      expect(sources.safeSearch('www.google.com', 'strict')).toBe('forcesafesearch.google.com');
      expect(sources.safeSearch('example.org', 'strict')).toBeNull();
    });

    it('shares one decision object per entry', () => {
      expect(sources.doh.longest(walk('a.cloudflare-dns.com'))).toBe(sources.doh.longest(walk('b.cloudflare-dns.com')));
      expect(Object.isFrozen(sources.canaries.longest(walk('resolver.arpa')))).toBe(true);
    });
  });
});
