/**
 * Fuzz: 100 000 random and mutated packets through the real resolver (see fuzz-run.ts). Nothing
 * may throw, no stage may fail, and every reply must be a well-formed DNS response to its query.
 * FUZZ_SEED=n replays another run; bench/fuzz.mjs runs 10⁶.
 */
import { describe, expect, it } from 'vitest';
import { runFuzz } from './fuzz-run.js';

const PACKETS = 100_000;

describe('pipeline fuzz', () => {
  it(`survives ${PACKETS} random and mutated packets with well-formed replies`, async () => {
    const f = await runFuzz(PACKETS, Number(process.env.FUZZ_SEED ?? 0x7e1e_1a7e));
    expect(f.problems.slice(0, 10)).toEqual([]);
    expect(f.sent).toBe(f.fed);
    expect(f.crashes).toBe(0);
    expect(f.stageErrors).toEqual([]);
    expect(f.counters.total).toBe(f.fed);
    // The fuzz reached the interesting paths, not just the FORMERR wall.
    expect(f.answered).toBeGreaterThan(PACKETS / 4);
    expect(f.asked).toBeGreaterThan(100);
    for (const reason of ['cached', 'resolved', 'stale', 'blocked', 'local', 'refused', 'malformed', 'servfail', 'dropped'] as const) {
      expect(f.counters[reason], reason).toBeGreaterThan(0);
    }
    expect(f.tookMs).toBeLessThan(20_000);
  }, 60_000);
});
