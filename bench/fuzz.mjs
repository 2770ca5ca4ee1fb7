// The long fuzz run: 10⁶ random and mutated packets (default) through the real resolver, the same
// harness as test/fuzz/pipeline.test.ts. Exits 1 on any problem.
// Usage: node bench/fuzz.mjs [packets] [seed]     (npm run fuzz)
import { importTs } from './import-ts.mjs';

const packets = Number(process.argv[2] ?? 1_000_000);
const seed = Number(process.argv[3] ?? 0x7e1e_1a7e);
const { runFuzz } = await importTs(new URL('../test/fuzz/fuzz-run.ts', import.meta.url));
const f = await runFuzz(packets, seed);
const bad = f.problems.length + f.crashes + f.stageErrors.length + (f.sent === f.fed ? 0 : 1);
console.log(`fuzz: ${f.fed} packets (seed ${seed}) in ${(f.tookMs / 1000).toFixed(1)} s: ${f.answered} replies, ${f.asked} upstream exchanges`);
console.log(`fuzz: outcomes ${JSON.stringify(f.counters)}`);
console.log(`fuzz: ${f.problems.length} problems, ${f.crashes} crashes, stage errors ${JSON.stringify(f.stageErrors)}, ${f.fed - f.sent} unanswered`);
for (const p of f.problems.slice(0, 10)) console.log(`  ${p}`);
process.exit(bad === 0 ? 0 : 1);
