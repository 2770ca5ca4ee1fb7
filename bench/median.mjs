// Medians over several runs of ../shared/bench/run (their --json files): per system and workload
// qps, p50, p99 and µs/query, memory, and telemute's ratios to each reference (median of the
// per-run ratios, so every ratio is taken within one run). Usage: node bench/median.mjs A.json B.json C.json
import { readFileSync } from 'node:fs';

const runs = process.argv.slice(2).map((f) => JSON.parse(readFileSync(f, 'utf8')));
if (runs.length === 0) throw new Error('usage: node bench/median.mjs RUN.json...');
const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && !Number.isNaN(x)).sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x, d = 2) => (Number.isNaN(x) ? '-' : x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));
const meta = runs[0].meta;
console.log(`${runs.length} runs, ${runs.map((r) => r.meta.date).join(', ')}; ${meta.cpu_model} x${meta.cores}; blocklist ${meta.blocklist_size}; ${meta.duration_s} s per workload`);
console.log('\n| system | workload | qps | p50 ms | p99 ms | µs/query |\n| --- | --- | ---: | ---: | ---: | ---: |');
for (const sys of Object.keys(runs[0].systems)) {
  for (const wl of Object.keys(runs[0].systems[sys].workloads)) {
    const get = (k) => median(runs.map((r) => r.systems[sys]?.workloads[wl]?.[k]));
    console.log(`| ${sys} | ${wl} | ${fmt(get('qps'), 0)} | ${fmt(get('p50'), 3)} | ${fmt(get('p99'), 3)} | ${fmt(get('cpu_us_per_query'))} |`);
  }
}
console.log('\n| system | startup s | RSS idle KiB | RSS KiB | anon KiB | peak KiB |\n| --- | ---: | ---: | ---: | ---: | ---: |');
for (const sys of Object.keys(runs[0].systems)) {
  const get = (k) => median(runs.map((r) => r.systems[sys]?.[k]));
  console.log(`| ${sys} | ${fmt(get('startup_s'), 3)} | ${fmt(get('rss_idle_kb'), 0)} | ${fmt(get('rss_kb'), 0)} | ${fmt(get('rss_anon_kb'), 0)} | ${fmt(get('hwm_kb'), 0)} |`);
}
const refs = Object.keys(runs[0].ratios ?? {});
if (refs.length > 0) {
  console.log(`\n| figure | ${refs.map((r) => r.replace('telemute/', 'vs ')).join(' | ')} |\n| --- | ${refs.map(() => '---:').join(' | ')} |`);
  for (const fig of Object.keys(runs[0].ratios[refs[0]])) {
    console.log(`| ${fig} | ${refs.map((r) => fmt(median(runs.map((x) => x.ratios[r]?.[fig])))).join(' | ')} |`);
  }
}
