/**
 * Compiled subscribed lists in the volatile LMDB environment (RAM tmpfs on the router), so a
 * 1M-name list costs ~10 MB of LMDB pages plus a 2 MiB Bloom filter instead of ~80 MB of JS
 * strings, and a restart of telemute reopens it in milliseconds instead of compiling again.
 *
 * Layout: one sub-database per list version, `list:<id>:<contentHash12>`, holding the names as
 * front-coded blocks (list-blocks.ts) under 4-byte block numbers: ~4x smaller than one LMDB entry
 * per name (measured 1M names: 40 MB as entries, ~10 MB as blocks; bench/list-compile.mjs). Three
 * keys starting 0xff (no block number does) hold the Bloom filter, the blocks' first keys and the
 * meta record; the meta record is written last, so a compile cut short (crash, reboot) is never
 * taken for a finished one, and its `v` tells a version of another layout, which is compiled again.
 *
 * Example: `const l = await compileList(store, 'oisd', hash, parseList(text)); l.match(wire)`.
 */
import type { NameWalk } from './name-walk.js';
import type { Database } from 'lmdb';
import type { VolatileStore } from '../store/volatile.js';
import type { ParsedList } from './list-formats.js';
import { blockBytesFor, createBlockWriter, indexOffsets } from './list-blocks.js';
import { isSingleLabel, keyBloomHash } from './list-key.js';
import { compiledList, lmdbBytesOf, blockKeyOf, BLOCK, ALLOW, EXACT, type ListVersion } from './list-match.js';
import { mergeRuns, namesInSlices, namesOf, type ListNames } from './list-runs.js';
import { createSuffixBloom, restoreSuffixBloom, type SuffixBloom } from './suffix-filter.js';

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
  /** LMDB pages of its sub-database (Bloom and index copies included); `bloom`: what it holds in memory (Bloom filter + block index). */
  readonly bytes: { lmdb: number; bloom: number; total: number };
  /** Longest listed suffix of `wire` (lowercase wire form); an allow entry anywhere beats block. */
  match(wire: string): ListMatch | null;
  /** The same for a name the policy engine already walked (its suffix hashes reused). */
  matchWalk(walk: NameWalk): ListMatch | null;
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
const INDEX_KEY = Buffer.from([0xff, 0x69]);
const META_KEY = Buffer.from([0xff, 0x6d]);
/** Layout version in the meta record: 1 was one LMDB entry per name. */
const LAYOUT = 2;

/** Sub-database name of a list version. */
export function listDbName(id: string, hash: string): string {
  return `list:${id}:${hash.slice(0, 12)}`;
}

/**
 * Bytes a compiled list will take at most (LMDB + Bloom twice, in LMDB and in memory): the runs
 * front-coded one by one share less than the merged list, so this is over, not under (measured
 * +15 % on the test list, +40 % on a list in random order; bench/list-compile.mjs).
 */
export function estimateBytes(names: ListNames | ParsedList): number {
  const n = 'runs' in names ? names : namesOf(names);
  const bloom = createSuffixBloom(n.names).byteLength;
  const blocks = Math.ceil(n.codedBytes / 4000);
  return blocks * 4096 + 2 * bloom + 2 * blocks * 32 + 4 * 4096;
}

/** Reopens a compiled version left by an earlier run, or null if there is none (or only part). */
export function openCompiledList(store: VolatileStore, id: string, hash: string): CompiledList | null {
  const dbName = listDbName(id, hash);
  const db = store.openDB<Buffer, Buffer>(dbName, EXISTING) as Db | undefined;
  if (!db) return null;
  const meta = db.getBinary(META_KEY);
  const parsed = meta && (JSON.parse(meta.toString('utf8')) as { v: number; counts: ListCounts });
  const bloom = parsed?.v === LAYOUT && restoreSuffixBloom(db.getBinary(BLOOM_KEY) ?? new Uint8Array(0));
  const index = db.getBinary(INDEX_KEY);
  if (!parsed || !bloom || !index) {
    dropDb(store, db, dbName);
    return null;
  }
  return listOver(store, db, { id, hash, dbName, counts: parsed.counts, bloom, index, offsets: indexOffsets(index) });
}

/**
 * Compiles a list into a new version, yielding between slices; `names` is consumed (its runs
 * are freed as they are merged). A ParsedList is turned into runs first (small lists, tests).
 */
export async function compileList(store: VolatileStore, id: string, hash: string, names: ListNames | ParsedList, options: CompileOptions = {}): Promise<CompiledList> {
  const runs = 'runs' in names ? names : await namesInSlices(names, options.sliceMs ?? 10);
  const dbName = listDbName(id, hash);
  const stale = store.openDB<Buffer, Buffer>(dbName, EXISTING) as Db | undefined;
  if (stale) dropDb(store, stale, dbName);
  index(store).putSync(Buffer.from(dbName, 'latin1'), Buffer.from([0]));
  const db = store.openDB<Buffer, Buffer>(dbName, BINARY);
  const bloom = createSuffixBloom(runs.names);
  const { counts, index: keys } = await writeBlocks(db, runs, bloom, options);
  db.putSync(BLOOM_KEY, Buffer.from(bloom.toBytes()));
  db.putSync(INDEX_KEY, keys);
  db.putSync(META_KEY, Buffer.from(JSON.stringify({ v: LAYOUT, counts })));
  const firstKeys = Buffer.from(keys); // a copy: the writer's buffer has slack
  return listOver(store, db, { id, hash, dbName, counts, bloom, index: firstKeys, offsets: indexOffsets(firstKeys) });
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
 * function's V8 context and keep what it held alive (measured +100 MB heap for 1M names as Sets).
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

/** Merges the runs into blocks written in key order (MDB_APPEND), one transaction per slice. */
async function writeBlocks(db: Db, names: ListNames, bloom: SuffixBloom, options: CompileOptions): Promise<{ counts: ListCounts; index: Buffer }> {
  const sliceMs = options.sliceMs ?? 10;
  const total = names.names;
  const next = mergeRuns(names);
  const writer = createBlockWriter(blockBytesFor((db.getStats() as { pageSize: number }).pageSize));
  const counts: ListCounts = { block: 0, allow: 0, exact: 0 };
  let blocks = 0;
  let done = 0;
  for (let isDone = false; !isDone; ) {
    db.transactionSync(() => {
      const until = performance.now() + sliceMs;
      for (let n = 1; ; n++) {
        const c = next();
        if (!c) return void (isDone = true);
        counts.block += c.flags & BLOCK;
        counts.allow += (c.flags & ALLOW) >> 1;
        counts.exact += (c.flags & EXACT) >> 2;
        bloom.addHash(keyBloomHash(c.buf, c.at, c.len), isSingleLabel(c.buf, c.at, c.len));
        const full = writer.add(c.buf, c.at, c.len, c.flags);
        if (full) db.putSync(blockKeyOf(blocks++), full, APPEND);
        if ((++done & 255) === 0 && performance.now() > until) return;
      }
    });
    options.onProgress?.(Math.min(1, done / total));
    await yieldNow();
  }
  const last = writer.finish();
  if (last) db.putSync(blockKeyOf(blocks++), last, APPEND);
  return { counts, index: writer.index() };
}

/** Lets the event loop run (answer DNS) between slices. */
export function yieldNow(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
