import { describe, expect, it } from 'vitest';
import { createDomains } from '../../src/stats/domains.js';
import { createHourly } from '../../src/stats/hourly.js';
import { decodeArchive, encodeArchive } from '../../src/stats/day-archive.js';
import { decodeSnapshot, encodeSnapshot } from '../../src/stats/snapshot.js';
import { household } from './household.js';

const END = Date.UTC(2025, 5, 30, 12);

describe('snapshot', () => {
  describe('when a realistic household is saved (30 devices × 500 domains × 30 days)', () => {
    const house = household(END);
    const extras = { registrations: { 'svc1.example.org': 'Example Org, US' }, orgs: { '64500': 'Example Net' } };
    const bytes = encodeSnapshot(house.hourly, house.domains, extras, END);

    it('fits the 1 MB flash budget', () => {
      console.log(`snapshot: ${bytes.length} B for ${house.domains.cells()} day cells, ${house.hourly.cells()} hour cells`);
      expect(house.domains.cells()).toBeGreaterThan(400_000);
      expect(bytes.length).toBeLessThan(1_000_000);
    });

    it('splits into a summary written once a day and small immutable day archives', () => {
      const summary = encodeSnapshot(house.hourly, house.domains, extras, END, () => false);
      const day = Math.floor(END / 86_400_000);
      const archive = encodeArchive(day, 0, house.hourly, house.domains);
      console.log(`summary without cells: ${summary.length} B; archive of one day: ${archive.length} B`);
      expect(summary.length).toBeLessThan(250_000);
      expect(archive.length).toBeLessThan(100_000);
      expect(decodeArchive(archive)!.cells.length).toBe(15_000); // every pair has a cell that day
    });

    it('loads back to the same counts', () => {
      const hourly = createHourly();
      const domains = createDomains();
      expect(decodeSnapshot(bytes, hourly, domains)).toEqual(extras);
      expect(hourly.dump()).toEqual(house.hourly.dump());
      expect(domains.cells()).toBe(house.domains.cells());
      const period = { from: END - 7 * 86_400_000, to: END + 1 };
      expect(domains.top(period, 50)).toEqual(house.domains.top(period, 50));
      const minute = (t: number) => Math.floor(t / 60_000);
      const a = [...house.domains.pairs(null)].map(([d, n, p]) => [d, n, minute(p.first), minute(p.last), p.count, p.blocked, p.by, p.countries, p.asns, [...p.days.subarray(0, p.n * 3)]]);
      const b = [...domains.pairs(null)].map(([d, n, p]) => [d, n, minute(p.first), minute(p.last), p.count, p.blocked, p.by, p.countries, p.asns, [...p.days.subarray(0, p.n * 3)]]);
      expect(b).toEqual(a);
    });
  });

  describe('when the bytes are damaged', () => {
    it('loads nothing and says so with null', () => {
      const { hourly, domains } = household(END, 2, 10, 2);
      const bytes = encodeSnapshot(hourly, domains, { registrations: {}, orgs: {} }, END);
      for (const bad of [bytes.subarray(0, bytes.length - 9), Buffer.from('not gzip'), Buffer.alloc(0)]) expect(decodeSnapshot(bad, createHourly(), createDomains())).toBeNull();
    });
  });
});
