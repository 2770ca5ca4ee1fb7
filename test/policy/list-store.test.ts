import { newNameWalk, walkName } from '../../src/policy/name-walk.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nameToWire, wireStringToName } from '../../src/dns/name.js';
import { parseList } from '../../src/policy/list-formats.js';
import { compileList, estimateBytes, listDbName, openCompiledList, pruneCompiledLists } from '../../src/policy/list-store.js';
import { openVolatileStore, type VolatileStore } from '../../src/store/volatile.js';

const w = (n: string) => nameToWire(n)!;
const HASH = 'a'.repeat(64);
const LIST = [
  '||ads.example.org^',
  '||example.net^',
  '@@||good.example.net^',
  '|only.example.org^',
  '0.0.0.0 tracker.example.org',
  '||both.example.org^',
  '@@||both.example.org^',
].join('\n');

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

/** Longest gap between 1 ms timer ticks while `work` runs: how long DNS would have waited. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let max = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    max = Math.max(max, now - last);
    last = now;
  }, 1);
  await work();
  clearInterval(timer);
  return Math.max(max, performance.now() - last);
}

/** `n` names like `h12.d345.example.org` in hosts format, with an allow and an exact entry. */
export function bigListText(n: number): string {
  const lines = ['# generated', '@@||keep.d7.example.org^', '|exact.example.net^'];
  for (let i = 0; i < n - 2; i++) lines.push(`0.0.0.0 h${i}.d${i % 997}.example.org`);
  return lines.join('\n');
}

