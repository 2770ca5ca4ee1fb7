/**
 * The metric families other parts of telemute contribute to /metrics (the query log's own come
 * from metrics.ts): cache, upstreams, stage errors, lists, devices, heap. Plain data in, so this
 * file knows none of those modules.
 */
import type { Metric } from './metrics.js';

export interface ExtraMetricsInput {
  counters: Record<string, number>;
  cache: { entries: number; bytes: number; evictions: number };
  upstreams: { url: string; sent: number; errors: number; srtt: number }[];
  stageErrors: Record<string, number>;
  lists: { id: string; state: string; bytes: number; counts: { block: number; allow: number; exact: number } | null }[];
  devices: number;
  heapUsedBytes: number;
}

/** The families, in the text format's terms. */
export function extraMetrics(i: ExtraMetricsInput): Metric[] {
  const c = i.counters;
  return [
    // Cache hits and misses come with the query log's own families (metrics-families.ts).
    { name: 'telemute_resolver_queries_total', help: 'Queries by outcome as the resolver counts them (also when the query log is off).', type: 'counter', samples: Object.entries(c).filter(([k]) => k !== 'total').map(([reason, value]) => ({ labels: { reason }, value })) },
    { name: 'telemute_cache_entries', help: 'Answers in the cache.', type: 'gauge', samples: [{ value: i.cache.entries }] },
    { name: 'telemute_cache_bytes', help: 'Bytes of cached answers.', type: 'gauge', samples: [{ value: i.cache.bytes }] },
    { name: 'telemute_cache_evictions_total', help: 'Answers evicted to stay within the cache limits.', type: 'counter', samples: [{ value: i.cache.evictions }] },
    { name: 'telemute_upstream_queries_total', help: 'Queries sent to each upstream.', type: 'counter', samples: i.upstreams.map((u) => ({ labels: { upstream: u.url }, value: u.sent })) },
    { name: 'telemute_upstream_errors_total', help: 'Failed exchanges with each upstream (timeouts, errors).', type: 'counter', samples: i.upstreams.map((u) => ({ labels: { upstream: u.url }, value: u.errors })) },
    { name: 'telemute_upstream_srtt_ms', help: 'Smoothed round-trip time of each upstream, ms.', type: 'gauge', samples: i.upstreams.map((u) => ({ labels: { upstream: u.url }, value: Math.round(u.srtt * 10) / 10 })) },
    { name: 'telemute_stage_errors_total', help: 'Errors thrown by each stage of the query path (the query went on without it).', type: 'counter', samples: Object.entries(i.stageErrors).map(([stage, value]) => ({ labels: { stage }, value })) },
    {
      name: 'telemute_list_entries',
      help: 'Names in each compiled list, by kind.',
      type: 'gauge',
      samples: i.lists.flatMap((l) => (l.counts ? (['block', 'allow', 'exact'] as const).map((kind) => ({ labels: { list: l.id, kind }, value: l.counts![kind] })) : [])),
    },
    { name: 'telemute_list_bytes', help: 'Memory of each compiled list (LMDB under --volatile plus its Bloom filter).', type: 'gauge', samples: i.lists.map((l) => ({ labels: { list: l.id }, value: l.bytes })) },
    { name: 'telemute_list_ready', help: 'Whether each list has an active version (1) or not (0).', type: 'gauge', samples: i.lists.map((l) => ({ labels: { list: l.id, state: l.state }, value: l.counts ? 1 : 0 })) },
    { name: 'telemute_devices', help: 'Devices known to the registry.', type: 'gauge', samples: [{ value: i.devices }] },
    { name: 'telemute_heap_used_bytes', help: 'V8 heap in use.', type: 'gauge', samples: [{ value: i.heapUsedBytes }] },
  ];
}
