/**
 * Subscribed blocklists: N lists given as data, each kept compiled in the volatile store and
 * checked on its own schedule (default every 24 h, ±10 % jitter so routers do not all call at
 * once; the first check 30 s ± 50 % after start, at once if there is no version yet). A new
 * version becomes active in one assignment and `onSwap` listeners hear of it; the old one is
 * dropped after. Queries never wait for any of this (house style: background work).
 *
 * Example:
 *   const subs = createSubscriptions({ volatile, flash, budgetBytes: 64 << 20, log });
 *   subs.onSwap((id, list) => policy.setList(id, list));
 *   subs.setSources([{ id: 'oisd', name: 'OISD', url: 'https://example.org/l.txt', enabled: true, updateHours: 24 }]);
 */
import type { Level } from '../log.js';
import type { FlashWriter } from '../store/flash.js';
import type { VolatileStore } from '../store/volatile.js';
import { fetchList, type FetchFn, type FetchListOptions } from './list-fetch.js';
import type { ChildCompiler } from './list-compiler.js';
import { pruneCompiledLists, type CompiledList, type ListCounts } from './list-store.js';
import { checkEntry, startEntry, type Entry, type UpdateDeps } from './subscription-update.js';

/** One subscription as configured. */
export interface SubscriptionSource {
  /** `[A-Za-z0-9_-]{1,32}`: names its flash files and LMDB sub-database. */
  id: string;
  name: string;
  /** http(s) or file: URL, or an absolute path. */
  url: string;
  enabled: boolean;
  /** Hours between checks. Default 24. */
  updateHours?: number;
}

/** One subscription as the admin page shows it. */
export interface SubscriptionStatus {
  id: string;
  name: string;
  url: string;
  enabled: boolean;
  /** 'error': the last attempt failed; the previous version (if any) is still active. */
  state: 'pending' | 'fetching' | 'compiling' | 'ready' | 'error';
  /** 0..1 while compiling. */
  progress: number;
  counts: ListCounts | null;
  /** LMDB + Bloom bytes of the active version. */
  bytes: number;
  /** ms since the epoch, or null. */
  lastChecked: number | null;
  lastChanged: number | null;
  lastError: string | null;
  etag: string | null;
}

/** Dependencies and limits. */
export interface SubscriptionsOptions {
  volatile: VolatileStore;
  flash: FlashWriter;
  log: (level: Level, message: string) => void;
  /** Bytes all compiled lists may take together. Default 64 MiB. */
  budgetBytes?: number;
  now?: () => number;
  fetch?: FetchFn;
  /** Timeout and size cap for each fetch (list-fetch.ts defaults). */
  fetchOptions?: FetchListOptions;
  /** Delay of the first check after start, ms. Default 30 000. */
  firstCheckMs?: number;
  random?: () => number;
  /** Compile lists in a child process (list-compiler.ts); default: in this process. */
  compiler?: ChildCompiler | null;
}

/** The subscriptions' handle. */
export interface Subscriptions {
  /** Replaces the configured lists; throws naming the bad entry. */
  setSources(sources: SubscriptionSource[]): void;
  /** The active compiled version of `id`, or null. */
  active(id: string): CompiledList | null;
  statuses(): SubscriptionStatus[];
  /** Checks one list (or all enabled ones) now; resolves when done. */
  refresh(id?: string): Promise<void>;
  /** Calls `cb` after each swap (list null: removed); returns an unsubscribe function. */
  onSwap(cb: (id: string, list: CompiledList | null) => void): () => void;
  /** Stops timers and fetches, waits for a running compile, closes the lists (data kept). */
  stop(): Promise<void>;
}

const ID = /^[A-Za-z0-9_-]{1,32}$/;
const HOUR = 3_600_000;
const MAX_TIMER = 2 ** 31 - 1; // setTimeout's limit, ~24.8 days

