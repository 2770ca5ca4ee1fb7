import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStats, type Stats, type StatsOptions } from '../../src/stats/stats.js';
import type { LogEntry } from '../../src/stats/types.js';
import { createFlashWriter } from '../../src/store/flash.js';
import { openVolatileStore, type VolatileStore } from '../../src/store/volatile.js';
import { device, query } from './helpers.js';

const T0 = Date.UTC(2025, 5, 30, 12);
const TV = device('aa:bb:cc:00:00:01', 'Living room TV');
const PHONE = device('aa:bb:cc:00:00:02');
const GEO: Record<string, { country: string; asn: number; org: string }> = {
  '198.51.100.1': { country: 'SG', asn: 64500, org: 'Example Net' },
  '198.51.100.2': { country: 'US', asn: 64501, org: 'Other Net' },
};

describe('stats', () => {
  let dir: string;
  let store: VolatileStore;
  let t: number;
  let open: Stats[];
  const warnings: string[] = [];
  const make = (over: Partial<StatsOptions> = {}): Stats => {
    const s = createStats({ volatile: store, flash: createFlashWriter(join(dir, 'state')), now: () => t, log: (_l, m) => warnings.push(m), geoOf: (ip) => GEO[ip] ?? null, registrationOf: (d) => (d === 'example.net' ? 'Example Registrant, SG' : null), ...over });
    open.push(s);
    return s;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'telemute-stats-'));
    store = openVolatileStore(join(dir, 'volatile'));
    mkdirSync(join(dir, 'state'));
    t = T0;
    open = [];
    warnings.length = 0;
  });
  afterEach(async () => {
    for (const s of open) await s.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('when queries are drained', () => {
    it('logs each with device, geography, registrant, CNAMEs and latency', () => {
      const s = make();
      t = T0 + 40;
      s.add(query({ time: T0, device: TV, name: 'metrics.example.net', cnames: ['edge.example.org'], addresses: ['198.51.100.1'], upstream: '192.0.2.53', flag: 'cloaked' }));
      expect(s.drain()).toBe(1);
      const [e] = s.query({}).entries;
      expect(e).toMatchObject({ time: T0, deviceId: TV.id, mac: TV.mac, deviceName: 'Living room TV', client: '192.0.2.10', name: 'metrics.example.net', action: 'answered', flag: 'cloaked', upstream: '192.0.2.53', latencyMs: 40, cnames: ['edge.example.org'], registration: 'Example Registrant, SG' });
      expect(e.answers).toEqual([{ ip: '198.51.100.1', country: 'SG', asn: 64500, org: 'Example Net' }]);
    });

    it('ranks domains, devices, countries and list sources over a period', () => {
      const s = make();
      for (let i = 0; i < 5; i++) s.add(query({ device: TV, name: `t${i}.metrics.example.net`, addresses: ['198.51.100.1'] }));
      for (let i = 0; i < 3; i++) s.add(query({ device: PHONE, name: 'www.example.org', reason: 'blocked', detail: 'catalog:acme:*.example.org' }));
      s.add(query({ device: PHONE, name: 'api.example.org', addresses: ['198.51.100.2'] }));
      s.drain();
      const day = { from: T0 - 3_600_000, to: T0 + 3_600_000 };
      expect(s.top('domain', day, 2)).toEqual([{ key: 'example.net', queries: 5, blocked: 0, flagged: 0 }, { key: 'example.org', queries: 4, blocked: 3, flagged: 0 }]);
      expect(s.top('domain', day, 5, PHONE.id).map((c) => c.key)).toEqual(['example.org']);
      expect(s.top('device', day, 5).map((c) => [c.key, c.queries, c.blocked])).toEqual([[TV.id, 5, 0], [PHONE.id, 4, 3]]);
      expect(s.top('country', day, 5).map((c) => [c.key, c.queries])).toEqual([['SG', 5], ['US', 1]]);
      expect(s.top('source', day, 5)).toEqual([{ key: 'catalog:acme', queries: 3, blocked: 3, flagged: 0 }]);
      expect(s.top('device', { from: T0 + 7_200_000, to: T0 + 9_000_000 }, 5)).toEqual([]);
      expect(s.series('house', '', day)).toEqual([{ hour: Math.floor(T0 / 3_600_000) * 3_600_000, queries: 9, blocked: 3, flagged: 0 }]);
    });
  });

  describe('when telemute restarts', () => {
    it('loads the snapshot the last instance wrote at stop, through FlashWriter', async () => {
      const first = make();
      for (let i = 0; i < 4; i++) first.add(query({ device: TV, name: 'a.example.net', addresses: ['198.51.100.1'], reason: i === 0 ? 'blocked' : 'resolved', detail: i === 0 ? 'list:ads:a.example.net' : '' }));
      await first.stop();
      open = [];
      expect(readdirSync(join(dir, 'state'))).toEqual(['stats', 'stats.json.gz']); // the summary; no day closed yet
      const second = make();
      const day = { from: T0 - 86_400_000, to: T0 + 1 };
      expect(second.top('device', day, 5)).toEqual([{ key: TV.id, queries: 4, blocked: 1, flagged: 0 }]);
      const report = second.report(TV.id, 'json');
      expect(report.domains).toMatchObject([{ domain: 'example.net', queries: 4, blocked: 1, blockedBy: { 'list:ads': 1 }, countries: ['SG'], networks: [{ asn: 64500, org: 'Example Net' }], registrant: 'Example Registrant, SG' }]);
      expect(second.sizes().snapshotBytes).toBeGreaterThan(0);
    });

    it('starts empty, with a warning, when the snapshot is corrupt', () => {
      writeFileSync(join(dir, 'state', 'stats.json.gz'), 'garbage');
      const s = make();
      expect(s.top('device', { from: 0, to: T0 }, 5)).toEqual([]);
      expect(warnings.join()).toMatch(/stats.json.gz is unreadable/);
    });
  });

  describe('when a device is logged anonymously or not at all', () => {
    it('keeps no id, MAC, name or IP for anonymous devices, in the entry or in the stored bytes', () => {
      const s = make({ logMode: (id) => (id === TV.id ? 'anonymous' : id === PHONE.id ? 'off' : 'full') });
      s.add(query({ device: TV, client: '192.0.2.77', name: 'tv.example.net' }));
      s.add(query({ device: PHONE, client: '192.0.2.88', name: 'phone.example.net' }));
      s.drain();
      const entries = s.query({}).entries;
      expect(entries.map((e) => e.name)).toEqual(['tv.example.net']);
      expect(entries[0]).toMatchObject({ deviceId: '', mac: '', deviceName: '', client: '' });
      const raw = readFileSync(join(dir, 'volatile', 'telemute.mdb')).toString('latin1');
      expect(raw).toContain('tv.example.net');
      for (const secret of [TV.id, '192.0.2.77', 'Living room TV', PHONE.id, '192.0.2.88', 'phone.example.net']) expect(raw).not.toContain(secret);
      const day = { from: T0 - 3_600_000, to: T0 + 1 };
      expect(s.top('device', day, 5).map((c) => c.key)).toEqual(['']);
      expect(s.series('house', '', day)[0].queries).toBe(2);
    });
  });

  describe('when names are hostile', () => {
    it('stores and returns them intact in the log and the report', () => {
      const s = make();
      const name = 'www.<script>alert(1)</script>';
      s.add(query({ name, device: TV }));
      s.drain();
      expect(s.query({}).entries[0].name).toBe(name);
      expect(s.query({ name: '<SCRIPT>' }).entries).toHaveLength(1);
      expect(s.report(null, 'json').domains[0].domain).toBe(name);
      expect(s.report(TV.id, 'csv').split('\r\n')[1]).toMatch(/^www\.<script>alert\(1\)<\/script>,aa:bb:cc:00:00:01,/);
    });
  });

  describe('when the admin watches the live tail', () => {
    it('gives a slow subscriber at most maxQueued entries, the newest, and counts the rest', async () => {
      const s = make();
      let release!: () => void;
      const got: LogEntry[] = [];
      const gate = new Promise<void>((r) => (release = r));
      const off = s.subscribe(async (e) => { got.push(e); await gate; }, { maxQueued: 10 });
      for (let i = 0; i < 100; i++) s.add(query({ time: T0 + i, name: `n${i}.example.org` }));
      s.drain();
      expect(got).toHaveLength(1); // the newest ten were kept: one in flight, nine wait
      release();
      await new Promise((r) => setTimeout(r, 10));
      expect(got.map((e) => e.name)).toEqual(Array.from({ length: 10 }, (_, i) => `n${90 + i}.example.org`));
      expect(s.sizes().tailDropped).toBe(90);
      off();
      s.add(query());
      s.drain();
      expect(got).toHaveLength(10);
    });

    it('filters what a subscriber sees', () => {
      const s = make();
      const got: string[] = [];
      s.subscribe((e) => void got.push(e.name), { filter: { action: 'blocked' } });
      s.add(query({ name: 'ok.example.org' }));
      s.add(query({ name: 'no.example.org', reason: 'blocked' }));
      s.drain();
      expect(got).toEqual(['no.example.org']);
    });
  });

  describe('when Prometheus scrapes', () => {
    it('exposes queries by action, cache hits, latency, devices, log size and flash writes', async () => {
      const s = make();
      t = T0 + 30;
      s.add(query({ reason: 'resolved', device: TV }));
      s.add(query({ reason: 'cached', device: PHONE }));
      s.add(query({ reason: 'blocked', device: PHONE }));
      await s.flush();
      const text = s.metricsText([{ name: 'telemute_extra', help: 'A "test"\\family', type: 'gauge', samples: [{ labels: { stage: 'a"b\\c\nd' }, value: 1 }] }]);
      expect(text).toContain('# TYPE telemute_queries_total counter\n');
      expect(text).toContain('telemute_queries_total{action="answered"} 1\n');
      expect(text).toContain('telemute_cache_hits_total 1\n');
      expect(text).toContain('telemute_cache_misses_total 1\n');
      expect(text).toContain('telemute_devices_seen 2\n');
      expect(text).toContain('telemute_query_log_entries 3\n');
      expect(text).toContain('telemute_flash_writes_total{file="stats.json.gz"} 1\n');
      expect(text).toContain('telemute_upstream_latency_seconds_bucket{le="0.02"} 0\ntelemute_upstream_latency_seconds_bucket{le="0.05"} 1\n');
      expect(text).toContain('telemute_upstream_latency_seconds_count 1\n');
      expect(text).toContain('# HELP telemute_extra A "test"\\\\family\n');
      expect(text).toContain('telemute_extra{stage="a\\"b\\\\c\\nd"} 1\n');
      for (const line of text.trimEnd().split('\n')) expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{.*\})? [-+\w.]+)$/);
    });
  });
});
