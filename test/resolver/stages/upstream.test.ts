import { describe, expect, it } from 'vitest';
import { createCacheStore } from '../../../src/cache/store.js';
import { RCODE } from '../../../src/dns/constants.js';
import { upstreamQuery, upstreamStage, type UpstreamStageOptions } from '../../../src/resolver/stages/upstream.js';
import type { Verdict } from '../../../src/resolver/query.js';
import { T, aRdata, buildResponse, parse } from '../../helpers/packets.js';
import { LIMITS, entryFor } from '../entries.js';
import { fakeSet } from '../fake-upstreams.js';
import { decodedQuery } from '../query-fixture.js';

const T0 = 90_000_000;

/** A promise with its resolve function outside. */
function deferred<V>() {
  let resolve!: (v: V) => void;
  const promise = new Promise<V>((r) => (resolve = r));
  return { promise, resolve };
}

const answerA = (query: Buffer, last = 1, ttl = 60) => buildResponse(query, { answers: [{ type: T.A, ttl, rdata: aRdata(`192.0.2.${last}`) }], edns: {} });

function setup(answer: (query: Buffer) => Buffer | null | Promise<Buffer | null>, o: Partial<UpstreamStageOptions> = {}) {
  const clock = { t: T0 };
  const store = createCacheStore({ maxEntries: 100, maxBytes: 1e7 });
  const upstreams = fakeSet('default', answer);
  const stage = upstreamStage({ upstreams, store, limits: LIMITS, failureTtl: 5, now: () => clock.t, ...o });
  return { clock, store, upstreams, stage };
}
const query = (spec: Parameters<typeof decodedQuery>[0] = {}) => decodedQuery({ name: 'www.example.org', ...spec }, { now: T0 });

