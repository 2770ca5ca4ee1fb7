// Micro-benchmark of the query path without sockets: µs per query for a cache hit and a blocked
// name through the real pipeline (100k-name blocklist, primed cache), to separate the
// resolver's own cost from the kernel's. Usage: node bench/hit-path.mjs [iterations] [case]
import { performance } from 'node:perf_hooks';
import { importTs } from './import-ts.mjs';

const n = Number(process.argv[2] ?? 2_000_000);
const { makeBench } = await importTs(new URL('./hit-path-fixture.ts', import.meta.url));
const b = await makeBench();
const only = process.argv[3];
for (const [name, run] of Object.entries(b.cases)) {
  if (only && name !== only) continue;
  run(20_000); // warm up the JIT
  const t0 = performance.now();
  run(n);
  const us = ((performance.now() - t0) * 1000) / n;
  console.log(`${name.padEnd(8)} ${us.toFixed(3)} µs/query`);
}
b.close();
