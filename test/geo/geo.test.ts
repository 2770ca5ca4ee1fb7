import { copyFileSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createGeo, type Geo } from '../../src/geo/geo.js';
import { ASN_CSV, COUNTRY_ALL, COUNTRY_V4, COUNTRY_V6 } from './fixtures.js';

const volatileDir = mkdtempSync(join(tmpdir(), 'geo-volatile-'));
const quiet = (): void => {};

describe('createGeo', () => {
  describe('when given the npm databases', () => {
    let geo: Geo;
    beforeAll(async () => {
      geo = createGeo({ country: [COUNTRY_ALL], asn: ASN_CSV, volatileDir, pollMs: 0, log: quiet });
      await geo.ready; // compiles the 65 MB of CSV once (~1-2.5 s)
    }, 60_000);
    afterAll(() => geo.close());

    it.each([
      ['8.8.8.8', 'US', 15169, 'Google LLC'],
      ['1.1.1.1', 'AU', 13335, 'Cloudflare, Inc.'], // DB-IP places Cloudflare's anycast prefix in AU, its APNIC home
      ['8.219.0.1', 'SG', 45102, 'Alibaba (US) Technology Co., Ltd.'], // Alibaba Cloud Singapore
      ['77.88.55.88', 'RU', 13238, 'YANDEX LLC'],
      ['2a02:6b8::2:242', 'RU', 13238, 'YANDEX LLC'],
      ['::ffff:8.8.8.8', 'US', 15169, 'Google LLC'],
    ])('knows %s: %s, AS%i %s', (ip, country, asn, org) => {
      expect(geo.lookup(ip)).toEqual({ country, asn, org });
    });

    it('knows Google Public DNS over IPv6 by its ASN', () => {
      const g = geo.lookup('2001:4860:4860::8888');
      expect(g.asn).toBe(15169);
      expect(g.org).toBe('Google LLC');
      expect(g.country).toMatch(/^[A-Z]{2}$/); // DB-IP 2026-06 says CA, not US: the data's call, not ours
    });

    it.each(['192.168.1.1', '10.0.0.1', '198.51.100.1', '203.0.113.7', '127.0.0.1', '::1', 'fe80::1%eth0', 'fd00::1', '2001:db8::1'])('answers all null for private or documentation address %s', (ip) => {
      expect(geo.lookup(ip)).toEqual({ country: null, asn: null, org: null });
    });

    it.each(['', 'example.org', '999.1.1.1', '1.2.3', '::g', ' 8.8.8.8', null as unknown as string])('answers all null for invalid text %j without throwing', (ip) => {
      expect(geo.lookup(ip)).toEqual({ country: null, asn: null, org: null });
    });

    it('answers a repeated address from its cache with the same frozen object', () => {
      const before = geo.info();
      const a = geo.lookup('9.9.9.9');
      const b = geo.lookup('9.9.9.9');
      expect(b).toBe(a);
      expect(Object.isFrozen(a)).toBe(true);
      const after = geo.info();
      expect(after.lookups - before.lookups).toBe(2);
      expect(after.cacheHits - before.cacheHits).toBe(1);
      geo.lookup('not an address');
      expect(geo.info().cacheSize).toBe(after.cacheSize); // junk is not cached
    });

    it('reports each source with the RAM it holds', () => {
      const [country, v4csv, v6csv] = geo.info().sources;
      expect(country).toMatchObject({ path: COUNTRY_ALL, role: 'country', loaded: true, bytes: 8_207_345, error: null });
      expect(country.detail).toMatch(/^country ipvAll \(ip-location-db\), built 20\d\d-/);
      expect(v4csv).toMatchObject({ role: 'asn', loaded: true, error: null });
      expect(v4csv.bytes).toBeGreaterThan(5e6); // the one table for both CSVs (~10.4 MB)
      expect(v6csv.bytes).toBe(0);
    });

    it('reuses the compiled ASN table on the next start', async () => {
      const again = createGeo({ country: [], asn: ASN_CSV, volatileDir, pollMs: 0, log: quiet });
      const info = await again.ready;
      expect(info.sources[0].detail).toMatch(/^ASN range table reused/);
      expect(again.lookup('8.8.8.8')).toEqual({ country: null, asn: 15169, org: 'Google LLC' });
      again.close();
    });
  });

  describe('when a file changes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'geo-reload-'));
    const path = join(dir, 'country.mmdb');
    const touch = (): void => utimesSync(path, new Date(), new Date(Date.now() + Math.random() * 1e6));

    it('swaps in a good new file and keeps the old one when the new one is corrupt or gzipped', async () => {
      copyFileSync(COUNTRY_V4, path);
      const log = vi.fn();
      const geo = createGeo({ country: [path], asn: [], pollMs: 0, log });
      await geo.ready;
      expect(geo.lookup('8.8.8.8').country).toBe('US');

      copyFileSync(COUNTRY_V6, path); // a different good database: IPv6 only
      touch();
      expect((await geo.reload()).swaps).toBe(2);
      expect(geo.lookup('8.8.8.8').country).toBeNull(); // the cache was dropped with the old file
      expect(geo.lookup('2a02:6b8::2:242').country).toBe('RU');

      writeFileSync(path, readFileSync(COUNTRY_V4).subarray(0, 100_000)); // truncated download
      let info = await geo.reload();
      expect(info.failedLoads).toBe(1);
      expect(info.sources[0]).toMatchObject({ loaded: true, error: expect.stringMatching(/not an mmdb file/) });
      expect(log).toHaveBeenCalledWith('warn', expect.stringMatching(/not an mmdb file.*keeping the previous version/));
      expect(geo.lookup('2a02:6b8::2:242').country).toBe('RU');

      writeFileSync(path, gzipSync(readFileSync(COUNTRY_V4)));
      info = await geo.reload();
      expect(info.sources[0].error).toMatch(/gzip-compressed; gunzip it first/);
      expect(geo.lookup('2a02:6b8::2:242').country).toBe('RU');
      expect((await geo.reload()).failedLoads).toBe(2); // the same bad file is not read again
      geo.close();
    });

    it('notices a change by polling, without reload()', async () => {
      copyFileSync(COUNTRY_V6, path);
      touch();
      const geo = createGeo({ country: [path], asn: [], pollMs: 50, log: quiet });
      await geo.ready;
      expect(geo.lookup('8.8.8.8').country).toBeNull();
      copyFileSync(COUNTRY_V4, path);
      touch();
      await vi.waitFor(() => expect(geo.info().swaps).toBe(2), { timeout: 5000, interval: 50 });
      expect(geo.lookup('8.8.8.8').country).toBe('US');
      geo.close();
    });
  });

  describe('when a file vanishes for a while', () => {
    it('keeps using it, says so, and clears the error when the same file is back', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'geo-blip-'));
      const path = join(dir, 'country.mmdb');
      copyFileSync(COUNTRY_V4, path);
      const mtime = new Date(Date.now() - 60_000);
      utimesSync(path, mtime, mtime);
      const geo = createGeo({ country: [path], asn: [], pollMs: 0, log: quiet });
      await geo.ready;
      rmSync(path);
      expect((await geo.reload()).sources[0]).toMatchObject({ loaded: true, error: `${path}: ENOENT` });
      expect(geo.lookup('8.8.8.8').country).toBe('US');
      copyFileSync(COUNTRY_V4, path);
      utimesSync(path, mtime, mtime);
      const info = await geo.reload();
      expect(info.sources[0].error).toBeNull();
      expect(info.swaps).toBe(1); // the same file: not read again
      geo.close();
    });
  });

  describe('when a file is missing or of the wrong kind', () => {
    it('answers all null and says why, without throwing', async () => {
      const geo = createGeo({ country: ['/nonexistent/country.mmdb'], asn: [COUNTRY_V4, '/nonexistent/asn.csv'], pollMs: 0, log: quiet });
      const info = await geo.ready;
      expect(info.sources.map((s) => s.error)).toEqual([
        '/nonexistent/country.mmdb: ENOENT',
        expect.stringMatching(/a 'ip-location-db' database has no ASN field/),
        expect.stringMatching(/^ASN CSV: ENOENT/),
      ]);
      expect(geo.lookup('8.8.8.8')).toEqual({ country: null, asn: null, org: null });
      geo.close();
    });
  });
});