describe('upstream', () => {
  it('is the upstream stage, answering SERVFAIL on a bug', () => {
    expect(setup(() => null).stage).toMatchObject({ name: 'upstream', onError: 'servfail', when: 'question' });
  });

  describe('when an upstream answers', () => {
    it('answers with the entry, names the upstream and fills the cache', async () => {
      const { stage, store, upstreams } = setup((qb) => answerA(qb, 7));
      const q = query();
      expect(await stage.run(q)).toEqual({ kind: 'answer' });
      expect(q.reason).toBe('resolved');
      expect(q.upstream).toBe('udp://192.0.2.53:53');
      expect(q.answer!.expiresAt).toBe(T0 + 60_000);
      expect(store.get(q.key, T0)).toBe(q.answer);
      expect(parse(q.answer!.wire).answers[0].rdata[3]).toBe(7);
      expect(upstreams.calls[0].deadline).toBe(T0 + 2800);
    });

    it('uses the deadline it is given', async () => {
      const { stage, upstreams } = setup((qb) => answerA(qb), { deadlineMs: 1000 });
      await stage.run(query());
      expect(upstreams.calls[0].deadline).toBe(T0 + 1000);
    });

    it('asks the upstreams the local stage chose', async () => {
      const { stage, upstreams } = setup(() => null);
      const corp = fakeSet('forward', (qb) => answerA(qb, 9), 'udp://192.0.2.99:53');
      const q = query();
      q.upstreams = corp;
      await stage.run(q);
      expect(upstreams.calls).toHaveLength(0);
      expect(corp.calls).toHaveLength(1);
      expect(q.upstream).toBe('udp://192.0.2.99:53');
    });
  });

  describe('when building the upstream query', () => {
    it('carries DO, CD, AD and our OPT of 1232 bytes, and none of the client options', async () => {
      const { stage, upstreams } = setup((qb) => answerA(qb));
      const mac = { code: 65001, data: Buffer.from([2, 0, 0x5e, 0x10, 0, 1]) };
      await stage.run(query({ name: 'WWW.Example.ORG', type: T.AAAA, cd: true, edns: { do: true, udpSize: 4096, options: [mac] } }));
      const p = parse(upstreams.calls[0].query);
      expect(p.header).toMatchObject({ rd: true, ad: true, cd: true, qdcount: 1, arcount: 1 });
      expect(p.question).toEqual({ name: 'www.example.org', type: T.AAAA, klass: 1 });
      expect(p.opt).toEqual({ udpSize: 1232, extendedRcode: 0, version: 0, do: true, options: [] });
    });

    it('clears DO and CD when the client did not set them', () => {
      const p = parse(upstreamQuery(query({ edns: {} })));
      expect(p.header.cd).toBe(false);
      expect(p.header.ad).toBe(true);
      expect(p.opt!.do).toBe(false);
    });

    it('adds an OPT even when the client had none', () => {
      expect(parse(upstreamQuery(query())).opt).not.toBeNull();
    });
  });

  describe('when identical queries are in flight', () => {
    it('asks the upstreams once and answers both', async () => {
      const d = deferred<Buffer | null>();
      let asked: Buffer | null = null;
      const { stage, upstreams } = setup((qb) => ((asked = qb), d.promise));
      const a = query({ id: 1 });
      const b = query({ id: 2, name: 'WWW.EXAMPLE.ORG' });
      const pa = stage.run(a) as Promise<Verdict>;
      const pb = stage.run(b) as Promise<Verdict>;
      await Promise.resolve();
      d.resolve(answerA(asked!));
      expect(await pa).toEqual({ kind: 'answer' });
      expect(await pb).toEqual({ kind: 'answer' });
      expect(upstreams.calls).toHaveLength(1);
      expect(a.answer).toBe(b.answer);
    });

    it('asks separately for different questions', async () => {
      const { stage, upstreams } = setup((qb) => answerA(qb));
      await Promise.all([stage.run(query()), stage.run(query({ type: T.AAAA })), stage.run(query({ edns: { do: true } }))]);
      expect(upstreams.calls).toHaveLength(3);
    });

    it('asks again once the first exchange is over', async () => {
      const { stage, upstreams } = setup((qb) => answerA(qb, 1, 0));
      await stage.run(query());
      await stage.run(query());
      expect(upstreams.calls).toHaveLength(2);
    });
  });

  describe('when no upstream answers', () => {
    it('answers SERVFAIL with EDE 22 and remembers the failure', async () => {
      const { stage, store, clock } = setup(() => null);
      clock.t = T0 + 100;
      const q = query({ id: 0x0f0f, edns: {} });
      const v = (await stage.run(q)) as Verdict;
      if (v.kind !== 'reply') throw new Error(v.kind);
      expect(v.reason).toBe('servfail');
      const p = parse(v.reply);
      expect(p.header).toMatchObject({ id: 0x0f0f, rcode: RCODE.SERVFAIL });
      expect(p.opt!.options).toEqual([{ code: 15, data: Buffer.from([0, 22]) }]);
      expect(q.detail).toBe('no upstream answered');
      expect(store.hasFailed(q.key, T0 + 100 + 4999)).toBe(true);
      expect(store.hasFailed(q.key, T0 + 100 + 5000)).toBe(false);
    });

    it('serves the stale entry when there is one', async () => {
      const { stage } = setup(() => null);
      const q = query();
      q.stale = entryFor(q, T0 - 120_000);
      expect(await stage.run(q)).toEqual({ kind: 'answer' });
      expect(q.answer).toBe(q.stale);
      expect(q.reason).toBe('stale');
    });
  });

  describe('when the upstreams answer SERVFAIL', () => {
    it('passes the SERVFAIL on and remembers the failure', async () => {
      const { stage, store } = setup((qb) => buildResponse(qb, { rcode: RCODE.SERVFAIL }));
      const q = query();
      expect(await stage.run(q)).toEqual({ kind: 'answer' });
      expect(q.reason).toBe('servfail');
      expect(q.answer!.rcode).toBe(RCODE.SERVFAIL);
      expect(store.hasFailed(q.key, T0 + 1)).toBe(true);
      expect(store.get(q.key, T0)).toBeUndefined();
    });

  });

  describe('when the upstreams answer a failure and a stale entry is kept', () => {
    // RFC 8767 §4: a SERVFAIL or a refusal is a failure to refresh; the stale answer is served.
    it.each([['SERVFAIL', RCODE.SERVFAIL], ['REFUSED', RCODE.REFUSED]])('serves the stale entry instead of %s', async (_name, rcode) => {
      const { stage } = setup((qb) => buildResponse(qb, { rcode }));
      const q = query();
      const stale = entryFor(q, T0 - 120_000);
      q.stale = stale;
      await stage.run(q);
      expect(q.answer).toBe(stale);
      expect(q.reason).toBe('stale');
    });
  });

  describe('when the upstreams answer REFUSED', () => {

    it('passes the REFUSED on when nothing stale is kept', async () => {
      const { stage } = setup((qb) => buildResponse(qb, { rcode: RCODE.REFUSED }));
      const q = query();
      await stage.run(q);
      expect(q.answer!.rcode).toBe(RCODE.REFUSED);
    });
  });

  describe('when a stale entry exists and the upstreams are slow (RFC 8767 §5)', () => {
    it('serves stale after staleAfterMs and still refreshes the cache later', async () => {
      const d = deferred<Buffer | null>();
      let asked: Buffer | null = null;
      const { stage, store } = setup((qb) => ((asked = qb), d.promise), { staleAfterMs: 20 });
      const q = query();
      const stale = entryFor(q, T0 - 120_000);
      q.stale = stale;
      const t0 = Date.now();
      expect(await stage.run(q)).toEqual({ kind: 'answer' });
      expect(Date.now() - t0).toBeGreaterThanOrEqual(15);
      expect(q.answer).toBe(stale);
      expect(q.reason).toBe('stale');
      d.resolve(answerA(asked!, 42));
      await new Promise((r) => setTimeout(r, 5));
      expect(q.answer).toBe(stale); // the answered query does not change under record
      expect(q.reason).toBe('stale');
      const fresh = store.get(q.key, T0);
      expect(fresh).toBeDefined();
      expect(parse(fresh!.wire).answers[0].rdata[3]).toBe(42);
    });

    it('answers fresh when the upstream is faster than staleAfterMs', async () => {
      const { stage } = setup((qb) => answerA(qb, 5), { staleAfterMs: 1000 });
      const q = query();
      q.stale = entryFor(q, T0 - 120_000);
      const t0 = Date.now();
      await stage.run(q);
      expect(Date.now() - t0).toBeLessThan(500);
      expect(q.reason).toBe('resolved');
      expect(parse(q.answer!.wire).answers[0].rdata[3]).toBe(5);
    });

    it('counts staleAfterMs from when the query arrived', async () => {
      const d = deferred<Buffer | null>();
      const { stage, clock } = setup(() => d.promise, { staleAfterMs: 1800 });
      const q = query();
      q.stale = entryFor(q, T0 - 120_000);
      clock.t = T0 + 1800; // the query already waited 1.8 s in earlier stages
      const t0 = Date.now();
      await stage.run(q);
      expect(Date.now() - t0).toBeLessThan(500);
      expect(q.reason).toBe('stale');
      d.resolve(null);
    });
  });
});
