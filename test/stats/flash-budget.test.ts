// Issue 7's flash budget for the statistics: ≤ 5 MB a day. Measured on the worst case of a busy
// house (30 devices × 500 domains, every pair asked every day, 30 days of history) through the
// real files and FlashWriter, one flush every 15 minutes of a whole simulated day.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDomains } from '../../src/stats/domains.js';
import { createHourly } from '../../src/stats/hourly.js';
import { createStatsFiles } from '../../src/stats/persist.js';
import { createFlashWriter } from '../../src/store/flash.js';
import { household, prng } from './household.js';

const DAY = 86_400_000;
const END = Date.UTC(2025, 5, 30, 12);
const DAY1 = Math.floor(END / DAY + 1) * DAY; // the day simulated: the one after the history

describe('statistics on flash, one day of a busy house', () => {
  it('writes under 5 MB a day, one file per flush and two at the day\'s first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'telemute-budget-'));
    try {
      const { hourly, domains } = household(END);
      const flash = createFlashWriter(dir);
      const files = createStatsFiles({ flash, hourly, domains, registrations: new Map(), orgs: new Map(), log: () => {} });
      await files.save(DAY1 + 60_000); // upgrade: the 30 closed days archived at once, then the summary
      const start = flash.counters();
      const pairs = [...domains.pairs(null)];
      const rnd = prng(7);
      let maxOpen = 0;
      for (let j = 1; j < 96; j++) {
        const t = DAY1 + j * 900_000;
        // A pair asked n times a day is touched in an interval with probability n / 96.
        for (const [device, name, p] of pairs) {
          const perDay = p.count / 30;
          if (rnd() * 96 > perDay) continue;
          const n = Math.max(1, Math.round(perDay / 96));
          const blocked = p.blocked > 0;
          domains.record(device, name, { time: t - 1000, blocked, flagged: false, source: blocked ? 'catalog:acme' : '', countries: p.countries, asns: p.asns }, n);
          hourly.count('device', device, t - 1000, blocked, false, n);
          hourly.count('house', '', t - 1000, blocked, false, n);
        }
        maxOpen = Math.max(maxOpen, await files.save(t));
      }
      const close = await files.save(DAY1 + DAY + 60_000); // the next day's first flush
      const end = flash.counters();
      const day = end.bytes - start.bytes;
      const by = (f: string) => end.byFile[f].bytes - (start.byFile[f]?.bytes ?? 0);
      console.log(`busy house, one day: ${day} B in ${end.batches - start.batches} files (open day ${by('stats/today.json.gz')} B in 95, largest ${maxOpen} B; day close ${close} B: summary + archive)`);
      expect(end.batches - start.batches).toBe(95 + 2);
      expect(day).toBeLessThan(5_000_000);
      // And it all loads back: 31 archives, the summary, no open day yet.
      const again = { hourly: createHourly(), domains: createDomains() };
      createStatsFiles({ flash, ...again, registrations: new Map(), orgs: new Map(), log: () => {} }).load();
      const month = { from: DAY1 - 30 * DAY, to: DAY1 + DAY };
      expect(again.domains.top(month, 20)).toEqual(domains.top(month, 20));
      expect(again.hourly.top('device', month, 40)).toEqual(hourly.top('device', month, 40));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
