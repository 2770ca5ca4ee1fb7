import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultPolicyDoc, type PolicyDoc } from '../../src/policy/policy-doc.js';
import { POLICY_FILE, createPolicyStore } from '../../src/policy/policy-store.js';
import { createFlashWriter, type FlashWriter } from '../../src/store/flash.js';

const known = { catalogs: new Set(['xiaomi']) };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Polls `ok` every 10 ms until it holds (a loaded CI machine may run timers late). */
async function until(ok: () => boolean, ms = 5_000): Promise<void> {
  for (const end = Date.now() + ms; !ok(); await sleep(10)) if (Date.now() > end) throw new Error('timed out');
}

/** The default document with one visible change. */
function docWith(safeSearch: 'off' | 'moderate' | 'strict', observe = false): PolicyDoc {
  const doc = defaultPolicyDoc();
  doc.household.safeSearch = safeSearch;
  doc.household.observe = observe;
  return doc;
}

describe('policy-store', () => {
  let dir: string;
  let flash: FlashWriter;
  let errors: string[];
  const file = () => path.join(dir, POLICY_FILE);
  const onDisk = () => JSON.parse(readFileSync(file(), 'utf8')) as PolicyDoc;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'telemute-policy-store-'));
    flash = createFlashWriter(dir);
    errors = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('when policy.json is missing', () => {
    it('loads the defaults without a problem', () => {
      expect(createPolicyStore(flash, (m) => errors.push(m)).load(known)).toEqual({ doc: defaultPolicyDoc(), problem: null });
    });
  });

  describe('when policy.json is valid', () => {
    it('loads it as written', () => {
      const doc = docWith('strict');
      doc.household.catalogs = { xiaomi: 'observe' };
      writeFileSync(file(), JSON.stringify(doc));
      expect(createPolicyStore(flash, (m) => errors.push(m)).load(known)).toEqual({ doc, problem: null });
    });

    it('reads back what it saved', async () => {
      const store = createPolicyStore(flash, (m) => errors.push(m), 5);
      store.save(docWith('moderate'));
      await store.flush();
      expect(createPolicyStore(createFlashWriter(dir), () => {}).load(known).doc).toEqual(docWith('moderate'));
    });
  });

  describe('when policy.json is bad', () => {
    it.each([
      ['not JSON', '{"version": 1,', /^policy\.json: not JSON \(/],
      ['an invalid document', JSON.stringify({ ...defaultPolicyDoc(), version: 7 }), /^policy\.json: version: must be 1$/],
      ['a document naming an unknown catalog', JSON.stringify({ ...defaultPolicyDoc(), household: { catalogs: { nosuch: 'block' } } }), /^policy\.json: household\.catalogs\.nosuch: no such catalog$/],
    ])('starts on the defaults and says why (%s)', (_what, text, problem) => {
      writeFileSync(file(), text);
      const loaded = createPolicyStore(flash, (m) => errors.push(m)).load(known);
      expect(loaded.doc).toEqual(defaultPolicyDoc());
      expect(loaded.problem).toMatch(problem);
    });

    it('names at most five errors', () => {
      const doc = { ...defaultPolicyDoc(), groups: Array.from({ length: 8 }, (_, i) => ({ id: `g${i}`, name: '', spec: {} })) };
      writeFileSync(file(), JSON.stringify(doc));
      const { problem } = createPolicyStore(flash, () => {}).load(known);
      expect(problem!.split('; ')).toHaveLength(5);
    });

    it('keeps a copy as policy.json.bad before the next save replaces it', async () => {
      writeFileSync(file(), '{"version": 1,');
      const store = createPolicyStore(flash, (m) => errors.push(m), 5);
      store.load(known);
      expect(existsSync(`${file()}.bad`)).toBe(false); // nothing is written by loading
      store.save(docWith('strict'));
      await store.flush();
      expect(readFileSync(`${file()}.bad`, 'utf8')).toBe('{"version": 1,');
      expect(onDisk()).toEqual(docWith('strict'));
      // once: a second save does not copy the good file over the kept bad one
      store.save(docWith('moderate'));
      await store.flush();
      expect(readFileSync(`${file()}.bad`, 'utf8')).toBe('{"version": 1,');
      expect(errors).toEqual([]);
    });

    it('keeps no .bad copy of a good file', async () => {
      writeFileSync(file(), JSON.stringify(docWith('off')));
      const store = createPolicyStore(flash, () => {}, 5);
      store.load(known);
      store.save(docWith('strict'));
      await store.flush();
      expect(existsSync(`${file()}.bad`)).toBe(false);
    });

    it('reports a file it cannot read (a directory) and starts on the defaults', () => {
      mkdirSync(file());
      const loaded = createPolicyStore(flash, () => {}).load(known);
      expect(loaded.doc).toEqual(defaultPolicyDoc());
      expect(loaded.problem).toMatch(/^policy\.json: .*EISDIR/);
    });
  });

  describe('when saves come in a burst', () => {
    it('writes once after the delay, the latest document', async () => {
      const store = createPolicyStore(flash, (m) => errors.push(m), 40);
      for (const level of ['off', 'moderate', 'strict', 'moderate', 'strict'] as const) store.save(docWith(level, level === 'moderate'));
      expect(flash.counters().batches).toBe(0);
      expect(existsSync(file())).toBe(false);
      await until(() => flash.counters().batches > 0);
      await sleep(80); // nothing more comes
      expect(flash.counters().byFile[POLICY_FILE]).toMatchObject({ batches: 1 });
      expect(flash.counters().batches).toBe(1);
      expect(onDisk()).toEqual(docWith('strict'));
    });

    it('writes again for a save after the first write', async () => {
      const store = createPolicyStore(flash, () => {}, 10);
      store.save(docWith('moderate'));
      await until(() => flash.counters().batches === 1);
      store.save(docWith('strict'));
      await until(() => flash.counters().batches === 2);
      expect(onDisk().household.safeSearch).toBe('strict');
    });
  });

  describe('when flushed', () => {
    it('writes the pending document at once', async () => {
      const store = createPolicyStore(flash, () => {}, 60_000);
      store.save(docWith('moderate'));
      store.save(docWith('strict'));
      await store.flush();
      expect(flash.counters().batches).toBe(1);
      expect(onDisk()).toEqual(docWith('strict'));
    });

    it('writes nothing when nothing is pending, and nothing twice', async () => {
      const store = createPolicyStore(flash, () => {}, 60_000);
      await store.flush();
      expect(flash.counters().batches).toBe(0);
      store.save(docWith('strict'));
      await store.flush();
      await store.flush();
      expect(flash.counters().batches).toBe(1);
    });
  });

  describe('when a write fails', () => {
    it('reports it through onError', async () => {
      const failing: FlashWriter = { ...flash, write: async () => Promise.reject(new Error('disk full')) };
      const store = createPolicyStore(failing, (m) => errors.push(m), 5);
      store.save(docWith('strict'));
      await until(() => errors.length > 0);
      expect(errors).toEqual(['policy.json not written: disk full']);
    });
  });

  describe('when a flush fails and the flash recovers', () => {
    it('rejects that flush and still writes the next save', async () => {
      let broken = true;
      const flaky: FlashWriter = { ...flash, write: (name, data) => (broken ? Promise.reject(new Error('disk full')) : flash.write(name, data)) };
      const store = createPolicyStore(flaky, (m) => errors.push(m), 5);
      store.save(docWith('strict'));
      await expect(store.flush()).rejects.toThrow('disk full');
      broken = false;
      store.save(docWith('moderate'));
      await until(() => existsSync(file()));
      expect(onDisk().household.safeSearch).toBe('moderate');
    });
  });

  describe('without flash', () => {
    it('loads the defaults and keeps saves in RAM', async () => {
      const store = createPolicyStore(null, (m) => errors.push(m), 5);
      expect(store.load(known)).toEqual({ doc: defaultPolicyDoc(), problem: null });
      store.save(docWith('strict'));
      await store.flush();
      expect(existsSync(file())).toBe(false);
      expect(errors).toEqual([]);
    });
  });
});
