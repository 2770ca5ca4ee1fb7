/**
 * The answer cache survives a restart through the volatile LMDB store: this also proves the
 * bundle loads lmdb's native binary from beside itself (the helper runs a copy of dist/ outside
 * the repo, where node_modules cannot be found).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kdig } from '../helpers/kdig.js';
import { startKnot, type Knot } from '../helpers/knot.js';
import { ensureBuilt, startTelemute } from '../helpers/telemute.js';

let knot: Knot;
let volatile: string;

beforeAll(async () => {
  await ensureBuilt();
  knot = await startKnot();
  volatile = mkdtempSync(path.join(os.tmpdir(), 'telemute-volatile-'));
}, 120_000);

afterAll(async () => {
  await knot?.stop();
  rmSync(volatile, { recursive: true, force: true });
});

describe('resolver e2e', () => {
  describe('when telemute restarts', () => {
    it('answers from the cache it kept, with the TTL still counting down, while the upstream is gone', async () => {
      const args = ['--upstream', `127.0.0.1:${knot.port}`, '--admin', 'off', '--volatile', volatile];
      const first = await startTelemute(args);
      const fresh = await kdig(first.port, 'www.example.org', 'A');
      expect(fresh.rcode).toBe('NOERROR');
      const ttl = fresh.answer[0].ttl;
      await first.stop();
      expect(first.log()).toMatch(/cache: \d+ answers kept for the next run/);

      knot.kill(); // nothing upstream: only the kept cache can answer
      await new Promise((r) => setTimeout(r, 1100));
      const second = await startTelemute(args);
      try {
        expect(second.log()).toMatch(/cache: \d+ answers kept from the last run/);
        const kept = await kdig(second.port, 'www.example.org', 'A');
        expect(kept.rcode).toBe('NOERROR');
        expect(kept.answer.map((r) => r.data)).toEqual(fresh.answer.map((r) => r.data));
        expect(kept.answer[0].ttl).toBeLessThan(ttl);
        expect(kept.elapsedMs).toBeLessThan(500);
      } finally {
        await second.stop();
      }
    });
  });
});
