import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchList } from '../../src/policy/list-fetch.js';

const LIST = '0.0.0.0 ads.example.org\n0.0.0.0 tracker.example.net\n';
const LAST_MODIFIED = 'Wed, 01 Jan 2025 00:00:00 GMT';
const MB = 1_000_000;

/** What the huge route managed to send before the client hung up. */
const huge = { sent: 0, closedAt: -1 };

function streamHuge(res: ServerResponse): void {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.on('close', () => (huge.closedAt = huge.sent));
  const pump = () => {
    while (huge.sent < 50 * MB && !res.destroyed) {
      huge.sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end();
  };
  pump();
}

const routes: Record<string, (req: Parameters<Parameters<typeof createServer>[1] & {}>[0], res: ServerResponse) => void> = {
  '/etag': (req, res) => {
    if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
    res.writeHead(200, { etag: '"v1"' }).end(LIST);
  },
  '/lm': (req, res) => {
    if (req.headers['if-modified-since'] === LAST_MODIFIED) return void res.writeHead(304).end();
    res.writeHead(200, { 'last-modified': LAST_MODIFIED }).end(LIST);
  },
  '/500': (_req, res) => void res.writeHead(500).end('oops'),
  '/hang': () => {},
  '/huge': (_req, res) => streamHuge(res),
  '/gzip': (_req, res) => void res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(LIST)),
  '/list.gz': (_req, res) => void res.writeHead(200).end(gzipSync(LIST)),
  '/bomb': (_req, res) => void res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(Buffer.alloc(40 * MB))),
  '/br': (_req, res) => void res.writeHead(200, { 'content-encoding': 'br' }).end('x'),
  '/loop': (_req, res) => void res.writeHead(302, { location: '/loop' }).end(),
  '/moved': (_req, res) => void res.writeHead(301, { location: '/etag' }).end(),
  '/to-ftp': (_req, res) => void res.writeHead(302, { location: 'ftp://example.org/list' }).end(),
};

describe('fetchList', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => (routes[req.url ?? ''] ?? ((_q, r) => r.writeHead(404).end()))(req, res));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  describe('when the server speaks conditional GET', () => {
    it('returns the body and ETag, then unchanged for If-None-Match', async () => {
      const r = await fetchList(`${base}/etag`);
      expect(r).toEqual({ status: 'changed', bytes: Buffer.from(LIST), etag: '"v1"', lastModified: undefined });
      expect(await fetchList(`${base}/etag`, { etag: '"v1"' })).toEqual({ status: 'unchanged' });
    });

    it('returns Last-Modified, then unchanged for If-Modified-Since', async () => {
      const r = await fetchList(`${base}/lm`);
      expect(r.status === 'changed' && r.lastModified).toBe(LAST_MODIFIED);
      expect(await fetchList(`${base}/lm`, { lastModified: LAST_MODIFIED })).toEqual({ status: 'unchanged' });
    });
  });

  describe('when the server fails', () => {
    it.each([
      ['/500', /HTTP 500/],
      ['/loop', /too many redirects \(over 5\)/],
      ['/to-ftp', /only http, https and file URLs/],
      ['/br', /unsupported Content-Encoding br/],
    ])('reports %s as an error', async (path, message) => {
      const r = await fetchList(`${base}${path}`);
      expect(r.status).toBe('error');
      expect(r.status === 'error' && r.message).toMatch(message);
    });

    it('reports a server that never answers as timed out', async () => {
      const t = performance.now();
      expect(await fetchList(`${base}/hang`, { timeoutMs: 200 })).toEqual({ status: 'error', message: 'timed out after 0.2 s' });
      expect(performance.now() - t).toBeLessThan(2000);
    });

    it('reports a refused connection as an error', async () => {
      const r = await fetchList('http://127.0.0.1:1/list');
      expect(r.status).toBe('error');
    });
  });

  describe('when the body is too large', () => {
    it('cuts a 50 MB stream off at the 32 MiB cap and closes the connection', async () => {
      const r = await fetchList(`${base}/huge`);
      expect(r).toEqual({ status: 'error', message: `too large: over ${32 * 1024 * 1024} bytes` });
      await expect.poll(() => huge.closedAt).toBeGreaterThan(0);
      expect(huge.closedAt).toBeLessThan(40 * MB);
    });

    it('stops after 1 MiB when the cap says so', async () => {
      huge.sent = 0;
      huge.closedAt = -1;
      const r = await fetchList(`${base}/huge`, { maxBytes: 1024 * 1024 });
      expect(r.status).toBe('error');
      await expect.poll(() => huge.closedAt).toBeGreaterThan(0);
      expect(huge.closedAt).toBeLessThan(10 * MB);
    });

    it('caps a gzip bomb after decompression', async () => {
      expect(await fetchList(`${base}/bomb`)).toEqual({ status: 'error', message: `too large after gunzip: over ${32 * 1024 * 1024} bytes` });
    });
  });

  describe('when the body is gzipped', () => {
    it.each(['/gzip', '/list.gz'])('decompresses %s', async (path) => {
      const r = await fetchList(`${base}${path}`);
      expect(r.status === 'changed' && r.bytes.toString()).toBe(LIST);
    });
  });

  describe('when it follows a redirect', () => {
    it('returns the target', async () => {
      const r = await fetchList(`${base}/moved`);
      expect(r.status === 'changed' && r.etag).toBe('"v1"');
    });
  });

  describe('when the list is a local file', () => {
    const path = fileURLToPath(new URL('../fixtures/lists/hosts.txt', import.meta.url));

    it('reads a file: URL and an absolute path, unchanged while the mtime is', async () => {
      const r = await fetchList(`file://${path}`);
      expect(r.status).toBe('changed');
      const lastModified = r.status === 'changed' ? r.lastModified : '';
      expect(await fetchList(path, { lastModified })).toEqual({ status: 'unchanged' });
      expect(await fetchList(path, { maxBytes: 10 })).toMatchObject({ status: 'error', message: expect.stringMatching(/too large/) });
      expect(await fetchList('/nonexistent/list.txt')).toMatchObject({ status: 'error' });
    });
  });
});
