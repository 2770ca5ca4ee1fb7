import { describe, expect, it } from 'vitest';
import { createCacheStore } from '../../../src/cache/store.js';
import { RCODE } from '../../../src/dns/constants.js';
import { cacheStage } from '../../../src/resolver/stages/cache.js';
import type { Verdict } from '../../../src/resolver/query.js';
import { parse } from '../../helpers/packets.js';
import { entryFor } from '../entries.js';
import { decodedQuery } from '../query-fixture.js';

const T0 = 50_000_000;

function setup(serveStale = true) {
  const clock = { t: T0 };
  const store = createCacheStore({ maxEntries: 100, maxBytes: 1e7 });
  const stage = cacheStage({ store, serveStale, now: () => clock.t });
  const seed = decodedQuery({ name: 'www.example.org' });
  const entry = entryFor(seed, T0); // TTL 60 s, stale for 3600 s more
  store.put(entry);
  return { clock, store, stage, entry };
}

describe('cache', () => {
  it('is the cache stage; a broken cache is a miss', () => {
    expect(setup().stage).toMatchObject({ name: 'cache', onError: 'skip', when: 'question' });
  });

  describe('when the entry is fresh', () => {
    it('answers from it, for any spelling of the name', () => {
      const { clock, stage, entry } = setup();
      clock.t = T0 + 59_999;
      const q = decodedQuery({ name: 'WWW.example.ORG' });
      expect(stage.run(q)).toEqual({ kind: 'answer' });
      expect(q.answer).toBe(entry);
      expect(q.reason).toBe('cached');
    });
  });

  describe('when there is no entry', () => {
    it('goes on', () => {
      const { stage } = setup();
      const q = decodedQuery({ name: 'other.example.org' });
      expect(stage.run(q)).toEqual({ kind: 'next' });
      expect(q.answer).toBeNull();
      expect(q.stale).toBeNull();
    });

    it('misses for another type or with DO', () => {
      const { stage } = setup();
      expect(stage.run(decodedQuery({ name: 'www.example.org', type: 28 }))).toEqual({ kind: 'next' });
      expect(stage.run(decodedQuery({ name: 'www.example.org', edns: { do: true } }))).toEqual({ kind: 'next' });
    });
  });

  describe('when the entry has expired', () => {
    it('keeps it as the stale fallback and goes on', () => {
      const { clock, stage, entry } = setup();
      clock.t = T0 + 60_000;
      const q = decodedQuery({ name: 'www.example.org' });
      expect(stage.run(q)).toEqual({ kind: 'next' });
      expect(q.stale).toBe(entry);
      expect(q.answer).toBeNull();
    });

    it('keeps no fallback when serve_stale is off', () => {
      const { clock, stage } = setup(false);
      clock.t = T0 + 60_000;
      const q = decodedQuery({ name: 'www.example.org' });
      expect(stage.run(q)).toEqual({ kind: 'next' });
      expect(q.stale).toBeNull();
    });

    it('keeps no fallback past staleUntil', () => {
      const { clock, stage } = setup();
      clock.t = T0 + 60_000 + 3_600_000;
      const q = decodedQuery({ name: 'www.example.org' });
      expect(stage.run(q)).toEqual({ kind: 'next' });
      expect(q.stale).toBeNull();
    });
  });

  describe('when the name failed moments ago (RFC 9520)', () => {
    it('serves the stale entry without asking again', () => {
      const { clock, stage, store, entry } = setup();
      clock.t = T0 + 61_000;
      const q = decodedQuery({ name: 'www.example.org' });
      store.markFailed(q.key, clock.t + 5000);
      expect(stage.run(q)).toEqual({ kind: 'answer' });
      expect(q.answer).toBe(entry);
      expect(q.reason).toBe('stale');
    });

    it('answers SERVFAIL with EDE 22 without a stale entry', () => {
      const { clock, stage, store } = setup();
      const q = decodedQuery({ id: 0x4321, name: 'gone.example.org', edns: {} });
      store.markFailed(q.key, clock.t + 5000);
      const v = stage.run(q) as Verdict;
      if (v.kind !== 'reply') throw new Error(v.kind);
      expect(v.reason).toBe('servfail');
      const p = parse(v.reply);
      expect(p.header).toMatchObject({ id: 0x4321, rcode: RCODE.SERVFAIL });
      expect(p.opt!.options).toEqual([{ code: 15, data: Buffer.from([0, 22]) }]);
    });

    it('asks again once the failure has expired', () => {
      const { clock, stage, store } = setup();
      const q = decodedQuery({ name: 'gone.example.org' });
      store.markFailed(q.key, clock.t + 5000);
      clock.t += 5000;
      expect(stage.run(decodedQuery({ name: 'gone.example.org' }))).toEqual({ kind: 'next' });
    });
  });
});
