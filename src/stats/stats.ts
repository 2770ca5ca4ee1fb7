/**
 * The household statistics and query log, behind one handle: `add(q)` is the record stage's sink
 * (hot, after the reply is sent); a 1 s timer drains the batch into the LMDB log in one
 * transaction and into the in-RAM counts; every `flushMinutes` (and at stop) the counts go to
 * flash (persist.ts: closed days once, the open day each time), loaded again at start. See
 * src/stats/README.md.
 */
import type { Query } from '../resolver/query.js';
import type { FlashWriter } from '../store/flash.js';
import type { VolatileStore } from '../store/volatile.js';
import { createCapture } from './capture.js';
import { createDomains, MAX_CELLS } from './domains.js';
import { drainBatch, lastTwoLabels, type Counts } from './drain.js';
import { createHourly, type HourlyKind } from './hourly.js';
import { newHistogram, type Metric } from './metrics.js';
import { statsMetrics } from './metrics-families.js';
import { DEFAULT_LOG_LIMITS, openQueryLog, type LogLimits, type QueryLog } from './query-log.js';
import { buildReport, reportCsv, type Report } from './report.js';
import { createStatsFiles } from './persist.js';
import { createTail, type TailCallback, type TailOptions } from './tail.js';
import { ACTIONS, type Counted, type Geo, type HourPoint, type LogFilter, type LogMode, type LogPage, type Period } from './types.js';

