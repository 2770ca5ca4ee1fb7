import { describe, expect, it } from 'vitest';
import { extraMetrics } from '../../src/stats/extra-metrics.js';
import { createStats } from '../../src/stats/stats.js';

const input = {
  counters: { cached: 90, stale: 2, resolved: 40, servfail: 1, blocked: 7 },
  cache: { entries: 120, bytes: 34_000, evictions: 3 },
  upstreams: [{ url: 'udp://192.0.2.53:53', sent: 41, errors: 1, srtt: 12.345 }],
  stageErrors: { policy: 0, inspect: 2 },
  lists: [
    { id: 'ads', state: 'ready', bytes: 4_200_000, counts: { block: 100_000, allow: 3, exact: 0 } },
    { id: 'broken"list', state: 'error', bytes: 0, counts: null },
  ],
  devices: 14,
  heapUsedBytes: 21_000_000,
};

describe('extraMetrics', () => {
  const stats = createStats({ volatile: null, flash: null, log: () => {} });
  const text = stats.metricsText(extraMetrics(input));

  it.each([
    'telemute_resolver_queries_total{reason="cached"} 90',
    'telemute_resolver_queries_total{reason="blocked"} 7',
    'telemute_cache_entries 120',
    'telemute_upstream_queries_total{upstream="udp://192.0.2.53:53"} 41',
    'telemute_upstream_srtt_ms{upstream="udp://192.0.2.53:53"} 12.3',
    'telemute_stage_errors_total{stage="inspect"} 2',
    'telemute_list_entries{list="ads",kind="block"} 100000',
    'telemute_list_ready{list="broken\\"list",state="error"} 0',
    'telemute_devices 14',
  ])('exposes %s', (line) => {
    expect(text.split('\n')).toContain(line);
  });

  it('repeats no family of the query log (a duplicate family breaks the exposition format)', () => {
    const names = text.split('\n').filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('gives every family HELP and TYPE lines', () => {
    const families = extraMetrics(input);
    expect(families.length).toBeGreaterThan(0);
    for (const m of families) {
      expect(text).toContain(`# HELP ${m.name} `);
      expect(text).toContain(`# TYPE ${m.name} ${m.type}`);
    }
  });

  it('stops', async () => {
    await expect(stats.stop()).resolves.toBeUndefined();
  });
});
