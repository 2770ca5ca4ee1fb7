/**
 * The list compiler: the checks in this process, and the same work done by a child process
 * (the built bundle run with --compile-list) into a volatile store this process then reads.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nameToWire } from '../../src/dns/name.js';
import { compileInChild, parseAndCompile, type ChildCompiler, type CompileJob } from '../../src/policy/list-compiler.js';
import { openCompiledList, type CompiledList } from '../../src/policy/list-store.js';
import { openVolatileStore, type VolatileStore } from '../../src/store/volatile.js';
import { BUNDLE, ensureBuilt } from '../helpers/telemute.js';

const w = (n: string) => nameToWire(n)!;
const HASH = 'c'.repeat(64);
const GOOD = Buffer.from(['# a list', '0.0.0.0 tracker.example.org', '||ads.example.net^', '@@||good.ads.example.net^'].join('\n'));
const BAD = Buffer.from(['<html>', '<body>not a list</body>', '</html>', '<p>', '</p>'].join('\n'));
const job = (o: Partial<CompileJob> = {}): CompileJob => ({ id: 'x', hash: HASH, budgetBytes: 64 << 20, usedByOthers: 0, ...o });

describe('list compiler', () => {
  let dir: string;
  let store: VolatileStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'telemute-list-compiler-'));
    store = openVolatileStore(dir);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('in this process', () => {
    it('parses a list that arrives in small chunks as it parses it whole', async () => {
      const lines = ['# chunked'];
      for (let i = 0; i < 40_000; i++) lines.push(`0.0.0.0 n${i}.c${i % 13}.example.org`);
      const text = Buffer.from(lines.join('\n'));
      const chunks = function* () {
        for (let at = 0; at < text.length; at += 4093) yield text.subarray(at, at + 4093); // cuts lines anywhere
      };
      const l = (await parseAndCompile(store, job(), chunks(), text.length, () => {})) as CompiledList;
      expect(l.counts.block).toBe(40_000);
      for (const i of [0, 7_777, 39_999]) expect(l.match(w(`n${i}.c${i % 13}.example.org`))?.action).toBe('block');
    });

    it('compiles a good list and reports progress up to 1', async () => {
      const seen: number[] = [];
      const r = (await parseAndCompile(store, job(), [GOOD], GOOD.length, (p) => seen.push(p))) as CompiledList;
      expect(r.match(w('a.tracker.example.org'))).toEqual({ action: 'block', entry: w('tracker.example.org') });
      expect(r.match(w('good.ads.example.net'))?.action).toBe('allow');
      expect(seen.at(-1)).toBe(1);
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
    });

    it('refuses a page that is not a list, saying why', async () => {
      expect(await parseAndCompile(store, job(), [BAD], BAD.length, () => {})).toEqual({ refused: expect.stringMatching(/lines are bad|no names/) });
    });

    it('refuses a list over the budget left by the other lists', async () => {
      const r = await parseAndCompile(store, job({ budgetBytes: 100_000, usedByOthers: 90_000 }), [GOOD], GOOD.length, () => {});
      expect(r).toEqual({ refused: expect.stringMatching(/^needs [\d.]+ MiB, the budget is 0\.1 MiB and other lists use 0\.1 MiB$/) });
    });
  });

  describe('in a child process (the bundle)', { timeout: 60_000 }, () => {
    let compiler: ChildCompiler;
    beforeAll(ensureBuilt, 200_000);
    beforeEach(() => (compiler = { entry: BUNDLE, volatileDir: dir }));

    it('writes the version into the shared store, where this process opens and matches it', async () => {
      const seen: number[] = [];
      expect(await compileInChild(compiler, job(), GOOD, (p) => seen.push(p))).toBeNull();
      expect(seen.at(-1)).toBe(1);
      const list = openCompiledList(store, 'x', HASH)!;
      expect(list.counts).toEqual({ block: 2, allow: 1, exact: 0 });
      expect(list.match(w('x.ads.example.net'))).toEqual({ action: 'block', entry: w('ads.example.net') });
      expect(list.match(w('example.net'))).toBeNull();
      list.close();
    });

    it('keeps writing from this process while the child writes (one LMDB, two processes)', async () => {
      const db = store.openDB<Buffer, Buffer>('mine', { keyEncoding: 'binary', encoding: 'binary' });
      const lines = ['# many'];
      for (let i = 0; i < 50_000; i++) lines.push(`h${i}.d${i % 97}.example.org`);
      let writes = 0;
      const timer = setInterval(() => db.putSync(Buffer.from([writes >> 8, writes++ & 255]), Buffer.alloc(100)), 1);
      await compileInChild(compiler, job({ id: 'big' }), Buffer.from(lines.join('\n')), () => {});
      clearInterval(timer);
      expect(writes).toBeGreaterThan(0);
      expect(db.getBinary(Buffer.from([0, 0]))?.length).toBe(100);
      const list = openCompiledList(store, 'big', HASH)!;
      expect(list.counts.block).toBe(50_000);
      expect(list.match(w('h49999.d49999.example.org'))).toBeNull();
      expect(list.match(w('www.h49999.d44.example.org'))?.action).toBe('block');
      list.close();
    });

    it('passes on the refusal of a bad list and leaves no version behind', async () => {
      expect(await compileInChild(compiler, job(), BAD, () => {})).toEqual({ refused: expect.stringMatching(/lines are bad|no names/) });
      expect(openCompiledList(store, 'x', HASH)).toBeNull();
    });

    it('compiles nothing from a list cut short (the resolver died while sending it), and says so', async () => {
      const child = spawnSync(process.execPath, [BUNDLE, '--compile-list', JSON.stringify({ ...job(), volatileDir: dir, size: GOOD.length + 10 })], { input: GOOD, encoding: 'utf8', timeout: 30_000 });
      expect(child.status).toBe(1);
      expect(child.stderr).toBe(`telemute: --compile-list: the list ended after ${GOOD.length} of its ${GOOD.length + 10} bytes\n`);
      expect(openCompiledList(store, 'x', HASH)).toBeNull();
    });

    it('fails the compile, not this process, when the child runs out of memory (an 8 MB heap)', async () => {
      const big = Buffer.from(Array.from({ length: 400_000 }, (_, i) => `name-${i}.example-${i % 1000}.org`).join('\n'));
      const tiny = { ...compiler, nodeArgs: ['--max-old-space-size=8', '--max-semi-space-size=1'] };
      await expect(compileInChild(tiny, job({ id: 'oom' }), big, () => {})).rejects.toThrow(/compiler process (exited with [1-9]\d*|was killed \(SIG(ABRT|KILL|TRAP)\)).*/);
      expect(openCompiledList(store, 'oom', HASH)).toBeNull();
      expect(await compileInChild(compiler, job({ id: 'after' }), GOOD, () => {})).toBeNull(); // and the next one works
    });

    it('rejects with the child’s own words when the job is wrong', async () => {
      await expect(compileInChild(compiler, job({ id: '' }), GOOD, () => {})).rejects.toThrow(/exited with 2: telemute: --compile-list: the job needs id/);
    });

    it('kills the child on abort (shutdown) and on its time limit, and says so', async () => {
      const big = Buffer.from(Array.from({ length: 300_000 }, (_, i) => `n${i}.example.org`).join('\n'));
      const abort = new AbortController();
      const aborted = compileInChild(compiler, job({ id: 'a' }), big, () => {}, abort.signal);
      setTimeout(() => abort.abort(), 100);
      await expect(aborted).rejects.toThrow(/was killed \(SIGKILL, shutting down\)/);
      const before = new AbortController();
      before.abort(); // shutting down already: the child is not left to run
      await expect(compileInChild(compiler, job({ id: 'b' }), big, () => {}, before.signal)).rejects.toThrow(/shutting down/);
      await expect(compileInChild({ ...compiler, timeoutMs: 100 }, job({ id: 't' }), big, () => {})).rejects.toThrow(/was killed \(SIGKILL\)/);
      expect(openCompiledList(store, 'a', HASH)).toBeNull();
    });
  });
});
