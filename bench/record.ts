/**
 * Micro-benchmark of the statistics (src/stats): µs per add() (the record stage's hot path,
 * budget 1 µs), drain cost per 1 000 queries (LMDB + counts), heap and LMDB bytes at the log
 * bound after 200 000 queries, and the snapshot of a busy household.
 *
 * Run from the repo root (the bundle must sit where `lmdb` resolves from node_modules: a bundle
 * in /tmp with --external:lmdb fails with ERR_MODULE_NOT_FOUND):
 *   npx esbuild bench/record.ts --bundle --platform=node --format=esm \
 *     --outfile=node_modules/.cache/rec.mjs --external:lmdb && node node_modules/.cache/rec.mjs
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createStats, type Stats } from '../src/stats/stats.js';
import { encodeSnapshot } from '../src/stats/snapshot.js';
import { createFlashWriter } from '../src/store/flash.js';
import { openVolatileStore } from '../src/store/volatile.js';
import { device, query } from '../test/stats/helpers.js';
import { household } from '../test/stats/household.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const T0 = Date.UTC(2025, 5, 30, 12);
const GEO = { country: 'SG', asn: 64500, org: 'Example Net' };

/** 1 000 distinct queries of 30 devices, as the record stage would see them. */
function queries() {
  const devices = Array.from({ length: 30 }, (_, i) => device(`aa:bb:cc:00:00:${i.toString(16).padStart(2, '0')}`, `Device ${i}`));
  return Array.from({ length: 1000 }, (_, i) =>
    query({ time: T0 + i, device: devices[i % 30], name: `api${i % 97}.svc${i % 13}.example.org`, reason: i % 5 === 0 ? 'blocked' : i % 2 ? 'cached' : 'resolved', detail: i % 5 === 0 ? 'catalog:acme:*.example.org' : '', addresses: ['198.51.100.1', '198.51.100.2'], upstream: '192.0.2.53' }),
  );
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

/** ns per add(): 16 000 adds per round (one batch), drained untimed between rounds. */
function benchAdd(stats: Stats, qs: ReturnType<typeof queries>): number {
  const rounds: number[] = [];
  for (let r = 0; r < 40; r++) {
    const start = performance.now();
    for (let i = 0; i < 16_000; i++) stats.add(qs[i % 1000]);
    rounds.push(((performance.now() - start) * 1e6) / 16_000);
    stats.drain();
  }
  return median(rounds.slice(10)); // the first rounds include JIT warm-up
}

/** ms to drain 1 000 queries into LMDB and the counts. */
function benchDrain(stats: Stats, qs: ReturnType<typeof queries>): number {
  const rounds: number[] = [];
  for (let r = 0; r < 30; r++) {
    for (const q of qs) stats.add(q);
    const start = performance.now();
    stats.drain();
    rounds.push(performance.now() - start);
  }
  return median(rounds.slice(5));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'telemute-bench-rec-'));
  mkdirSync(join(dir, 'state'));
  const store = openVolatileStore(join(dir, 'volatile'));
  const qs = queries();
  gc();
  const memory = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const heapBefore = memory();
  const stats = createStats({ volatile: store, flash: createFlashWriter(join(dir, 'state')), now: () => T0 + 50, drainMs: 3_600_000, log: () => {}, geoOf: () => GEO, registrationOf: () => 'Example Org, US' });
  const addNs = benchAdd(stats, qs);
  const drainMs = benchDrain(stats, qs);
  for (let i = 0; i < 200_000; i++) {
    stats.add(qs[i % 1000]);
    if (i % 10_000 === 9_999) stats.drain();
  }
  gc();
  const heapAfter = memory();
  const sizes = stats.sizes();
  const lmdb = store.openDB('querylog', { encoding: 'binary', keyEncoding: 'binary' }).getStats() as { pageSize: number; treeBranchPageCount: number; treeLeafPageCount: number; overflowPages: number };
  const lmdbBytes = lmdb.pageSize * (lmdb.treeBranchPageCount + lmdb.treeLeafPageCount + lmdb.overflowPages);
  const snapStart = performance.now();
  const snapshotBytes = await stats.flush();
  const snapMs = performance.now() - snapStart;
  await stats.stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });

  gc();
  const houseHeap0 = process.memoryUsage().heapUsed;
  const house = household(T0);
  gc();
  const houseHeap = process.memoryUsage().heapUsed - houseHeap0;
  const houseBytes = encodeSnapshot(house.hourly, house.domains, { registrations: {}, orgs: {} }, T0).length;

  const mb = (n: number) => (n / 1048576).toFixed(1) + ' MiB';
  console.log(`add():                  ${(addNs / 1000).toFixed(3)} µs per query (budget 1 µs)`);
  console.log(`drain:                  ${drainMs.toFixed(2)} ms per 1 000 queries (one LMDB transaction)`);
  console.log(`log at the bound:       ${sizes.logEntries} entries, ${mb(sizes.logBytes)} records, ${(sizes.logBytes / sizes.logEntries).toFixed(0)} B per entry; LMDB pages ${mb(lmdbBytes)} (${(lmdbBytes / sizes.logEntries).toFixed(0)} B per entry)`);
  console.log(`heap after 200 000:     ${mb(heapAfter - heapBefore)} heap + array buffers over the start (capture batch, counts, lmdb-js)`);
  console.log(`snapshot (bench house): ${snapshotBytes} B in ${snapMs.toFixed(1)} ms`);
  console.log(`busy household:         30 devices × 500 domains × 30 days = ${house.domains.cells()} day cells; heap ${mb(houseHeap)}; snapshot ${houseBytes} B`);
}

await main();
