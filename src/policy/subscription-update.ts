/**
 * One subscription's way to a new compiled version: reopen it (restart), rebuild it from the raw
 * copy on flash (reboot), or fetch, check, compile and swap it (scheduled check). Every failure
 * keeps the version in place and says why in `status.lastError` (house style, error rule 7).
 */
import type { Level } from '../log.js';
import type { FlashWriter } from '../store/flash.js';
import type { VolatileStore } from '../store/volatile.js';
import type { FetchFn, FetchListOptions } from './list-fetch.js';
import { compileInChild, mib, parseAndCompile, type ChildCompiler } from './list-compiler.js';
import { openCompiledList, type CompiledList } from './list-store.js';
import { contentHash, isLocalList, readRaw, readRawMeta, saveRaw, type RawMeta } from './subscription-raw.js';
import type { SubscriptionSource, SubscriptionStatus } from './subscriptions.js';

/** One subscription's mutable state, owned by `subscriptions.ts`. */
export interface Entry {
  source: SubscriptionSource;
  status: SubscriptionStatus;
  list: CompiledList | null;
  /** Validators and hash of the active version. */
  meta: RawMeta | null;
  timer?: NodeJS.Timeout;
  busy?: Promise<void>;
  isRemoved?: boolean;
}

/** What an update needs from its owner. */
export interface UpdateDeps {
  volatile: VolatileStore;
  flash: FlashWriter;
  fetch: FetchFn;
  fetchOptions: FetchListOptions;
  now: () => number;
  log: (level: Level, message: string) => void;
  budgetBytes: number;
  /** Bytes of the active lists other than `id`'s. */
  usedByOthers(id: string): number;
  /** Makes `list` the active version of `e` (null: none). */
  swap(e: Entry, list: CompiledList | null): void;
  /** Compile in a child process (the bundle); null: in this process. */
  compiler: ChildCompiler | null;
  /** Runs compiles one at a time: one list's names in memory at once. */
  queue(work: () => Promise<void>): Promise<void>;
}

const MiB = 1024 * 1024;

/** At start: reopens the compiled version (restart) or compiles the flash copy (reboot). */
export async function startEntry(deps: UpdateDeps, e: Entry): Promise<void> {
  const meta = await readRawMeta(deps.flash.dir, e.source.id);
  const list = meta && openCompiledList(deps.volatile, e.source.id, meta.hash);
  if (meta && list) {
    e.meta = meta;
    e.status.lastChanged = meta.fetchedAt;
    deps.swap(e, list);
    e.status.state = 'ready';
    return;
  }
  const raw = await readRaw(deps.flash.dir, e.source.id, deps.fetchOptions.maxBytes ?? 32 * MiB, meta);
  if (raw) await install(deps, e, raw.bytes, raw.meta, false);
}

/** A scheduled or asked-for check of the URL. */
export async function checkEntry(deps: UpdateDeps, e: Entry): Promise<void> {
  const previous = e.status.state;
  e.status.state = 'fetching';
  const validators = e.list && e.meta ? { etag: e.meta.etag, lastModified: e.meta.lastModified } : {};
  const r = await deps.fetch(e.source.url, { ...deps.fetchOptions, ...validators });
  e.status.lastChecked = deps.now();
  if (r.status === 'error') return fail(deps, e, `fetch failed: ${r.message}`);
  if (r.status === 'unchanged') return void (e.status.state = previous === 'error' ? 'ready' : e.list ? 'ready' : 'pending');
  const meta: RawMeta = { etag: r.etag, lastModified: r.lastModified, hash: contentHash(r.bytes), fetchedAt: deps.now() };
  if (e.list && meta.hash === e.list.hash) {
    e.meta = { ...meta, fetchedAt: e.meta?.fetchedAt ?? meta.fetchedAt }; // same content: nothing to write
    e.status.etag = meta.etag ?? null;
    e.status.state = 'ready';
    return;
  }
  await install(deps, e, r.bytes, meta, true);
}

/** Parses, checks and compiles `bytes`, then swaps it in (and saves it to flash if new). */
async function install(deps: UpdateDeps, e: Entry, bytes: Buffer, meta: RawMeta, isNew: boolean): Promise<void> {
  await deps.queue(async () => {
    if (e.isRemoved) return;
    e.status.state = 'compiling';
    e.status.progress = 0;
    try {
      const started = performance.now();
      const list = await compileChecked(deps, e, bytes, meta.hash);
      if (!list) return;
      if (e.isRemoved) return list.drop();
      if (isNew) await saveRaw(deps.flash, e.source.id, isLocalList(e.source.url) ? null : bytes, meta).catch((err: Error) => deps.log('warn', `list ${e.source.id}: flash copy not saved: ${err.message}`));
      e.meta = meta;
      Object.assign(e.status, { state: 'ready', progress: 1, lastChanged: meta.fetchedAt, lastError: null, etag: meta.etag ?? null });
      deps.swap(e, list);
      deps.log('info', `list ${e.source.id}: ${list.counts.block} block, ${list.counts.allow} allow, ${list.counts.exact} exact, ${mib(list.bytes.total)} MiB, compiled in ${((performance.now() - started) / 1000).toFixed(1)} s ${deps.compiler ? 'by a child process' : 'in this process'}`);
    } catch (err) {
      fail(deps, e, `compile failed: ${(err as Error).message}`);
    }
  });
}

/**
 * The compiled list, or null after recording why it was refused. In a child process when one is
 * configured (the bundle), here otherwise (list-compiler.ts says why).
 */
async function compileChecked(deps: UpdateDeps, e: Entry, bytes: Buffer, hash: string): Promise<CompiledList | null> {
  const job = { id: e.source.id, hash, budgetBytes: deps.budgetBytes, usedByOthers: deps.usedByOthers(e.source.id) };
  const onProgress = (p: number) => (e.status.progress = p);
  if (deps.compiler) {
    const refused = await compileInChild(deps.compiler, job, bytes, onProgress, deps.fetchOptions.signal);
    if (refused) return fail(deps, e, `list refused: ${refused.refused}`), null;
    const list = openCompiledList(deps.volatile, e.source.id, hash);
    if (!list) throw new Error('the compiler process finished but its version is not in the store');
    return list;
  }
  const r = await parseAndCompile(deps.volatile, job, [bytes], bytes.length, onProgress);
  if ('refused' in r) return fail(deps, e, `list refused: ${r.refused}`), null;
  return r;
}

function fail(deps: UpdateDeps, e: Entry, message: string): void {
  e.status.state = 'error';
  e.status.lastError = message;
  deps.log('warn', `list ${e.source.id}: ${message}${e.list ? ' (keeping the previous version)' : ''}`);
}
