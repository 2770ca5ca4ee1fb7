// Compile of a subscribed list as the server does it (src/policy): 1M names parsed from bytes in
// pieces, merged into front-coded LMDB blocks; peak heap and RSS during the compile (sampled
// every 2 ms between slices), steady heap after, LMDB bytes, lookup µs (hit, Bloom-filtered
// miss), reopen time after a restart, and the LMDB file after 3 successive updates.
// Usage: node --expose-gc --max-old-space-size=64 bench/list-compile.mjs [realistic|synthetic] [names]
//   (64 MB old space: the router's procd limit; the run must complete under it)
//   node bench/list-compile.mjs layouts [names]: bytes per name front-coded in wire vs reversed order
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { importTs } from './import-ts.mjs';

const kind = process.argv[2] ?? 'realistic';
const count = Number(process.argv[3] ?? 1_000_000);
const gc = globalThis.gc ?? (() => {});
const dir = mkdtempSync(join(tmpdir(), 'list-compile-'));
const m = await importTs(new URL('./list-compile-fixture.ts', import.meta.url));

// Deterministic lists. "realistic": registrable domains (TLD mix of real lists) with 0 to ~100
// subdomains each, avg ~22 octets in wire form; "synthetic": the tests' h<i>.d<i % 997>.example.org.
let seed = 7;
const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
const pick = (s, n) => Array.from({ length: n }, (_, i) => s[Math.floor(rnd() * (i === 0 ? 26 : s.length))]).join('');
const word = (a, b) => pick('abcdefghijklmnopqrstuvwxyz0123456789', a + Math.floor(rnd() * (b - a + 1)));
const TLDS = 'com '.repeat(45) + 'net '.repeat(8) + 'org '.repeat(5) + 'xyz '.repeat(4) + 'ru ru ru ru top top top top io io io de de de info info info cn cn cn co.uk co.uk com.br com.br online site app fr jp pl biz';
const tlds = TLDS.trim().split(' ');
const SUBS = ['www', 'ads', 'ad', 'track', 'metrics', 'cdn', 'api', 'static', 'pixel', 'stats', 'log', 'img', 'm', 'analytics', 'click'];
function* realistic(n) {
  let made = 0;
  while (made < n) {
    const d = `${word(4, 14)}.${tlds[Math.floor(rnd() * tlds.length)]}`;
    const k = rnd() < 0.45 ? 0 : rnd() < 0.7 ? 1 + Math.floor(rnd() * 3) : Math.floor(-Math.log(rnd()) * 40);
    if (k === 0 || rnd() < 0.5) (made++, yield d);
    for (let i = 0; i < k && made < n; i++, made++) yield `${rnd() < 0.5 ? SUBS[Math.floor(rnd() * SUBS.length)] + (rnd() < 0.5 ? Math.floor(rnd() * 100) : '') : word(3, 12)}.${d}`;
  }
}
function* synthetic(n) {
  for (let i = 0; i < n; i++) yield `h${i}.d${i % 997}.example.org`;
}
const names = () => ((seed = 7), kind === 'synthetic' ? synthetic(count) : realistic(count));
/** The list as a hosts file, written straight into a Buffer (as strings it would not fit in 64 MB). */
function listBytes(extra = '') {
  const buf = Buffer.allocUnsafeSlow(count * 40 + extra.length);
  let o = 0;
  for (const n of names()) o += buf.write(`0.0.0.0 ${n}\n`, o, 'latin1');
  o += buf.write(extra, o, 'latin1');
  return buf.subarray(0, o);
}

const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
if (kind === 'layouts') {
  const fc = (keys) => {
    keys.sort();
    let bytes = 0;
    for (let i = 0, prev = ''; i < keys.length; prev = keys[i++]) {
      let s = 0;
      while (s < keys[i].length && keys[i][s] === prev[s]) s++;
      bytes += 3 + keys[i].length - s;
    }
    return bytes / keys.length;
  };
  const list = [...new Set(realistic(count))];
  console.log(`front-coded bytes/name, ${list.length} realistic names: wire order ${fc(list.slice()).toFixed(1)}, reversed labels ${fc(list.map((n) => n.split('.').reverse().join('.'))).toFixed(1)}`);
  process.exit(0);
}

