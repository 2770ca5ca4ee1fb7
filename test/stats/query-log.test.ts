import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openQueryLog } from '../../src/stats/query-log.js';
import { createStats, type Stats } from '../../src/stats/stats.js';
import type { LogEntry } from '../../src/stats/types.js';
import { openVolatileStore, type VolatileStore } from '../../src/store/volatile.js';
import { device, query } from './helpers.js';

const T0 = 1_700_000_000_000;
const quiet = () => {};

const entry = (time: number, over: Partial<LogEntry> = {}): LogEntry => ({
  id: '', time, deviceId: 'aa:bb:cc:00:00:01', mac: 'aa:bb:cc:00:00:01', deviceName: 'tv', client: '192.0.2.10', name: 'www.example.org', qtype: 1, rcode: 0,
  action: 'answered', flag: '', detail: '', upstream: '', latencyMs: 1, cnames: [], answers: [], registration: '', ...over,
});

describe('query log', () => {
  let dir: string;
  let store: VolatileStore;
  let stats: Stats | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'telemute-qlog-'));
    store = openVolatileStore(dir);
  });
  afterEach(async () => {
    await stats?.stop();
    stats = undefined;
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('when a flood brings more queries than the rate cap between two drains', () => {
    it('records the first maxPerDrain and counts the rest as dropped', () => {
      stats = createStats({ volatile: store, flash: null, now: () => T0, log: quiet, maxPerDrain: 4096 });
      for (let i = 0; i < 5000; i++) stats.add(query({ time: T0 + i, name: `f${i}.example.org` }));
      stats.drain();
      expect(stats.sizes()).toMatchObject({ logEntries: 4096, captureDropped: 904 });
    });
  });

  describe('when 200 000 queries go through add() and the drain', () => {
    it('holds at most maxEntries, the newest ones', () => {
      let t = T0;
      stats = createStats({ volatile: store, flash: null, now: () => t, log: quiet, maxPerDrain: 16_384, logLimits: { maxEntries: 50_000, retentionHours: 1e6 } });
      for (let i = 0; i < 200_000; i++) {
        stats.add(query({ time: T0 + i, name: `n${i}.example.org` }));
        if (i % 10_000 === 9_999) {
          t = T0 + i;
          stats.drain();
          expect(stats.sizes().logEntries).toBeLessThanOrEqual(50_000);
        }
      }
      expect(stats.sizes().logEntries).toBe(50_000);
      const page = stats.query({ limit: 1 });
      expect(page.entries[0].name).toBe('n199999.example.org');
      const oldest = stats.query({ to: T0 + 150_001, limit: 2 });
      expect(oldest.entries.map((e) => e.name)).toEqual(['n150000.example.org']);
    });

    it('holds at most maxBytes, counting what LMDB really keeps', () => {
      let t = T0;
      const maxBytes = 2 * 1024 * 1024;
      stats = createStats({ volatile: store, flash: null, now: () => t, log: quiet, maxPerDrain: 16_384, logLimits: { maxBytes, retentionHours: 1e6 } });
      for (let i = 0; i < 200_000; i++) {
        stats.add(query({ time: T0 + i, addresses: ['198.51.100.7'] }));
        if (i % 10_000 === 9_999) {
          t = T0 + i;
          stats.drain();
          expect(stats.sizes().logBytes).toBeLessThanOrEqual(maxBytes);
        }
      }
      const { logEntries, logBytes } = stats.sizes();
      expect(logBytes).toBeGreaterThan(maxBytes * 0.99);
      // The counted bytes are what is in the database: a fresh handle counts the same.
      expect(openQueryLog(store).size()).toEqual({ entries: logEntries, bytes: logBytes });
    });
  });

  describe('when entries are older than the retention', () => {
    it('drops them at the next append', () => {
      const log = openQueryLog(store, { maxEntries: 1000, maxBytes: 1e9, retentionHours: 1 });
      log.append([entry(T0), entry(T0 + 1), entry(T0 + 3_600_000)], T0 + 3_600_000);
      log.append([entry(T0 + 3_600_001)], T0 + 3_600_001 + 1);
      expect(log.query({}).entries.map((e) => e.time)).toEqual([T0 + 3_600_001, T0 + 3_600_000]);
    });
  });

  describe('when the admin filters', () => {
    let log: ReturnType<typeof openQueryLog>;
    beforeEach(() => {
      log = openQueryLog(store);
      const entries: LogEntry[] = [];
      for (let i = 0; i < 300; i++) {
        entries.push(entry(T0 + i * 1000, {
          deviceId: i % 3 === 0 ? 'aa:bb:cc:00:00:03' : 'aa:bb:cc:00:00:01',
          name: i % 5 === 0 ? `telemetry${i}.example.net` : `www${i}.example.org`,
          action: i % 4 === 0 ? 'blocked' : 'answered',
          flag: i % 7 === 0 ? 'cloaked' : '',
          answers: i % 2 === 0 ? [{ ip: '198.51.100.1', country: 'SG', asn: 1, org: '' }] : [],
        }));
      }
      log.append(entries, T0 + 300_000);
    });

    it('by device, name substring (any case), action, flag and country', () => {
      expect(log.query({ deviceId: 'aa:bb:cc:00:00:03', limit: 1000 }).entries).toHaveLength(100);
      expect(log.query({ name: 'TELEMETRY', limit: 1000 }).entries).toHaveLength(60);
      expect(log.query({ action: 'blocked', limit: 1000 }).entries).toHaveLength(75);
      expect(log.query({ action: 'flagged', limit: 1000 }).entries).toHaveLength(43);
      expect(log.query({ country: 'SG', limit: 1000 }).entries).toHaveLength(150);
      const both = log.query({ deviceId: 'aa:bb:cc:00:00:03', action: 'blocked', limit: 1000 }).entries;
      expect(both).toHaveLength(25);
      expect(both.every((e) => e.deviceId === 'aa:bb:cc:00:00:03' && e.action === 'blocked')).toBe(true);
    });

    it('by time range [from, to), newest first', () => {
      const page = log.query({ from: T0 + 10_000, to: T0 + 20_000, limit: 1000 });
      expect(page.entries.map((e) => (e.time - T0) / 1000)).toEqual([19, 18, 17, 16, 15, 14, 13, 12, 11, 10]);
    });

    it('pages with a cursor, each entry once, to the end', () => {
      const seen: number[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 100; pages++) {
        const page = log.query({ action: 'blocked', limit: 20, cursor });
        seen.push(...page.entries.map((e) => e.time));
        if (page.next === null) break;
        cursor = page.next;
      }
      expect(seen).toHaveLength(75);
      expect(new Set(seen).size).toBe(75);
      expect(seen).toEqual([...seen].sort((a, b) => b - a));
    });
  });

  describe('when the log is reopened', () => {
    it('counts what is there and appends after it, even within the same millisecond', () => {
      openQueryLog(store).append([entry(T0), entry(T0)], T0);
      const again = openQueryLog(store);
      expect(again.size().entries).toBe(2);
      again.append([entry(T0, { name: 'later.example.org' })], T0);
      expect(again.query({}).entries.map((e) => e.name)).toEqual(['later.example.org', 'www.example.org', 'www.example.org']);
      expect(again.query({}).entries.every((e) => e.time === T0)).toBe(true);
    });
  });

  describe('when a slow answer is recorded after later arrivals', () => {
    it('keeps it at its own arrival time, between its neighbours', () => {
      const log = openQueryLog(store);
      log.append([entry(T0 + 10, { name: 'a.example.org' }), entry(T0 + 20, { name: 'b.example.org' })], T0 + 20);
      log.append([entry(T0 + 15, { name: 'slow.example.org' }), entry(T0 + 20, { name: 'c.example.org' })], T0 + 20);
      const page = log.query({});
      expect(page.entries.map((e) => [e.name, e.time - T0])).toEqual([['c.example.org', 20], ['b.example.org', 20], ['slow.example.org', 15], ['a.example.org', 10]]);
    });
  });
});
