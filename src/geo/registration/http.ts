/**
 * One HTTP GET for RDAP JSON with a deadline and a body cap, answering data, never throwing.
 *
 * node:http/https rather than global fetch: fetch (undici) on Node 18 cannot cap a body before
 * buffering it and its timeouts need AbortSignal.timeout plus stream plumbing; here one timer
 * and a byte count cover both, and the router never holds more than `maxBytes` per request.
 * Redirects are returned, not followed: the caller counts them as hops (max 3 per lookup).
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** The outcome of one GET. */
export type FetchResult =
  | { kind: 'ok'; status: number; json: unknown }
  /** A 3xx with a Location, resolved against the request URL. */
  | { kind: 'redirect'; status: number; location: string }
  /** Any other status; `retryAfterMs` from Retry-After on 429/503 (RFC 9110 §10.2.3). */
  | { kind: 'http'; status: number; retryAfterMs: number | null }
  /** Timeout, reset, refused, oversized or malformed body. `network` says whether to retry. */
  | { kind: 'failed'; reason: string; network: boolean };

/** Options for one GET. */
export interface FetchOptions {
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
}

/** The injectable GET (tests use the default against a real local server). */
export type FetchJson = (url: string, options: FetchOptions) => Promise<FetchResult>;

/** Parses Retry-After: delta-seconds or an HTTP-date (RFC 9110 §10.2.3); null if absent/bad. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** GETs `url` and parses the body as JSON, within `timeoutMs` and `maxBytes`. */
export const fetchJson: FetchJson = (url, { timeoutMs, maxBytes, signal }) =>
  new Promise<FetchResult>((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return resolve({ kind: 'failed', reason: 'bad url', network: false });
    }
    if (target.protocol !== 'https:' && target.protocol !== 'http:') {
      return resolve({ kind: 'failed', reason: `unsupported scheme ${target.protocol}`, network: false });
    }
    if (signal?.aborted) return resolve({ kind: 'failed', reason: 'stopped', network: true });
    let done = false;
    const finish = (r: FetchResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      req.destroy();
      resolve(r);
    };
    const onAbort = () => finish({ kind: 'failed', reason: 'stopped', network: true });
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target, {
      method: 'GET',
      // RFC 7480 §4.2: ask for application/rdap+json; some servers only know application/json.
      headers: { accept: 'application/rdap+json, application/json;q=0.9', 'user-agent': 'telemute' },
    });
    const timer = setTimeout(() => finish({ kind: 'failed', reason: 'timeout', network: true }), timeoutMs);
    signal?.addEventListener('abort', onAbort);
    req.on('error', (err: NodeJS.ErrnoException) =>
      finish({ kind: 'failed', reason: err.code ?? err.message, network: true }),
    );
    req.on('response', (res: IncomingMessage) => onResponse(res, target, maxBytes, finish));
    req.end();
  });

function onResponse(res: IncomingMessage, target: URL, maxBytes: number, finish: (r: FetchResult) => void): void {
  const status = res.statusCode ?? 0;
  if (status >= 300 && status < 400 && res.headers.location) {
    let location: string;
    try {
      location = new URL(res.headers.location, target).href;
    } catch {
      return finish({ kind: 'failed', reason: 'bad redirect', network: false });
    }
    return finish({ kind: 'redirect', status, location });
  }
  if (status < 200 || status >= 300) {
    const retry = status === 429 || status === 503 ? parseRetryAfter(res.headers['retry-after']) : null;
    return finish({ kind: 'http', status, retryAfterMs: retry });
  }
  const declared = Number(res.headers['content-length']);
  if (declared > maxBytes) return finish({ kind: 'failed', reason: 'body too large', network: false });
  const chunks: Buffer[] = [];
  let size = 0;
  res.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBytes) return finish({ kind: 'failed', reason: 'body too large', network: false });
    chunks.push(chunk);
  });
  res.on('error', () => finish({ kind: 'failed', reason: 'reset', network: true }));
  res.on('end', () => {
    try {
      finish({ kind: 'ok', status, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
    } catch {
      finish({ kind: 'failed', reason: 'malformed JSON', network: false });
    }
  });
}
