import { describe, expect, it } from 'vitest';
import { createDomains, PER_DEVICE } from '../../src/stats/domains.js';
import { createHourly, HOURS_KEPT, MAX_KEYS } from '../../src/stats/hourly.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 5, 30, 12);
const seen = (time: number, blocked = false) => ({ time, blocked, flagged: false, source: blocked ? 'list:ads' : '', countries: [], asns: [] });

describe('domains', () => {
  describe('when a device asks for more than 500 domains', () => {
    it('keeps the busiest 500', () => {
      const d = createDomains();
      for (let k = 0; k < 600; k++) d.record('dev', `d${k}.example.org`, seen(T0), k < 100 ? 1 : 10);
      const kept = [...d.pairs('dev')].map(([, name]) => name);
      expect(kept.length).toBeLessThanOrEqual(PER_DEVICE * 1.1);
      for (let k = 100; k < 600; k++) expect(kept).toContain(`d${k}.example.org`);
    });
  });

  describe('when day cells pass their bound', () => {
    it('drops the oldest days first and keeps the summaries', () => {
      const d = createDomains(1000);
      for (let day = 0; day < 100; day++) for (let k = 0; k < 20; k++) d.record('dev', `d${k}.example.org`, seen(T0 + day * DAY));
      expect(d.cells()).toBe(2000);
      d.prune(T0 + 100 * DAY);
      expect(d.cells()).toBeLessThanOrEqual(950);
      const [, , p] = [...d.pairs('dev')][0];
      expect(p.count).toBe(100);
      expect(p.first).toBe(T0);
      expect(d.top({ from: T0, to: T0 + 50 * DAY }, 5)).toEqual([]);
      expect(d.top({ from: T0 + 99 * DAY, to: T0 + 100 * DAY }, 1)).toEqual([{ key: 'd0.example.org', queries: 1, blocked: 0, flagged: 0 }]);
    });

    it('forgets pairs unseen for a year', () => {
      const d = createDomains();
      d.record('dev', 'old.example.org', seen(T0));
      d.record('dev', 'new.example.org', seen(T0 + 300 * DAY));
      d.prune(T0 + 367 * DAY);
      expect([...d.pairs(null)].map(([, n]) => n)).toEqual(['new.example.org']);
    });
  });
});

describe('hourly', () => {
  it('drops hours older than 30 days', () => {
    const h = createHourly();
    h.count('house', '', T0, false, false);
    h.count('house', '', T0 + 10 * DAY, true, false);
    h.prune(T0 + (HOURS_KEPT / 24) * DAY + 3_600_000);
    expect(h.series('house', '', { from: 0, to: T0 + 365 * DAY }).map((p) => p.blocked)).toEqual([1]);
  });

  it('counts a late query in its own hour', () => {
    const h = createHourly();
    h.count('house', '', T0 + 7_200_000, false, false);
    h.count('house', '', T0, false, true);
    expect(h.series('house', '', { from: 0, to: T0 + DAY }).map((p) => [p.hour - T0, p.flagged])).toEqual([[0, 1], [7_200_000, 0]]);
  });

  it(`counts keys past ${MAX_KEYS} per kind as 'other'`, () => {
    const h = createHourly();
    for (let a = 0; a < MAX_KEYS + 20; a++) h.count('asn', String(a), T0, false, false);
    const top = h.top('asn', { from: T0, to: T0 + 1 }, 1);
    expect(top).toEqual([{ key: 'other', queries: 20, blocked: 0, flagged: 0 }]);
  });
});
