// Micro-benchmark of the identify stage (devices issue): µs per lookup over 10 000 distinct
// client addresses, each a known LAN device in the neighbour table, and over queries forwarded by
// dnsmasq with its add-mac option. Zero process spawns: the neighbour table is filled up front.
// Usage: node bench/identify.mjs [rounds]
import { performance } from 'node:perf_hooks';
import { importTs } from './import-ts.mjs';

const rounds = Number(process.argv[2] ?? 50);
const { makeIdentifyBench } = await importTs(new URL('./identify-fixture.ts', import.meta.url));
const b = makeIdentifyBench();
for (const [name, run] of Object.entries(b.cases)) {
  run(2); // warm up the JIT
  const t0 = performance.now();
  const n = run(rounds);
  console.log(`${name.padEnd(18)} ${(((performance.now() - t0) * 1000) / n).toFixed(3)} µs/lookup (${n} lookups)`);
}
