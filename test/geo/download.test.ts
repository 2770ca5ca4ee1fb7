import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadMmdb, fileNameOf, mmdbFromTar } from '../../src/geo/download.js';
import { COUNTRY_V4 } from './fixtures.js';

const mmdb = readFileSync(COUNTRY_V4);

/** A minimal ustar archive holding the given files (as MaxMind's .tar.gz downloads do). */
function tar(files: Record<string, Buffer>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, data] of Object.entries(files)) {
    const h = Buffer.alloc(512);
    h.write(name, 0, 'latin1');
    h.write(data.length.toString(8).padStart(11, '0') + '\0', 124, 'latin1');
    h[156] = 0x30;
    h.write('ustar\0', 257, 'latin1');
    parts.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  return Buffer.concat([...parts, Buffer.alloc(1024)]);
}

const routes: Record<string, Buffer> = {
  '/db/country.mmdb.gz': gzipSync(mmdb),
  '/db/plain.mmdb': mmdb,
  '/db/GeoLite2-Country.tar.gz': gzipSync(tar({ 'GeoLite2-Country_20260601/COPYRIGHT.txt': Buffer.from('(c)'), 'GeoLite2-Country_20260601/GeoLite2-Country.mmdb': mmdb })),
  '/db/truncated.mmdb': mmdb.subarray(0, mmdb.length >> 1),
  '/db/page.mmdb': Buffer.from('<html>Please log in</html>'),
};

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    const body = routes[req.url ?? ''];
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe('downloadMmdb', () => {
  describe('when the server sends a good database', () => {
    it.each([
      ['/db/country.mmdb.gz', 'country.mmdb'],
      ['/db/plain.mmdb', 'plain.mmdb'],
      ['/db/GeoLite2-Country.tar.gz', 'GeoLite2-Country.mmdb'],
    ])('unpacks %s, verifies it and puts it in place as %s', async (route, name) => {
      const dir = join(mkdtempSync(join(tmpdir(), 'geo-dl-')), 'new-subdir');
      const r = await downloadMmdb({ url: base + route, dir });
      expect(r).toMatchObject({ ok: true, path: join(dir, name), bytes: mmdb.length, schema: 'ip-location-db' });
      expect(readFileSync(join(dir, name)).equals(mmdb)).toBe(true);
      expect(readdirSync(dir)).toEqual([name]); // no temporary file left behind
    });
  });

  describe('when the download is bad', () => {
    const dir = mkdtempSync(join(tmpdir(), 'geo-dl-bad-'));
    const old = join(dir, 'country.mmdb');

    it.each([
      ['/db/truncated.mmdb', /not an mmdb file/],
      ['/db/page.mmdb', /not an mmdb file/],
      ['/db/missing.mmdb', /HTTP 404/],
    ])('keeps the old file when %s fails: %s', async (route, why) => {
      writeFileSync(old, 'old');
      const r = await downloadMmdb({ url: base + route, dir, fileName: 'country.mmdb' });
      expect(r.ok).toBe(false);
      expect(!r.ok && r.error).toMatch(why);
      expect(readFileSync(old, 'utf8')).toBe('old');
      expect(readdirSync(dir)).toEqual(['country.mmdb']);
    });

    it('stops at the size cap, for the download and for what it unpacks to', async () => {
      const small = await downloadMmdb({ url: `${base}/db/plain.mmdb`, dir, maxBytes: 1_000_000 });
      expect(!small.ok && small.error).toMatch(/over the 1000000-byte limit/);
      const bomb = await downloadMmdb({ url: `${base}/db/country.mmdb.gz`, dir, maxBytes: 2_000_000 });
      expect(!bomb.ok && bomb.error).toMatch(/gunzip failed/);
      expect(existsSync(join(dir, 'plain.mmdb'))).toBe(false);
    });

    it('resolves with the network error instead of throwing', async () => {
      const closed = createServer();
      await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((done) => closed.close(() => done()));
      const r = await downloadMmdb({ url: `http://127.0.0.1:${port}/x.mmdb`, dir });
      expect(r).toEqual({ ok: false, error: `http://127.0.0.1:${port}/x.mmdb: ECONNREFUSED` });
      expect(await downloadMmdb({ url: 'not a url', dir })).toEqual({ ok: false, error: 'no .mmdb file name for not a url' });
    });
  });
});

describe('fileNameOf', () => {
  it.each([
    ['https://example.org/a/dbip-country.mmdb.gz', 'dbip-country.mmdb'],
    ['https://example.org/GeoLite2-ASN.tar.gz?key=1', 'GeoLite2-ASN.mmdb'],
    ['https://example.org/lite.mmdb', 'lite.mmdb'],
    ['https://example.org/download', null],
    ['https://example.org/..%2Fetc.mmdb', null],
  ])('%s -> %s', (url, name) => expect(fileNameOf(url)).toBe(name));

  it('finds nothing in a tar without an mmdb', () => {
    expect(mmdbFromTar(tar({ 'README.txt': Buffer.from('hi') }))).toBeNull();
  });
});
