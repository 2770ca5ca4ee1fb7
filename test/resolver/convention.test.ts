/**
 * The convention (STYLE.md "Tests"): every stage that orderStages puts on the query path has its
 * own file src/resolver/stages/<name>.ts, a test file test/resolver/stages/<name>.test.ts, and a
 * line in src/resolver/README.md saying why it stands where it does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createCacheStore } from '../../src/cache/store.js';
import { createAccessList } from '../../src/net/access.js';
import { orderStages, type StageSet } from '../../src/resolver/pipeline.js';
import { accessStage } from '../../src/resolver/stages/access.js';
import { cacheStage } from '../../src/resolver/stages/cache.js';
import { decodeStage } from '../../src/resolver/stages/decode.js';
import { identifyStage } from '../../src/resolver/stages/identify.js';
import { inspectStage } from '../../src/resolver/stages/inspect.js';
import { localStage } from '../../src/resolver/stages/local.js';
import { policyStage } from '../../src/resolver/stages/policy.js';
import { newCounters, recordStage } from '../../src/resolver/stages/record.js';
import { respondStage } from '../../src/resolver/stages/respond.js';
import { upstreamStage } from '../../src/resolver/stages/upstream.js';
import { LIMITS } from './entries.js';
import { fakeSet } from './fake-upstreams.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = `${root}src/resolver/README.md`;

const store = createCacheStore({ maxEntries: 10, maxBytes: 1e6 });
const upstreams = fakeSet('default', () => null);
const set: StageSet = {
  decode: decodeStage(),
  access: accessStage(createAccessList([], () => [])),
  identify: identifyStage(),
  policy: policyStage({ decide: () => null, blockMode: 'null', blockTtl: 10 }),
  local: localStage({ records: [], forwards: [], lanDomain: 'lan', localServer: null, upstreams }),
  cache: cacheStage({ store, serveStale: true }),
  upstream: upstreamStage({ upstreams, store, limits: LIMITS, failureTtl: 5 }),
  inspect: inspectStage(),
  respond: respondStage(),
  record: recordStage(newCounters()),
};
const { beforeSend, afterSend } = orderStages(set);
const stages = [...beforeSend, ...afterSend];

describe('the stage convention', () => {
  it('puts every stage of the set on the path exactly once', () => {
    expect(stages.map((s) => s.name).sort()).toEqual(Object.keys(set).sort());
  });

  describe.each(stages.map((s) => [s.name, s] as const))('stage %s', (name, stage) => {
    it('has a lowercase name equal to its key in the stage set', () => {
      expect(name).toMatch(/^[a-z][a-z-]*$/);
      expect(set[name as keyof StageSet]).toBe(stage);
    });

    it(`has its file src/resolver/stages/${name}.ts`, () => {
      expect(existsSync(`${root}src/resolver/stages/${name}.ts`)).toBe(true);
    });

    it(`has its test file test/resolver/stages/${name}.test.ts`, () => {
      expect(existsSync(`${root}test/resolver/stages/${name}.test.ts`)).toBe(true);
    });

    // A todo rather than a failure while the README is still being written.
    (existsSync(readme) ? it : it.todo)(`has a line "- ${name}: …" in src/resolver/README.md`, () => {
      const text = readFileSync(readme, 'utf8');
      expect(text).toMatch(new RegExp(`^- ${name}: \\S`, 'm'));
    });
  });
});
