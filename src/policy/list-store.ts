/**
 * Compiled subscribed lists in the volatile LMDB environment (RAM tmpfs on the router), so a
 * 1M-name list costs ~42 MB of LMDB pages plus a 2 MiB Bloom filter instead of ~80 MB of JS
 * strings, and a restart of telemute reopens it in milliseconds instead of compiling again.
 *
 * Layout: one sub-database per list version, `list:<id>:<contentHash12>`, keys the wire names
 * (Buffers: bundled by esbuild, lmdb 3.5.6 decodes string keys wrongly, docs/design.md), values
 * one flag byte. Two keys starting 0xff (no wire name does: a label is at most 63 octets) hold
 * the Bloom filter and the meta record; the meta record is written last, so a compile cut short
 * (crash, reboot) is never taken for a finished one. Names are written in key order with
 * MDB_APPEND: pages fill up completely (measured 40 MB for 1M names, against 77 MB in Set order).
 *
 * Example: `const l = await compileList(store, 'oisd', hash, parseList(text)); l.match(wire)`.
 */
import type { Database } from 'lmdb';
import type { VolatileStore } from '../store/volatile.js';
import type { ParsedList } from './list-formats.js';
import { compiledList, lmdbBytesOf, BLOCK, ALLOW, EXACT, type ListVersion } from './list-match.js';
import { createSuffixBloom, restoreSuffixBloom } from './suffix-filter.js';

/** What a list says about a name, and the entry (wire name) that says it. */
export interface ListMatch {
  action: 'block' | 'allow';
  entry: string;
}

/** Distinct entries per kind (a name may be of several kinds). */
export interface ListCounts {
  block: number;
  allow: number;
  exact: number;
}

/** A read-only compiled list version. */
export interface CompiledList {
  readonly id: string;
  readonly hash: string;
  readonly dbName: string;
  readonly counts: ListCounts;
  /** LMDB pages of its sub-database (the Bloom copy included) plus the Bloom filter in memory. */
  readonly bytes: { lmdb: number; bloom: number; total: number };
  /** Longest listed suffix of `wire` (lowercase wire form); an allow entry anywhere beats block. */
  match(wire: string): ListMatch | null;
  /** Stops matching; the data stays for the next start. */
  close(): void;
  /** Stops matching and deletes the sub-database (an old version after a swap). */
  drop(): void;
}

/** Options for one compile. */
export interface CompileOptions {
  /** Called with 0..1 between slices. */
  onProgress?(done: number): void;
  /** Work per slice before yielding to the event loop, ms. Default 10 (DNS keeps answering). */
  sliceMs?: number;
}

type Db = Database<Buffer, Buffer>;
const BINARY = { keyEncoding: 'binary', encoding: 'binary' } as const;
/** lmdb-js's `create: false` (open only if it exists) is missing from its typings. */
const EXISTING = { ...BINARY, create: false } as typeof BINARY;
const APPEND = { append: true };
const BLOOM_KEY = Buffer.from([0xff, 0x62]);
const META_KEY = Buffer.from([0xff, 0x6d]);
const FLAG_VALUES = Array.from({ length: 8 }, (_, f) => Buffer.from([f]));
/** Leaf node header (8) + value (1) + page pointer (2), per MDB node layout. */
const NODE_OVERHEAD = 11;
/** Page fill with MDB_APPEND, branch pages included (measured 0.94 for 1M names). */
const FILL = 0.92;

/** Sub-database name of a list version. */
export function listDbName(id: string, hash: string): string {
  return `list:${id}:${hash.slice(0, 12)}`;
}

/** Bytes a compiled `parsed` will take (LMDB + Bloom twice: in LMDB and in memory), ±10 %. */
export function estimateBytes(parsed: ParsedList): number {
  let names = 0;
  let chars = 0;
  for (const w of distinctNames(parsed)) {
    names++;
    chars += w.length;
  }
  const bloom = createSuffixBloom(names).byteLength;
  return Math.ceil((chars + NODE_OVERHEAD * names) / FILL) + 2 * bloom + 4 * 4096;
}

/** Reopens a compiled version left by an earlier run, or null if there is none (or only part). */
export function openCompiledList(store: VolatileStore, id: string, hash: string): CompiledList | null {
  const dbName = listDbName(id, hash);
  const db = store.openDB<Buffer, Buffer>(dbName, EXISTING) as Db | undefined;
  if (!db) return null;
  const meta = db.getBinary(META_KEY);
  const bloom = meta && restoreSuffixBloom(db.getBinary(BLOOM_KEY) ?? new Uint8Array(0));
  if (!meta || !bloom) {
    dropDb(store, db, dbName);
    return null;
  }
  const counts = (JSON.parse(meta.toString('utf8')) as { counts: ListCounts }).counts;
  return listOver(store, db, { id, hash, dbName, counts, bloom });
}