/** Creates the subscriptions; nothing runs until `setSources`. */
export function createSubscriptions(options: SubscriptionsOptions): Subscriptions {
  const entries = new Map<string, Entry>();
  const listeners = new Set<(id: string, list: CompiledList | null) => void>();
  const abort = new AbortController();
  const random = options.random ?? Math.random;
  let tail: Promise<void> = Promise.resolve();
  let isStarted = false;
  const deps: UpdateDeps = {
    volatile: options.volatile,
    flash: options.flash,
    fetch: options.fetch ?? fetchList,
    fetchOptions: { ...options.fetchOptions, signal: abort.signal },
    now: options.now ?? Date.now,
    log: options.log,
    budgetBytes: options.budgetBytes ?? 64 * 1024 * 1024,
    usedByOthers: (id) => [...entries.values()].reduce((sum, e) => sum + (e.source.id !== id && e.list ? e.list.bytes.total : 0), 0),
    swap: (e, list) => swap(e, list),
    queue: (work) => (tail = tail.then(work, work)),
    compiler: options.compiler ?? null,
  };

  function swap(e: Entry, list: CompiledList | null): void {
    const old = e.list;
    e.list = list; // the one assignment that switches versions
    e.status.counts = list?.counts ?? null;
    e.status.bytes = list?.bytes.total ?? 0;
    for (const cb of listeners) {
      try {
        cb(e.source.id, list);
      } catch (err) {
        options.log('error', `list ${e.source.id}: onSwap listener threw: ${(err as Error).message}`);
      }
    }
    if (old && old !== list) old.drop();
  }

  function run(e: Entry, work: (deps: UpdateDeps, e: Entry) => Promise<void>): Promise<void> {
    const next = (e.busy ?? Promise.resolve()).then(() => (e.isRemoved || abort.signal.aborted ? undefined : work(deps, e)));
    e.busy = next.catch((err: Error) => options.log('error', `list ${e.source.id}: ${err.message}`));
    return e.busy;
  }

  function schedule(e: Entry, delayMs: number): void {
    clearTimeout(e.timer);
    if (e.isRemoved || abort.signal.aborted) return;
    e.timer = setTimeout(() => void run(e, checkEntry).then(() => schedule(e, nextDelay(e))), Math.min(delayMs, MAX_TIMER));
    e.timer.unref();
  }

  const nextDelay = (e: Entry) => (e.source.updateHours ?? 24) * HOUR * (0.9 + 0.2 * random());
  const firstDelay = (e: Entry) => (e.list ? (options.firstCheckMs ?? 30_000) * (0.5 + random()) : 0);

  function add(source: SubscriptionSource): Entry {
    const e: Entry = { source, list: null, meta: null, status: newStatus(source) };
    entries.set(source.id, e);
    if (source.enabled) void run(e, startEntry).then(() => schedule(e, firstDelay(e)));
    return e;
  }

  function remove(e: Entry): void {
    e.isRemoved = true;
    clearTimeout(e.timer);
    entries.delete(e.source.id);
    if (e.list) swap(e, null);
  }

  return {
    setSources(sources) {
      sources.forEach(validate);
      const next = new Map(sources.map((s) => [s.id, s]));
      for (const e of [...entries.values()]) {
        const s = next.get(e.source.id);
        if (!s || s.enabled !== e.source.enabled || s.url !== e.source.url) remove(e);
        else if (s.updateHours !== e.source.updateHours) schedule(e, nextDelay({ ...e, source: s }));
        if (s && entries.has(s.id)) Object.assign(e.source, s), Object.assign(e.status, { name: s.name });
      }
      const added = sources.filter((s) => !entries.has(s.id)).map(add);
      if (!isStarted) {
        // After the starts: versions nobody reopened (old, removed, cut short) waste RAM.
        isStarted = true;
        const keep = () => new Set([...entries.values()].flatMap((e) => (e.list ? [e.list.dbName] : [])));
        void Promise.all(added.map((e) => e.busy)).then(() => deps.queue(async () => void pruneCompiledLists(options.volatile, keep())));
      }
    },
    active: (id) => entries.get(id)?.list ?? null,
    statuses: () => [...entries.values()].map((e) => ({ ...e.status, counts: e.status.counts && { ...e.status.counts } })),
    async refresh(id) {
      const targets = [...entries.values()].filter((e) => e.source.enabled && (id === undefined || e.source.id === id));
      await Promise.all(targets.map((e) => run(e, checkEntry).then(() => schedule(e, nextDelay(e)))));
    },
    onSwap(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    async stop() {
      abort.abort();
      for (const e of entries.values()) clearTimeout(e.timer);
      await Promise.all([...entries.values()].map((e) => e.busy));
      await tail;
      for (const e of entries.values()) e.list?.close();
    },
  };
}

function validate(s: SubscriptionSource, i: number): void {
  if (!ID.test(s.id)) throw new RangeError(`subscriptions[${i}].id: must match ${ID.source}`);
  if (typeof s.url !== 'string' || s.url === '') throw new RangeError(`subscriptions[${i}].url: must be a URL or an absolute path`);
  if (s.updateHours !== undefined && !(s.updateHours > 0)) throw new RangeError(`subscriptions[${i}].updateHours: must be > 0`);
}

function newStatus(s: SubscriptionSource): SubscriptionStatus {
  return { id: s.id, name: s.name, url: s.url, enabled: s.enabled, state: 'pending', progress: 0, counts: null, bytes: 0, lastChecked: null, lastChanged: null, lastError: null, etag: null };
}
