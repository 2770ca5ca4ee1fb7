/**
 * The statistics' metric families (names and meanings listed in src/stats/README.md, Metrics).
 * Cache hits are queries answered from the cache; misses are queries that needed an upstream
 * (answered, servfail, and stale — served only because the upstream failed).
 */
import type { FlashCounters } from '../store/flash.js';
import type { Counts } from './drain.js';
import { formatHistogram, formatMetrics, type Metric } from './metrics.js';
import type { StatsSizes } from './stats.js';
import { ACTIONS } from './types.js';

/** What the families are made of. */
export interface MetricsInput {
  counts: Counts;
  sizes: StatsSizes;
  /** Devices with a query in the last 24 h. */
  devicesSeen: number;
  flash: FlashCounters | null;
  extra: readonly Metric[];
}

const code = (a: string) => ACTIONS.indexOf(a as (typeof ACTIONS)[number]);

/** Prometheus text for the statistics. */
export function statsMetrics(m: MetricsInput): string {
  const by = m.counts.byAction;
  const families: Metric[] = [
    { name: 'telemute_queries_total', help: 'Queries by what happened to them, since start.', type: 'counter', samples: ACTIONS.map((action, i) => ({ labels: { action }, value: by[i] })) },
    { name: 'telemute_queries_flagged_total', help: 'Queries flagged by inspection, since start.', type: 'counter', samples: [{ value: m.counts.flagged }] },
    { name: 'telemute_cache_hits_total', help: 'Queries answered from the cache.', type: 'counter', samples: [{ value: by[code('cached')] }] },
    { name: 'telemute_cache_misses_total', help: 'Queries that needed an upstream (answered, servfail, stale).', type: 'counter', samples: [{ value: by[code('answered')] + by[code('servfail')] + by[code('stale')] }] },
    { name: 'telemute_devices_seen', help: 'Devices with a query in the last 24 hours.', type: 'gauge', samples: [{ value: m.devicesSeen }] },
    { name: 'telemute_query_log_entries', help: 'Entries in the query log.', type: 'gauge', samples: [{ value: m.sizes.logEntries }] },
    { name: 'telemute_query_log_bytes', help: 'Bytes of keys and values in the query log.', type: 'gauge', samples: [{ value: m.sizes.logBytes }] },
    { name: 'telemute_stats_dropped_total', help: 'Queries not logged: capture batch full, or live-tail subscriber too slow.', type: 'counter', samples: [{ labels: { where: 'capture' }, value: m.sizes.captureDropped }, { labels: { where: 'tail' }, value: m.sizes.tailDropped }] },
    { name: 'telemute_stats_snapshot_bytes', help: 'Size of the last statistics snapshot.', type: 'gauge', samples: [{ value: m.sizes.snapshotBytes }] },
  ];
  if (m.flash !== null) {
    const files = Object.entries(m.flash.byFile);
    families.push(
      { name: 'telemute_flash_write_bytes_total', help: 'Bytes written to flash, by file.', type: 'counter', samples: files.map(([file, f]) => ({ labels: { file }, value: f.bytes })) },
      { name: 'telemute_flash_writes_total', help: 'Atomic file replacements on flash, by file.', type: 'counter', samples: files.map(([file, f]) => ({ labels: { file }, value: f.batches })) },
      { name: 'telemute_flash_removes_total', help: 'Files deleted from flash (retention).', type: 'counter', samples: [{ value: m.flash.removes }] },
    );
  }
  return formatMetrics(families) + formatHistogram('telemute_upstream_latency_seconds', 'Time from arrival to answer of queries an upstream answered.', m.counts.latency) + formatMetrics(m.extra);
}