/** Compiles `parsed` into a new version, yielding between slices. The caller drops `parsed`. */
export async function compileList(store: VolatileStore, id: string, hash: string, parsed: ParsedList, options: CompileOptions = {}): Promise<CompiledList> {
  const dbName = listDbName(id, hash);
  const stale = store.openDB<Buffer, Buffer>(dbName, EXISTING) as Db | undefined;
  if (stale) dropDb(store, stale, dbName);
  index(store).putSync(Buffer.from(dbName, 'latin1'), FLAG_VALUES[0]);
  const db = store.openDB<Buffer, Buffer>(dbName, BINARY);
  const buckets = await bucketNames(parsed);
  const bloom = createSuffixBloom(buckets.names);
  const counts: ListCounts = { block: 0, allow: 0, exact: 0 };
  const count = (f: number) => {
    if (f & BLOCK) counts.block++;
    if (f & ALLOW) counts.allow++;
    if (f & EXACT) counts.exact++;
  };
  await writeSorted(db, buckets, options, (w) => {
    const f = flagsOf(parsed, w);
    count(f);
    bloom.add(w);
    return FLAG_VALUES[f];
  });
  db.putSync(BLOOM_KEY, Buffer.from(bloom.toBytes()));
  db.putSync(META_KEY, Buffer.from(JSON.stringify({ v: 1, counts })));
  return listOver(store, db, { id, hash, dbName, counts, bloom });
}

/** Drops every compiled version not named in `keep` (old versions, removed lists, partial ones). */
export function pruneCompiledLists(store: VolatileStore, keep: ReadonlySet<string>): string[] {
  const dropped: string[] = [];
  for (const key of index(store).getKeys()) {
    const dbName = Buffer.from(key).toString('latin1');
    if (keep.has(dbName)) continue;
    const db = store.openDB<Buffer, Buffer>(dbName, EXISTING) as Db | undefined;
    if (db) dropDb(store, db, dbName);
    else index(store).removeSync(Buffer.from(key));
    dropped.push(dbName);
  }
  return dropped;
}

/**
 * The CompiledList, its closures made here: a closure made inside compileList would share that
 * function's V8 context and keep the parsed Sets alive (measured +100 MB heap for 1M names).
 */
function listOver(store: VolatileStore, db: Db, version: ListVersion): CompiledList {
  return compiledList(db, version, () => dropDb(store, db, version.dbName), lmdbBytesOf(db));
}

/** The names of all versions, so a later start can drop the ones nobody reopened. */
function index(store: VolatileStore): Db {
  return store.openDB<Buffer, Buffer>('list-index', BINARY);
}

function dropDb(store: VolatileStore, db: Db, dbName: string): void {
  db.dropSync();
  index(store).removeSync(Buffer.from(dbName, 'latin1'));
}

/** Names grouped by their first two bytes, so each group can be sorted in one short step. */
async function bucketNames(parsed: ParsedList): Promise<{ names: number; groups: string[][] }> {
  const map = new Map<number, string[]>();
  let names = 0;
  let until = performance.now() + 10;
  for (const w of distinctNames(parsed)) {
    const key = (w.charCodeAt(0) << 8) | w.charCodeAt(1);
    const group = map.get(key);
    if (group) group.push(w);
    else map.set(key, [w]);
    if ((++names & 1023) === 0 && performance.now() > until) {
      await yieldNow();
      until = performance.now() + 10;
    }
  }
  const keys = [...map.keys()].sort((a, b) => a - b);
  return { names, groups: keys.map((k) => map.get(k)!) };
}

/** Writes the names in key order (MDB_APPEND), one transaction per time slice. */
async function writeSorted(db: Db, buckets: { names: number; groups: string[][] }, options: CompileOptions, valueOf: (w: string) => Buffer): Promise<void> {
  const sliceMs = options.sliceMs ?? 10;
  let g = 0;
  let i = 0;
  let written = 0;
  while (g < buckets.groups.length) {
    db.transactionSync(() => {
      const until = performance.now() + sliceMs;
      for (let n = 1; g < buckets.groups.length; n++) {
        const group = buckets.groups[g];
        // Default sort compares UTF-16 units: for latin1 strings that is LMDB's memcmp order.
        if (i === 0) group.sort();
        const w = group[i++];
        db.putSync(Buffer.from(w, 'latin1'), valueOf(w), APPEND);
        written++;
        if (i === group.length) [buckets.groups[g++], i] = [[], 0]; // free the group early
        if ((n & 255) === 0 && performance.now() > until) break;
      }
    });
    options.onProgress?.(written / buckets.names);
    await yieldNow();
  }
}

/** Each distinct name once: block, then allow and exact names not seen before. */
function* distinctNames(parsed: ParsedList): Generator<string> {
  yield* parsed.block;
  for (const w of parsed.allow) if (!parsed.block.has(w)) yield w;
  for (const w of parsed.exact) if (!parsed.block.has(w) && !parsed.allow.has(w)) yield w;
}

function flagsOf(parsed: ParsedList, w: string): number {
  return (parsed.block.has(w) ? BLOCK : 0) | (parsed.allow.has(w) ? ALLOW : 0) | (parsed.exact.has(w) ? EXACT : 0);
}

/** Lets the event loop run (answer DNS) between slices. */
export function yieldNow(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
