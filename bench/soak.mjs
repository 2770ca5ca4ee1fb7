// Soak: the real bundle under a steady household-like load for a long time, sampling its heap and
// RSS, to show memory stays flat once the query log is at its bound (issue 7: ±10 % over 10 min at
// 1000 qps). Run from the repo root after `node build.mjs`:
//   node bench/soak.mjs [--minutes 10] [--qps 1000] [--router-flags]
// Starts the bench's knot upstream (../shared/bench/upstream), telemute with a small log bound
// (20 000 entries, reached within the first minute) and /metrics open, sends UDP queries at a fixed
// rate from 20 client ports (70 % cached names, 15 % blocked catalog names, 10 % unique misses,
// 5 % AAAA), and every 2 s reads heapUsed from /metrics and RSS from /proc. heapUsed saws up and
// down with each scavenge, so the figure per 10 s is the lowest sample in it (what survived the
// last GC: the live heap). Prints one line per 10 s and a summary (the first minute, while the log
// fills, is left out of the flatness figure).
import { spawn, execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import { query } from './dns-query.mjs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
};
const minutes = arg('minutes', 10);
const qps = arg('qps', 1000);
const routerFlags = process.argv.includes('--router-flags');
const freePort = () => new Promise((r) => { const s = createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => r(p)); }); });

const up = Object.fromEntries(execFileSync('../shared/bench/upstream', { encoding: 'utf8' }).trim().split('\n').map((l) => l.split('=')));
const dir = mkdtempSync(join(tmpdir(), 'telemute-soak-'));
const [dnsPort, adminPort] = [await freePort(), await freePort()];
writeFileSync(join(dir, 'telemute.conf'), `config log 'log'\n\toption max_entries '20000'\n\toption metrics_public '1'\n`);
const nodeFlags = routerFlags ? ['--max-old-space-size=64', '--max-semi-space-size=2'] : [];
const tm = spawn(process.execPath, [...nodeFlags, 'dist/telemute.mjs', '--config', join(dir, 'telemute.conf'), '--dns', `127.0.0.1:${dnsPort}`, '--upstream', up.UPSTREAM, '--admin', `127.0.0.1:${adminPort}`, '--state', join(dir, 'state'), '--volatile', join(dir, 'run')], { stdio: ['ignore', 'pipe', 'pipe'] });
let logText = '';
tm.stdout.on('data', (d) => (logText += d));
tm.stderr.on('data', (d) => (logText += d));
const cleanup = () => { tm.kill('SIGTERM'); try { process.kill(Number(up.UPSTREAM_PID)); } catch {} rmSync(dir, { recursive: true, force: true }); rmSync(up.UPSTREAM_DIR, { recursive: true, force: true }); };
process.on('SIGINT', () => (cleanup(), process.exit(130)));

const blocked = ['data.mistat.intl.xiaomi.com', 'tracking.intl.miui.com', 'sa.api.intl.miui.com', 'adx-eu.op.hicloud.com', 'device-metrics-us.amazon.com'];
let seq = 0;
function nextQuery() {
  const r = (seq * 2654435761) % 100;
  const i = seq++;
  if (r < 70) return query(`host-${i % 1000}.bench.test`, 1, i & 0xffff);
  if (r < 85) return query(blocked[i % blocked.length], 1, i & 0xffff);
  if (r < 95) return query(`soak-${i}.bench.test`, 1, i & 0xffff);
  return query(`host-${i % 1000}.bench.test`, 28, i & 0xffff);
}

const sockets = Array.from({ length: 20 }, () => { const s = dgram.createSocket('udp4'); s.on('message', () => answered++); return s; });
let answered = 0;
for (let i = 0; i < 100 && !/ready/.test(logText); i++) await new Promise((r) => setTimeout(r, 100));
const started = Date.now();
const end = started + minutes * 60_000;
const tick = setInterval(() => {
  for (let k = 0; k < qps / 100; k++) sockets[k % sockets.length].send(nextQuery(), dnsPort, '127.0.0.1');
}, 10);

const samples = [];
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${tm.pid}/status`, 'utf8'))[1]) * 1024;
const metric = (text, name) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
console.log(`soak: ${minutes} min at ${qps} qps${routerFlags ? ' with the router flags' : ''}; t(s) heapMB rssMB logEntries answered`);
while (Date.now() < end) {
  let heap = Infinity;
  let text = '';
  for (let k = 0; k < 5; k++) {
    await new Promise((r) => setTimeout(r, 2_000));
    text = await (await fetch(`http://127.0.0.1:${adminPort}/metrics`)).text();
    heap = Math.min(heap, metric(text, 'telemute_heap_used_bytes'));
  }
  const s = { t: Math.round((Date.now() - started) / 1000), heap, rss: rss(), log: metric(text, 'telemute_query_log_entries'), answered };
  samples.push(s);
  console.log(`${s.t}\t${(s.heap / 1e6).toFixed(1)}\t${(s.rss / 1e6).toFixed(1)}\t${s.log}\t${s.answered}`);
}
clearInterval(tick);
const steady = samples.filter((s) => s.t > Math.min(60, minutes * 30)); // the first minute fills the log (half the run when shorter)
const heaps = steady.map((s) => s.heap);
const mean = heaps.reduce((a, b) => a + b, 0) / heaps.length;
const dev = Math.max(...heaps.map((h) => Math.abs(h - mean) / mean));
const first = steady.slice(0, 6).map((s) => s.heap).reduce((a, b) => a + b, 0) / Math.min(6, steady.length);
const last = steady.slice(-6).map((s) => s.heap).reduce((a, b) => a + b, 0) / Math.min(6, steady.length);
console.log(JSON.stringify({ minutes, qps, routerFlags, sent: seq, answered, heapMeanMB: +(mean / 1e6).toFixed(1), heapMaxDeviation: +(dev * 100).toFixed(1) + '%', heapFirstMinuteMB: +(first / 1e6).toFixed(1), heapLastMinuteMB: +(last / 1e6).toFixed(1), heapDrift: +(((last - first) / first) * 100).toFixed(1) + '%', rssStartMB: +(steady[0].rss / 1e6).toFixed(1), rssEndMB: +(steady.at(-1).rss / 1e6).toFixed(1), logEntries: steady.at(-1).log }));
for (const s of sockets) s.close();
cleanup();
