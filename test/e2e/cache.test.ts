/**
 * telemute's cache against a real knotd that the tests pause (SIGSTOP) or kill: TTL countdown,
 * negative caching, serve-stale and SERVFAIL when the upstream is gone. Own knot and telemute,
 * because pausing the upstream would disturb the other e2e files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kdig, rrsetKey } from '../helpers/kdig.js';
import { startKnot, type Knot } from '../helpers/knot.js';
import { ensureBuilt, startTelemute, type Telemute } from '../helpers/telemute.js';

let knot: Knot;
let tm: Telemute;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  await ensureBuilt();
  knot = await startKnot();
  tm = await startTelemute(['--upstream', `127.0.0.1:${knot.port}`, '--admin', 'off']);
  // Cache the 2-second records now, so they have expired by the time the stale tests run.
  for (const name of ['short2.example.org', 'short3.example.org']) {
    expect((await kdig(tm.port, name, 'A')).answer[0]?.data).toBeDefined();
  }
}, 200_000);

afterAll(async () => {
  await tm?.stop();
  await knot?.stop();
});

/** Runs `fn` with knot stopped (SIGSTOP), always continuing it afterwards. */
async function whilePaused<T>(fn: () => Promise<T>): Promise<T> {
  await knot.pause();
  try {
    return await fn();
  } finally {
    knot.resume();
  }
}

describe('resolver e2e', { timeout: 15_000 }, () => {
  describe('when an answer is in the cache', () => {
    it('serves it without the upstream and counts its TTL down', async () => {
      const first = await kdig(tm.port, 'example.org', 'MX');
      expect(first.answer.length).toBe(2);
      await sleep(2100);
      const second = await whilePaused(() => kdig(tm.port, 'example.org', 'MX'));
      expect(rrsetKey(second.answer)).toEqual(rrsetKey(first.answer));
      expect(second.elapsedMs).toBeLessThan(500);
      const ttl = second.answer[0].ttl;
      expect(ttl).toBeLessThanOrEqual(first.answer[0].ttl - 2);
      expect(ttl).toBeGreaterThanOrEqual(first.answer[0].ttl - 4);
    });

    it('caches NXDOMAIN and NODATA with their SOA', async () => {
      const nx = `nx-${Date.now()}.example.org`;
      expect((await kdig(tm.port, nx, 'A')).rcode).toBe('NXDOMAIN');
      expect((await kdig(tm.port, 'v4only.example.org', 'TXT')).answer).toEqual([]);
      const [nx2, nodata2] = await whilePaused(() =>
        Promise.all([kdig(tm.port, nx, 'A'), kdig(tm.port, 'v4only.example.org', 'TXT')]),
      );
      expect(nx2.rcode).toBe('NXDOMAIN');
      expect(nx2.authority.map((rr) => rr.type)).toEqual(['SOA']);
      expect(nx2.elapsedMs).toBeLessThan(500);
      expect(nodata2.rcode).toBe('NOERROR');
      expect(nodata2.answer).toEqual([]);
      expect(nodata2.authority.map((rr) => rr.type)).toEqual(['SOA']);
      expect(nodata2.elapsedMs).toBeLessThan(500);
    });
  });

  describe('when the upstream hangs (knotd stopped with SIGSTOP)', () => {
    it('serves an expired answer stale, with TTL 30, within 2 s', async () => {
      await sleep(500); // short2 (TTL 2) was cached in beforeAll, at least 2.1 s ago by now
      const r = await whilePaused(() => kdig(tm.port, 'short2.example.org', 'A', ['+timeout=5']));
      expect(r.rcode).toBe('NOERROR');
      expect(r.answer.map((rr) => [rr.data, rr.ttl])).toEqual([['203.0.113.3', 30]]);
      expect(r.elapsedMs).toBeLessThan(2300);
    });

    it('answers SERVFAIL within 3 s for a name it never cached', async () => {
      const r = await whilePaused(() => kdig(tm.port, 'sibling.example.org', 'A', ['+timeout=5']));
      expect(r.rcode).toBe('SERVFAIL');
      expect(r.answer).toEqual([]);
      expect(r.elapsedMs).toBeLessThan(3300);
    });
  });

  describe('when the upstream process is gone (knotd killed)', () => {
    beforeAll(() => knot.kill());

    // With EDNS, so the reply can say why (RFC 8914 §4.4 Stale Answer, §4.23 No Reachable Authority).
    it('serves an expired answer stale, with TTL 30 and EDE 3, within 2 s', async () => {
      const r = await kdig(tm.port, 'short3.example.org', 'A', ['+timeout=5', '+bufsize=1232']);
      expect(r.rcode).toBe('NOERROR');
      expect(r.answer.map((rr) => [rr.data, rr.ttl])).toEqual([['203.0.113.5', 30]]);
      expect(r.opt?.ede?.code).toBe(3);
      expect(r.elapsedMs).toBeLessThan(2300);
    });

    it('answers SERVFAIL with EDE 22 within 3 s for a name it never cached', async () => {
      const r = await kdig(tm.port, 'unblocked.example.org', 'A', ['+timeout=5', '+bufsize=1232']);
      expect(r.rcode).toBe('SERVFAIL');
      expect(r.opt?.ede?.code).toBe(22);
      expect(r.elapsedMs).toBeLessThan(3300);
    });

    it('still answers from the cache', async () => {
      const r = await kdig(tm.port, 'example.org', 'MX');
      expect(r.answer).toHaveLength(2);
    });
  });
});
