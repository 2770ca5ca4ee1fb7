/**
 * Optional database updates: fetches an mmdb (plain, .gz or MaxMind's .tar.gz) into a directory
 * the user chose, verifies it and renames it into place, so createGeo's poll picks it up. Runs
 * only when configured (nothing in telemute calls it by itself): the npm packages' files work
 * offline, and an update costs flash writes when the directory is on flash (~8 MB a month for
 * DB-IP Lite country). Outcomes are data: it never throws, a failure leaves the old file alone.
 */
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { writeFileAtomic } from '../store/atomic-file.js';
import { isGzip, mmdbFromBuffer } from './mmdb.js';

/** What to download and where. */
export interface DownloadOptions {
  url: string;
  /** Directory to put the file in (created if missing). */
  dir: string;
  /** File name in `dir`, ending in .mmdb; default the URL's name without .gz / .tar.gz. */
  fileName?: string;
  /** Largest download and largest unpacked file, bytes; default 32 MB (Country and ASN files are ~10 MB; City ~70 MB would need more RAM than a small router has to spare). */
  maxBytes?: number;
  /** Whole-download deadline, ms; default 120 000. */
  timeoutMs?: number;
}

/** The outcome: where the verified file now is, or why nothing changed. */
export type DownloadResult =
  | { ok: true; path: string; bytes: number; databaseType: string; schema: string; buildEpoch: string }
  | { ok: false; error: string };

/** The default file name for a URL: its last path segment without .gz/.tar.gz; null if not .mmdb. */
export function fileNameOf(url: string): string | null {
  let name: string;
  try {
    name = basename(new URL(url).pathname);
  } catch {
    return null;
  }
  name = name.replace(/\.tar\.gz$|\.tgz$/i, '.mmdb').replace(/\.gz$/i, '');
  return /^[\w.-]+\.mmdb$/i.test(name) ? name : null;
}

/** The first `*.mmdb` member of a ustar archive (POSIX.1-1988 headers, 512-byte blocks), or null. */
export function mmdbFromTar(tar: Buffer): Buffer | null {
  for (let off = 0; off + 512 <= tar.length; ) {
    const name = tar.toString('latin1', off, off + 100).replace(/\0.*$/s, '');
    if (name === '') return null; // end-of-archive blocks
    const size = parseInt(tar.toString('latin1', off + 124, off + 136).replace(/\0.*$/s, '').trim() || '0', 8);
    const type = tar[off + 156];
    if ((type === 0x30 || type === 0) && name.endsWith('.mmdb')) return tar.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return null;
}

const gunzipAsync = promisify(gunzip);

async function fetchCapped(o: Required<Pick<DownloadOptions, 'url' | 'maxBytes' | 'timeoutMs'>>): Promise<Buffer> {
  const res = await fetch(o.url, { signal: AbortSignal.timeout(o.timeoutMs), redirect: 'follow' });
  if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > o.maxBytes) throw new Error(`${declared} bytes is over the ${o.maxBytes}-byte limit`);
  const parts: Uint8Array[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > o.maxBytes) {
      await reader.cancel().catch(() => {});
      throw new Error(`over the ${o.maxBytes}-byte limit`);
    }
    parts.push(value);
  }
  return Buffer.concat(parts);
}

/**
 * Unpacks gzip and tar when present (by magic bytes, not by name); throws with the reason. Gunzip
 * runs on the thread pool: a 10-30 MB database inflated synchronously would stall every DNS answer.
 */
async function unpack(raw: Buffer, maxBytes: number): Promise<Buffer> {
  if (!isGzip(raw)) return raw;
  let out: Buffer;
  try {
    out = await gunzipAsync(raw, { maxOutputLength: maxBytes });
  } catch (err) {
    throw new Error(`gunzip failed: ${(err as Error).message}`);
  }
  if (out.length > 262 && out.toString('latin1', 257, 262) === 'ustar') {
    const inner = mmdbFromTar(out);
    if (!inner) throw new Error('the tar archive holds no .mmdb file');
    return Buffer.from(inner); // not a view: the archive's other members can be freed
  }
  return out;
}

/**
 * Downloads, unpacks, verifies (mmdb metadata and a known record layout) and atomically renames
 * the file into `dir`. Resolves with the outcome; never rejects.
 *
 * @example
 * const r = await downloadMmdb({ url: 'https://example.org/dbip-country.mmdb.gz', dir: '/srv/geo' });
 * if (!r.ok) log('warn', `geo update: ${r.error}`);
 */
export async function downloadMmdb(options: DownloadOptions): Promise<DownloadResult> {
  const fileName = options.fileName ?? fileNameOf(options.url);
  if (!fileName || !/^[\w.-]+\.mmdb$/i.test(fileName)) return { ok: false, error: `no .mmdb file name for ${options.url}` };
  const maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
  const path = join(options.dir, fileName);
  try {
    const raw = await fetchCapped({ url: options.url, maxBytes, timeoutMs: options.timeoutMs ?? 120_000 });
    const bytes = await unpack(raw, maxBytes);
    const db = mmdbFromBuffer(bytes, fileName);
    await mkdir(options.dir, { recursive: true });
    await writeFileAtomic(path, bytes);
    const m = db.metadata;
    return { ok: true, path, bytes: bytes.length, databaseType: m.databaseType, schema: db.schema.name, buildEpoch: m.buildEpoch.toISOString() };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    return { ok: false, error: `${options.url}: ${e.cause?.code ?? e.message}` };
  }
}