const store = m.openVolatileStore(join(dir, 'volatile'));
const file = () => statSync(join(dir, 'volatile', 'telemute.mdb')).size;
let peak = { heap: 0, rss: 0 };
const sample = () => {
  const u = process.memoryUsage();
  peak = { heap: Math.max(peak.heap, u.heapUsed), rss: Math.max(peak.rss, u.rss) };
};
async function compile(bytes, hash, env = store) {
  let stall = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    sample();
    stall = Math.max(stall, performance.now() - last);
    last = performance.now();
  }, 2);
  const t0 = performance.now();
  const parsed = await m.parseInSlices(bytes);
  const parseMs = performance.now() - t0;
  const estimate = m.estimateBytes(parsed.names);
  const list = await m.compileList(env, 'bench', hash, parsed.names);
  clearInterval(timer);
  return { list, parseMs, ms: performance.now() - t0, stall, estimate };
}

let bytes = listBytes();
gc();
const base = process.memoryUsage();
peak = { heap: base.heapUsed, rss: base.rss };
const first = await compile(bytes, 'a'.repeat(64));
const l = first.list;
console.log(`${kind} list: ${mb(bytes.length)} of text, ${l.counts.block} names`);
console.log(`compile ${first.ms.toFixed(0)} ms (parse ${first.parseMs.toFixed(0)} ms), longest event-loop stall ${first.stall.toFixed(0)} ms`);
console.log(`heapUsed before ${mb(base.heapUsed)}, peak during compile ${mb(peak.heap)}; rss before ${mb(base.rss)}, peak ${mb(peak.rss)}; external before ${mb(base.external)} (the list bytes)`);
bytes = null;
gc();
gc();
const after = process.memoryUsage();
console.log(`after compile (list bytes dropped): heapUsed ${mb(after.heapUsed)}, external ${mb(after.external)}, rss ${mb(after.rss)}`);
console.log(`LMDB ${mb(l.bytes.lmdb)} (${(l.bytes.lmdb / l.counts.block).toFixed(1)} B/name), in memory ${mb(l.bytes.bloom)} (Bloom + index), estimate ${mb(first.estimate)} for ${mb(l.bytes.total)}`);

const wireNames = [];
let i = 0;
for (const n of names()) if (i++ % 997 === 0) wireNames.push(m.nameToWire(`www.${n}`));
const misses = Array.from({ length: 1000 }, (_, i) => m.nameToWire(`www.m${i}.example.net`));
const per = (arr, list) => {
  for (const w of arr) list.match(w); // warm up
  const t = performance.now();
  let found = 0;
  for (let r = 0; r < 200; r++) for (const w of arr) if (list.match(w)) found++;
  return [((performance.now() - t) * 1000) / (200 * arr.length), found / 200];
};
const [hitUs, hits] = per(wireNames, l);
const [missUs, falseHits] = per(misses, l);
console.log(`match: ${hitUs.toFixed(2)} µs per listed name (${hits}/${wireNames.length} found), ${missUs.toFixed(2)} µs per unlisted (${falseHits} found)`);

await store.close();
const again = m.openVolatileStore(join(dir, 'volatile'));
let t = performance.now();
const reopened = m.openCompiledList(again, 'bench', 'a'.repeat(64));
console.log(`reopen after restart ${(performance.now() - t).toFixed(1)} ms, still matching: ${reopened.match(wireNames[1]) !== null}`);
console.log(`LMDB file after 1 version: ${mb(file())}`);

// Three updates, each a changed list (a few names more), swapped in and the old one dropped.
let current = reopened;
for (let u = 1; u <= 3; u++) {
  peak = { heap: 0, rss: 0 };
  const r = await compile(listBytes(`0.0.0.0 update${u}.example.org\n`), String(u).repeat(64), again);
  current.drop();
  current = r.list;
  gc();
  console.log(`update ${u}: LMDB file ${mb(file())}, peak heap ${mb(peak.heap)}, peak rss ${mb(peak.rss)}`);
}
await again.close();
rmSync(dir, { recursive: true, force: true });