/** Options of createStats; every optional one has its default beside it. */
export interface StatsOptions {
  /** The LMDB env under --volatile; null keeps no query log (counts only). */
  volatile: VolatileStore | null;
  /** Writer for --state; null keeps nothing on flash. */
  flash: FlashWriter | null;
  now?: () => number;
  /** Minutes between flushes to flash. Default 15: 96 a day, one file each (the open day; see persist.ts). */
  flushMinutes?: number;
  /** Milliseconds between drains. Default 1000. */
  drainMs?: number;
  /**
   * Queries recorded at most per drain (a second): beyond, they are counted as dropped. Bounds
   * what a flood can make the log cost: each recorded query costs the drain ~5.5 µs (an LMDB put,
   * a trim, the counts), so 4 096 a second is at most ~2 % of a core. Default 4 096 (four
   * times the busy house of bench/soak.mjs, 1 000 a second).
   */
  maxPerDrain?: number;
  logLimits?: Partial<LogLimits>;
  /** Per device (null: unknown device). Default 'full'. */
  logMode?: (deviceId: string | null) => LogMode;
  geoOf?: (ip: string) => Geo | null;
  registrationOf?: (domain: string) => string | null;
  /** Default: the last two labels. */
  registrableOf?: (name: string) => string;
  log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

/** Kinds `top` ranks. */
export type TopKind = HourlyKind | 'domain';

/** Sizes, for the health endpoint. */
export interface StatsSizes {
  logEntries: number;
  logBytes: number;
  hourlyCells: number;
  dayCells: number;
  /** Bytes of the last flush written (or of the files loaded at start). */
  snapshotBytes: number;
  captureDropped: number;
  tailDropped: number;
}

/** The statistics handle. */
export interface Stats {
  /** The record stage's sink: ≤ 1 µs, no allocation. */
  add(q: Query): void;
  /** Moves captured queries into the log and counts now (the timer does this every second). */
  drain(): number;
  /** Drains, then writes this flush's files to flash (persist.ts); resolves with their bytes (0 without flash). */
  flush(): Promise<number>;
  query(filter: LogFilter): LogPage;
  /** The `n` busiest keys of `kind` in `period` (default: the last 24 h); domains per device if given. */
  top(kind: TopKind, period?: Period, n?: number, device?: string): Counted[];
  /** Hourly points of one key (the house when `kind` is 'house'). */
  series(kind: HourlyKind, key?: string, period?: Period): HourPoint[];
  report(device: string | null, format: 'json'): Report;
  report(device: string | null, format: 'csv'): string;
  subscribe(cb: TailCallback, options?: TailOptions): () => void;
  /** Prometheus text of these counts, the flash counters and `extra` families. */
  metricsText(extra?: readonly Metric[]): string;
  sizes(): StatsSizes;
  /** Stops the timers, drains and flushes. */
  stop(): Promise<void>;
}

const DAY = 86_400_000;

/** Creates the statistics, loading what the last run left on flash. */
export function createStats(o: StatsOptions): Stats {
  const now = o.now ?? Date.now;
  const capture = createCapture(o.maxPerDrain ?? 4096, now);
  const hourly = createHourly();
  const domains = createDomains();
  const counts: Counts = { byAction: ACTIONS.map(() => 0), flagged: 0, latency: newHistogram() };
  const registrations = new Map<string, string>();
  const orgs = new Map<string, string>();
  const limits: LogLimits = { ...DEFAULT_LOG_LIMITS, ...o.logLimits };
  const qlog: QueryLog | null = o.volatile ? openQueryLog(o.volatile, limits) : null;
  const tail = createTail((err) => o.log('debug', `stats: tail subscriber failed: ${String(err)}`));
  const deps = { logMode: o.logMode ?? (() => 'full' as const), geoOf: o.geoOf, registrationOf: o.registrationOf, registrableOf: o.registrableOf ?? lastTwoLabels, hourly, domains, counts, registrations, orgs };
  const files = o.flash && createStatsFiles({ flash: o.flash, hourly, domains, registrations, orgs, log: o.log });
  let snapshotBytes = files?.load() ?? 0;

  function drain(): number {
    try {
      return capture.drain((b) => {
        const entries = drainBatch(b, deps);
        qlog?.append(entries, now());
        tail.publish(entries);
        if (domains.cells() > MAX_CELLS * 1.1) domains.prune(now()); // don't wait for the flush
      });
    } catch (err) {
      o.log('error', `stats: drain failed: ${(err as Error).message}`);
      return 0;
    }
  }

  async function flush(): Promise<number> {
    drain();
    const t = now();
    hourly.prune(t);
    domains.prune(t);
    keepNamesInUse();
    if (files === null) return 0;
    snapshotBytes = await files.save(t);
    return snapshotBytes;
  }

  /** Registrants and organisations of domains and networks no longer counted go (bounds the maps). */
  function keepNamesInUse(): void {
    const names = new Set<string>();
    const asns = new Set<string>();
    for (const [, domain, p] of domains.pairs(null)) {
      names.add(domain);
      for (const a of p.asns) asns.add(String(a));
    }
    for (const k of registrations.keys()) if (!names.has(k)) registrations.delete(k);
    for (const k of orgs.keys()) if (!asns.has(k)) orgs.delete(k);
  }

  const drainTimer = setInterval(drain, o.drainMs ?? 1000);
  const flushTimer = setInterval(() => flush().catch((err) => o.log('warn', `stats: snapshot failed: ${(err as Error).message}`)), (o.flushMinutes ?? 15) * 60_000);
  drainTimer.unref();
  flushTimer.unref();
  const lastDay = (): Period => ({ from: now() - DAY, to: now() + 1 });

  const sizes = (): StatsSizes => ({
    logEntries: qlog?.size().entries ?? 0,
    logBytes: qlog?.size().bytes ?? 0,
    hourlyCells: hourly.cells(),
    dayCells: domains.cells(),
    snapshotBytes,
    captureDropped: capture.dropped(),
    tailDropped: tail.dropped(),
  });

  function report(device: string | null, format: 'json' | 'csv'): Report | string {
    const r = buildReport(domains, device, { registrations: Object.fromEntries(registrations), orgs: Object.fromEntries(orgs) }, now());
    return format === 'csv' ? reportCsv(r) : r;
  }

  return {
    add: capture.add,
    drain,
    flush,
    query: (filter) => qlog?.query(filter) ?? { entries: [], next: null },
    top: (kind, period = lastDay(), n = 10, device) => (kind === 'domain' ? domains.top(period, n, device) : hourly.top(kind, period, n)),
    series: (kind, key = '', period = lastDay()) => hourly.series(kind, key, period),
    report: report as Stats['report'],
    subscribe: (cb, options) => tail.subscribe(cb, options),
    metricsText: (extra = []) => statsMetrics({ counts, sizes: sizes(), devicesSeen: hourly.top('device', lastDay(), Infinity).filter((c) => c.key !== '').length, flash: o.flash?.counters() ?? null, extra }),
    sizes,
    async stop() {
      clearInterval(drainTimer);
      clearInterval(flushTimer);
      await flush();
    },
  };
}
