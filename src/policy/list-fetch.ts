/**
 * Fetches one subscribed list: http(s) with a conditional GET (RFC 9110 §13.1: If-None-Match,
 * If-Modified-Since; 304 means unchanged), or a local file (`file:` URL or absolute path).
 * Outcomes are data, never exceptions: a list server that is down must not reach the resolver.
 * Limits protect a router with little RAM: a total deadline (default 60 s, redirects included),
 * a byte cap (default 32 MiB) checked while the body streams, so a 50 MB body is cut off at the
 * cap and never buffered whole, the same cap after gzip decompression, and 5 redirects at most.
 *
 * Example: `const r = await fetchList(url, { etag }); if (r.status === 'changed') use(r.bytes)`.
 */
import { readFile, stat } from 'node:fs/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { fileURLToPath } from 'node:url';
import { gunzip } from 'node:zlib';

/** What one fetch found. */
export type FetchResult =
  | { status: 'changed'; bytes: Buffer; etag?: string; lastModified?: string }
  | { status: 'unchanged' }
  | { status: 'error'; message: string };

/** Validators from the last fetch, and limits. */
export interface FetchListOptions {
  etag?: string;
  lastModified?: string;
  /** Whole fetch, redirects and body included, ms. Default 60 000. */
  timeoutMs?: number;
  /** Body bytes at most, before and after decompression. Default 32 MiB. */
  maxBytes?: number;
  /** Default 5. */
  maxRedirects?: number;
  /** Aborts the fetch (shutdown); reported as an error. */
  signal?: AbortSignal;
}

/** The shape `createSubscriptions` accepts, so tests can inject their own. */
export type FetchFn = (url: string, options: FetchListOptions) => Promise<FetchResult>;

const MiB = 1024 * 1024;
const GZIP_MAGIC = 0x1f8b;

/** Fetches `url`; resolves with data for every outcome. */
export async function fetchList(url: string, options: FetchListOptions = {}): Promise<FetchResult> {
  const maxBytes = options.maxBytes ?? 32 * MiB;
  try {
    if (url.startsWith('/') || url.startsWith('file:')) return await readLocal(url.startsWith('/') ? url : fileURLToPath(url), options, maxBytes);
    const result = await fetchHttp(new URL(url), options, maxBytes);
    if (result.status !== 'changed') return result;
    const { bytes, gzip, etag, lastModified } = result;
    return { status: 'changed', bytes: await maybeGunzip(bytes, gzip, maxBytes), etag, lastModified };
  } catch (err) {
    return { status: 'error', message: (err as Error).message };
  }
}

async function readLocal(path: string, options: FetchListOptions, maxBytes: number): Promise<FetchResult> {
  const info = await stat(path);
  if (info.size > maxBytes) throw new Error(`too large: ${info.size} bytes, over ${maxBytes}`);
  const lastModified = info.mtime.toUTCString();
  if (options.lastModified === lastModified) return { status: 'unchanged' };
  return { status: 'changed', bytes: await maybeGunzip(await readFile(path), false, maxBytes), lastModified };
}

type HttpResult = { status: 'changed'; bytes: Buffer; etag?: string; lastModified?: string; gzip: boolean } | { status: 'unchanged' };

/** GETs `url`, following redirects, within one deadline. */
async function fetchHttp(url: URL, options: FetchListOptions, maxBytes: number): Promise<HttpResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const stop = () => controller.abort();
  options.signal?.addEventListener('abort', stop);
  try {
    for (let hop = 0; ; hop++) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`only http, https and file URLs are fetched, not ${url.protocol}`);
      const res = await get(url, options, controller.signal);
      const location = res.headers.location;
      if (res.statusCode! >= 300 && res.statusCode! < 400 && res.statusCode !== 304 && location) {
        res.destroy();
        if (hop >= (options.maxRedirects ?? 5)) throw new Error(`too many redirects (over ${options.maxRedirects ?? 5})`);
        url = new URL(location, url);
        continue;
      }
      return await readResponse(res, maxBytes);
    }
  } catch (err) {
    if (options.signal?.aborted) throw new Error('aborted');
    if (controller.signal.aborted) throw new Error(`timed out after ${timeoutMs / 1000} s`);
    throw err;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', stop);
  }
}

function get(url: URL, options: FetchListOptions, signal: AbortSignal): Promise<IncomingMessage> {
  const headers: Record<string, string> = { 'accept-encoding': 'gzip', 'user-agent': 'telemute' };
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? https : http).get(url, { headers, signal }, resolve);
    req.on('error', reject);
  });
}

/** Reads the body up to the cap; over it, destroys the socket so the server stops sending. */
async function readResponse(res: IncomingMessage, maxBytes: number): Promise<HttpResult> {
  if (res.statusCode === 304) {
    res.destroy();
    return { status: 'unchanged' };
  }
  if (res.statusCode !== 200) {
    res.destroy();
    throw new Error(`HTTP ${res.statusCode} ${res.statusMessage ?? ''}`.trim());
  }
  const encoding = (res.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    res.destroy();
    throw new Error(`unsupported Content-Encoding ${encoding}`);
  }
  if (Number(res.headers['content-length']) > maxBytes) {
    res.destroy();
    throw new Error(`too large: Content-Length ${res.headers['content-length']}, over ${maxBytes}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      res.destroy();
      throw new Error(`too large: over ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  const etag = res.headers.etag;
  const lastModified = res.headers['last-modified'];
  return { status: 'changed', bytes: Buffer.concat(chunks, size), etag, lastModified, gzip: encoding === 'gzip' };
}

/** Decompresses a gzip body (by header or by magic bytes: `.gz` lists) on the thread pool. */
function maybeGunzip(bytes: Buffer, isGzip: boolean, maxBytes: number): Promise<Buffer> {
  if (!isGzip && !(bytes.length > 2 && bytes.readUInt16BE(0) === GZIP_MAGIC)) return Promise.resolve(bytes);
  return new Promise((resolve, reject) => {
    gunzip(bytes, { maxOutputLength: maxBytes }, (err, out) => {
      if (!err) resolve(out);
      else if (err instanceof RangeError || (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') reject(new Error(`too large after gunzip: over ${maxBytes} bytes`));
      else reject(new Error(`bad gzip body: ${err.message}`));
    });
  });
}
