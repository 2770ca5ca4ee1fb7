import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeSnapshot } from '../../src/stats/snapshot.js';
import { createStats, type Stats } from '../../src/stats/stats.js';
import { createFlashWriter, type FlashWriter } from '../../src/store/flash.js';
import { device, query } from './helpers.js';
import { household } from './household.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 5, 1, 0, 30);
const DEVICES = [device('aa:bb:cc:00:00:01', 'TV'), device('aa:bb:cc:00:00:02'), device('aa:bb:cc:00:00:03')];
const quiet = () => {};
const everything = { from: 0, to: Date.UTC(2030, 0) };

/** What a user sees of the statistics: rankings, series and reports. */
function view(s: Stats) {
  return {
    domains: s.top('domain', everything, 100),
    devices: s.top('device', everything, 100),
    sources: s.top('source', everything, 100),
    house: s.series('house', '', everything),
    reports: DEVICES.map((d) => s.report(d.id, 'json').domains),
  };
}

describe('statistics files', () => {
  let dir: string;
  let t: number;
  let flash: FlashWriter;
  const make = () => createStats({ volatile: null, flash: (flash = createFlashWriter(dir)), now: () => t, log: quiet, registrableOf: (n) => n, registrationOf: (d) => (d.endsWith('d1.example.net') ? 'Example Registrant, SG' : null) });
  /** Queries of day `day`: every device asks a few names, some blocked; a flush every 6 h. */
  async function live(s: Stats, day: number): Promise<void> {
    for (let h = 0; h < 24; h += 6) {
      t = T0 + day * DAY + h * 3_600_000;
      for (const [k, d] of DEVICES.entries()) {
        for (let i = 0; i <= (day + k) % 4; i++) s.add(query({ time: t, device: d, name: `n${i}.d${(day + i) % 5}.example.net`, reason: i === 2 ? 'blocked' : 'resolved', detail: i === 2 ? 'catalog:acme:x' : '' }));
        s.add(query({ time: t, device: d, name: 'www.example.org', addresses: ['198.51.100.1'] }));
      }
      await s.flush();
    }
  }
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'telemute-statsfiles-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('when days close', () => {
    it('archives each once, writes the summary once a day and otherwise only the open day', async () => {
      const s = make();
      for (let day = 0; day < 5; day++) await live(s, day);
      await s.stop();
      expect(readdirSync(join(dir, 'stats')).sort()).toEqual(['day-2025-06-01.json.gz', 'day-2025-06-02.json.gz', 'day-2025-06-03.json.gz', 'day-2025-06-04.json.gz', 'today.json.gz']);
      const files = flash.counters().byFile;
      const archives = Object.entries(files).filter(([name]) => name.startsWith('stats/day-'));
      expect(archives.map(([name, f]) => [name, f.batches])).toEqual(['01', '02', '03', '04'].map((d) => [`stats/day-2025-06-${d}.json.gz`, 1]));
      expect(files['stats.json.gz'].batches).toBe(5); // at start (day 0), then at each day's first flush
      expect(files['stats/today.json.gz'].batches).toBe(5 * 4 + 1 - 5); // 4 flushes a day + stop, less the summary ones
    });

    it('loads archives, summary and open day back to the same statistics after a restart', async () => {
      const first = make();
      for (let day = 0; day < 5; day++) await live(first, day);
      const before = view(first);
      expect(before.reports[0].length).toBeGreaterThan(3);
      await first.stop();
      const second = make();
      expect(view(second)).toEqual(before);
      await live(second, 5); // and goes on counting from there
      const third = (await second.stop(), make());
      const total = (v: { house: { queries: number }[] }) => v.house.reduce((n, p) => n + p.queries, 0);
      expect(total(view(third))).toBe(total(before) + 4 * (3 + 4 + 5)); // day 5: the 3 devices ask 3, 4 and 5 names, 4 times
    });

    it('does not count twice when killed between the summary and the open day', async () => {
      const first = make();
      for (let day = 0; day < 2; day++) await live(first, day);
      t += 60_000;
      await first.flush(); // an open day taken from today's summary
      const before = view(first);
      // The next summary is written at a later start; the open day on disk names the older one.
      const second = make();
      expect(view(second)).toEqual(before);
      await second.flush(); // a new summary (fresh start), the open day left as it was
      expect(view(make())).toEqual(before);
    });
  });

  describe('when the 30 days of hours slide over an archived day', () => {
    it('keeps its archive as written', async () => {
      const s = make();
      await live(s, 0);
      await live(s, 1);
      for (let h = 0; h < 24; h += 6) {
        t = T0 + 30 * DAY + h * 3_600_000; // day 0's hours leave the window one by one
        await s.flush();
      }
      expect(flash.counters().byFile['stats/day-2025-06-01.json.gz'].batches).toBe(1);
      await s.stop();
    });
  });

  describe('when retention drops a whole day', () => {
    it('deletes its archive and counts the removal', async () => {
      const s = make();
      await live(s, 0);
      await live(s, 1);
      expect(existsSync(join(dir, 'stats', 'day-2025-06-01.json.gz'))).toBe(true);
      t = T0 + 400 * DAY; // hours go after 30 days, day cells and summaries after a year
      s.add(query({ time: t, device: DEVICES[0], name: 'late.example.org' }));
      await s.flush();
      // Day 2 was never archived (its day had not closed) and its counts are gone too.
      expect(readdirSync(join(dir, 'stats'))).toEqual(['today.json.gz']);
      expect(flash.counters().removes).toBe(1);
      await s.stop();
      expect(make().top('device', everything, 5)).toEqual([{ key: DEVICES[0].id, queries: 1, blocked: 0, flagged: 0 }]);
    });
  });

  describe('when the state holds a whole snapshot of an older version', () => {
    it('loads it, archives its closed days and writes a summary of today', async () => {
      const end = T0 + 29 * DAY;
      const { hourly, domains } = household(end, 3, 40, 30);
      writeFileSync(join(dir, 'stats.json.gz'), encodeSnapshot(hourly, domains, { registrations: {}, orgs: {} }, end));
      t = end + 60_000;
      const s = make();
      const before = view(s);
      await s.flush();
      // Every closed day (30 days of hours reach into a 31st calendar day); today stays in the summary.
      expect(readdirSync(join(dir, 'stats')).filter((n) => n.startsWith('day-')).length).toBe(30);
      expect(readdirSync(join(dir, 'stats'))).not.toContain('today.json.gz');
      expect(view(make())).toEqual(before);
    });
  });
});