describe('list store', () => {
  let dir: string;
  let store: VolatileStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'telemute-list-store-'));
    store = openVolatileStore(dir);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('when a list is compiled', () => {
    it('answers the longest listed suffix, exact entries for the name only, allow over block', async () => {
      const l = await compileList(store, 'x', HASH, parseList(LIST));
      const m = (n: string) => {
        const r = l.match(w(n));
        return r && `${r.action} ${wireStringToName(r.entry)}`;
      };
      expect(m('ads.example.org')).toBe('block ads.example.org');
      expect(m('a.b.ads.example.org')).toBe('block ads.example.org');
      expect(m('www.example.net')).toBe('block example.net');
      expect(m('x.good.example.net')).toBe('allow good.example.net');
      expect(m('only.example.org')).toBe('block only.example.org');
      expect(m('sub.only.example.org')).toBeNull();
      expect(m('both.example.org')).toBe('allow both.example.org');
      expect(m('example.org')).toBeNull();
      expect(m('xads.example.org')).toBeNull();
      expect(l.match('\0')).toBeNull();
      expect(l.counts).toEqual({ block: 4, allow: 2, exact: 1 });
      expect(l.dbName).toBe(listDbName('x', HASH));
      expect(l.dbName).toBe('list:x:aaaaaaaaaaaa');
    });

    it('answers the same from a walked name (the engine reuses its suffix hashes)', async () => {
      const l = await compileList(store, 'x', HASH, parseList(LIST));
      const walk = newNameWalk();
      for (const n of ['ads.example.org', 'a.b.ads.example.org', 'www.example.net', 'x.good.example.net', 'only.example.org', 'sub.only.example.org', 'both.example.org', 'example.org', 'xads.example.org', 'org']) {
        expect(l.matchWalk(walkName(w(n), walk))).toEqual(l.match(w(n)));
      }
    });

    it('never blocks an unlisted name, whatever the Bloom filter says (20 000 names)', async () => {
      const text = Array.from({ length: 5000 }, (_, i) => `t${i}.example.net`).join('\n');
      const l = await compileList(store, 'x', HASH, parseList(text));
      for (let i = 0; i < 20_000; i++) expect(l.match(w(`host-${i}.example.org`))).toBeNull();
      for (let i = 0; i < 5000; i += 97) expect(l.match(w(`www.t${i}.example.net`))?.entry).toBe(w(`t${i}.example.net`));
    });

    it('estimates its bytes before compiling: never under, at most 30 % over', async () => {
      const parsed = parseList(bigListText(50_000));
      const estimate = estimateBytes(parsed);
      const l = await compileList(store, 'x', HASH, parsed);
      expect(estimate).toBeGreaterThanOrEqual(l.bytes.total);
      expect(estimate / l.bytes.total).toBeLessThan(1.3);
      expect(l.bytes.total).toBe(l.bytes.lmdb + l.bytes.bloom);
    });

    it('merges a name listed as block and as allow in different pieces into one entry', async () => {
      const parts = [parseList('||a.example.org^\n||b.example.org^'), parseList('@@||a.example.org^\n|b.example.org^')];
      const { createNameCollector } = await import('../../src/policy/list-runs.js');
      const c = createNameCollector();
      parts.forEach((p) => c.add(p));
      const l = await compileList(store, 'x', HASH, c.finish());
      expect(l.counts).toEqual({ block: 2, allow: 1, exact: 1 });
      expect(l.match(w('x.a.example.org'))?.action).toBe('allow');
      expect(l.match(w('x.b.example.org'))?.action).toBe('block');
    });

    it('matches nothing for a query label holding a dot, which no listed name can have', async () => {
      const l = await compileList(store, 'x', HASH, parseList('b.a.example.org'));
      expect(l.match(w('b.a.example.org'))?.action).toBe('block');
      expect(l.match('\x03a.b\x07example\x03org\x00')).toBeNull();
    });
  });

  describe('when telemute restarts (the LMDB env is closed and opened again)', () => {
    it('reopens the compiled version without compiling it again', async () => {
      await compileList(store, 'x', HASH, parseList(LIST));
      await store.close();
      store = openVolatileStore(dir);
      const l = openCompiledList(store, 'x', HASH)!;
      expect(l.match(w('a.ads.example.org'))?.action).toBe('block');
      expect(l.counts).toEqual({ block: 4, allow: 2, exact: 1 });
      expect(openCompiledList(store, 'x', 'b'.repeat(64))).toBeNull();
    });

    it('drops a version of the old layout (one entry per name, meta v1) so it is compiled again', async () => {
      const db = store.openDB<Buffer, Buffer>(listDbName('x', HASH), { keyEncoding: 'binary', encoding: 'binary' });
      db.putSync(Buffer.from(w('ads.example.org'), 'latin1'), Buffer.from([1]));
      db.putSync(Buffer.from([0xff, 0x6d]), Buffer.from(JSON.stringify({ v: 1, counts: { block: 1, allow: 0, exact: 0 } })));
      expect(openCompiledList(store, 'x', HASH)).toBeNull();
      expect(store.openDB(listDbName('x', HASH), { create: false } as object)).toBeUndefined();
    });

    it('drops a version whose compile was cut short (no meta record) and says there is none', async () => {
      const db = store.openDB<Buffer, Buffer>(listDbName('x', HASH), { keyEncoding: 'binary', encoding: 'binary' });
      db.putSync(Buffer.from(w('ads.example.org'), 'latin1'), Buffer.from([1]));
      expect(openCompiledList(store, 'x', HASH)).toBeNull();
      expect(openCompiledList(store, 'x', HASH)).toBeNull();
    });
  });

  describe('when old versions are pruned', () => {
    it('drops every version not kept and leaves the kept one matching', async () => {
      const old = await compileList(store, 'x', HASH, parseList(LIST));
      const kept = await compileList(store, 'x', 'b'.repeat(64), parseList('kept.example.org'));
      expect(pruneCompiledLists(store, new Set([kept.dbName]))).toEqual([old.dbName]);
      expect(kept.match(w('kept.example.org'))?.action).toBe('block');
      expect(openCompiledList(store, 'x', HASH)).toBeNull();
    });

    it('survives many swaps within lmdb maxDbs (64): dropped versions free their slot', async () => {
      let prev = await compileList(store, 'x', HASH, parseList(LIST));
      prev.drop();
      prev.drop(); // twice is harmless
      expect(prev.match(w('ads.example.org'))).toBeNull();
      for (let i = 0; i < 80; i++) {
        const next = await compileList(store, 'x', i.toString(16).padEnd(64, '0'), parseList(LIST));
        prev.drop();
        prev = next;
      }
      expect(prev.match(w('ads.example.org'))?.action).toBe('block');
    });
  });

  describe('when the list has 1M names', () => {
    it('compiles in slices, keeps the names out of the JS heap and reopens fast', async () => {
      gc();
      const heapBefore = process.memoryUsage().heapUsed;
      let parsed: ReturnType<typeof parseList> | null = parseList(bigListText(1_000_000));
      const estimate = estimateBytes(parsed);
      let l = null as Awaited<ReturnType<typeof compileList>> | null;
      const t0 = performance.now();
      const stall = await longestStall(async () => (l = await compileList(store, 'big', HASH, parsed!)));
      const compileMs = performance.now() - t0;
      parsed = null; // no RegExp.input workaround needed: parseList lets go of its text itself
      gc();
      const heapDelta = process.memoryUsage().heapUsed - heapBefore;
      const list = l!;
      const hit = w('www.h123456.d825.example.org');
      const miss = (i: number) => w(`www.m${i}.example.net`);
      expect(list.match(hit)?.entry).toBe(w('h123456.d825.example.org'));
      expect(list.match(w('a.keep.d7.example.org'))?.action).toBe('allow');
      const misses = Array.from({ length: 1000 }, (_, i) => miss(i));
      let t = performance.now();
      for (let i = 0; i < 200_000; i++) list.match(misses[i % 1000]);
      const missUs = ((performance.now() - t) * 1000) / 200_000;
      t = performance.now();
      for (let i = 0; i < 200_000; i++) list.match(hit);
      const hitUs = ((performance.now() - t) * 1000) / 200_000;
      await store.close();
      store = openVolatileStore(dir);
      t = performance.now();
      const reopened = openCompiledList(store, 'big', HASH)!;
      const reopenMs = performance.now() - t;
      expect(reopened.match(hit)?.action).toBe('block');
      const figures = { compileMs, stall, hitUs, missUs, heapDelta, lmdb: list.bytes.lmdb, bloom: list.bytes.bloom, estimate, reopenMs };
      console.log('list-store 1M:', JSON.stringify(figures));
      expect(list.counts).toEqual({ block: 999_998, allow: 1, exact: 1 });
      expect(reopenMs).toBeLessThan(2000);
      expect(list.bytes.lmdb).toBeLessThan(16e6); // one LMDB entry per name took 40 MB
      expect(heapDelta).toBeLessThan(16 << 20);
      expect(stall).toBeLessThan(250);
      expect(missUs).toBeLessThan(5);
    }, 90_000);
  });
});
