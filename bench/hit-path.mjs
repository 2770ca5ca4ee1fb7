// Micro-benchmark of the query path without sockets: µs per query for a cache hit and a blocked
// name through the real pipeline (100k-name blocklist, primed cache), to separate the
// resolver's own cost from the kernel's. Usage: node bench/hit-path.mjs [iterations]
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const n = Number(process.argv[2] ?? 2_000_000);
const dir = mkdtempSync(join(tmpdir(), 'telemute-bench-'));
const out = join(dir, 'fixture.mjs');
await build({
  entryPoints: [new URL('./hit-path-fixture.ts', import.meta.url).pathname],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node18.20',
  external: ['msgpackr-extract', 'lmdb'],
  banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
  logLevel: 'warning',
});
const { makeBench } = await import(out);
const b = await makeBench();
for (const [name, run] of Object.entries(b.cases)) {
  run(20_000); // warm up the JIT
  const t0 = performance.now();
  run(n);
  const us = ((performance.now() - t0) * 1000) / n;
  console.log(`${name.padEnd(8)} ${us.toFixed(3)} µs/query`);
}
b.close();
rmSync(dir, { recursive: true, force: true });
