/**
 * The raw copy of a subscribed list on flash (--state), so a reboot (which empties /tmp and the
 * compiled lists with it) rebuilds every list without the network. Written only when a list's
 * content changed (flash wears out; a daily unchanged check writes nothing), gzipped (lists
 * compress ~4:1), through the counted FlashWriter: `lists/<id>.txt.gz` first, then the small
 * `lists/<id>.json`. A power cut between the two leaves a json whose hash no longer matches the
 * data; the loader then keeps the data and forgets the validators, so the next check is a full GET.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { FlashWriter } from '../store/flash.js';

/** What the json beside a raw copy records. */
export interface RawMeta {
  etag?: string;
  lastModified?: string;
  /** sha256 (hex) of the uncompressed list. */
  hash: string;
  /** When it was fetched, ms since the epoch. */
  fetchedAt: number;
}

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** sha256 of the list bytes, hex: names the compiled version and detects a changed list. */
export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Reads the meta record alone (a restart only needs the hash), or null. */
export async function readRawMeta(dir: string, id: string): Promise<RawMeta | null> {
  try {
    const meta = JSON.parse(await readFile(join(dir, 'lists', `${id}.json`), 'utf8')) as RawMeta;
    return typeof meta.hash === 'string' ? meta : null;
  } catch {
    return null; // none yet, or torn: a missing copy means "fetch it"
  }
}

/**
 * Reads the raw copy and pairs it with `meta` (what `readRawMeta` found: the caller has read it
 * already), or null if there is no copy or it does not decompress.
 */
export async function readRaw(dir: string, id: string, maxBytes: number, meta: RawMeta | null): Promise<{ bytes: Buffer; meta: RawMeta } | null> {
  let bytes: Buffer;
  try {
    bytes = await gunzipAsync(await readFile(join(dir, 'lists', `${id}.txt.gz`)), { maxOutputLength: maxBytes });
  } catch {
    return null;
  }
  const hash = contentHash(bytes);
  if (meta?.hash === hash) return { bytes, meta };
  return { bytes, meta: { hash, fetchedAt: meta?.fetchedAt ?? 0 } }; // torn pair: drop the validators
}

/** Writes the raw copy and then its meta, both atomically, both counted. */
export async function saveRaw(flash: FlashWriter, id: string, bytes: Uint8Array | null, meta: RawMeta): Promise<void> {
  await mkdir(join(flash.dir, 'lists'), { recursive: true });
  if (bytes !== null) await flash.write(`lists/${id}.txt.gz`, await gzipAsync(bytes, { level: 9 }));
  await flash.write(`lists/${id}.json`, JSON.stringify(meta));
}

/**
 * Whether a list is a local file: it is its own copy (a reboot reads it again), so only its
 * small meta file (the hash that lets a restart reopen the compiled version) goes to flash.
 */
export const isLocalList = (url: string) => url.startsWith('/') || url.startsWith('file:');
