// Micro-benchmark of the query path without sockets: µs per query for a cache hit, a blocked
// name and a refused client, through the real pipeline (dist bundle internals via esbuild).
// Usage: node bench/hit-path.mjs [iterations]   (run `npm run build:bench` first)
import { performance } from 'node:perf_hooks';
import { makeBench } from '../dist/bench-entry.mjs';

const n = Number(process.argv[2] ?? 2_000_000);
const b = await makeBench();
for (const [name, run] of Object.entries(b.cases)) {
  run(20_000); // warm up the JIT
  const t0 = performance.now();
  run(n);
  const us = ((performance.now() - t0) * 1000) / n;
  console.log(`${name.padEnd(10)} ${us.toFixed(3)} µs/query`);
}
b.close();
