// Driver of bench/flash-budget.sh: starts the real bundle on the prepared flash (a loop device),
// sends `qps` queries a second for `minutes` from 20 simulated devices (EDNS option 65001 carries
// a MAC, as dnsmasq's --add-mac does), then stops it with SIGTERM and reports what reached flash:
// the block device's own write counter (/sys/block/loopN/stat, field 7 = sectors written) and
// the FlashWriter counters per file (from /metrics, log.metrics_public), extrapolated to a day.
//   node bench/flash-budget.mjs --loop loop0 --state DIR --volatile DIR --config FILE
//        --upstream 127.0.0.1:P [--minutes 10] [--qps 100] [--flush-minutes 1] [--json FILE]
import { spawn, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const args = Object.fromEntries(process.argv.slice(2).reduce((out, a, i, all) => (a.startsWith('--') ? [...out, [a.slice(2), all[i + 1]]] : out), []));
const minutes = Number(args.minutes ?? 10);
const qps = Number(args.qps ?? 100);
const flushMinutes = Number(args['flush-minutes'] ?? 1);
const DEVICES = 20;
const NAMES = Array.from({ length: 300 }, (_, i) => `host-${i}.bench.test`);
// Catalog names (src/policy/catalogs/*.json) and the fixture's tracker zone: some get blocked.
const OTHER = ['data.mistat.intl.xiaomi.com', 'tracking.intl.miui.com', 'sdkconfig.ad.intl.xiaomi.com', 'metrics.tracker.test'];

const log = (m) => process.stderr.write(`flash-budget: ${m}\n`);
const sectors = () => (spawnSync('sync'), Number(readFileSync(`/sys/block/${args.loop}/stat`, 'utf8').trim().split(/\s+/)[6]) * 512);
const freePort = () => new Promise((resolve) => { const s = createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); }); });

/** A DNS query for `name` (A, RD) with an OPT record carrying option 65001 = the 6-byte MAC. */
function packet(id, name, mac) {
  const labels = name.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)]));
  const header = Buffer.from([id >> 8, id & 255, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
  const opt = Buffer.from([0, 0, 41, 4, 208, 0, 0, 0, 0, 0, 10, 0xfd, 0xe9, 0, 6, ...mac]);
  return Buffer.concat([header, ...labels, Buffer.from([0, 0, 1, 0, 1]), opt]);
}

/** Flash counters per file from the Prometheus text. */
async function flashCounters(url) {
  const text = await (await fetch(url)).text();
  const out = {};
  for (const m of text.matchAll(/^telemute_flash_(write_bytes|writes)_total\{file="([^"]+)"\} (\d+)$/gm)) (out[m[2]] ??= { bytes: 0, batches: 0 })[m[1] === 'writes' ? 'batches' : 'bytes'] = Number(m[3]);
  const last = /^telemute_stats_snapshot_bytes (\d+)$/m.exec(text);
  const actions = Object.fromEntries([...text.matchAll(/^telemute_queries_total\{action="(\w+)"\} (\d+)$/gm)].map((m) => [m[1], Number(m[2])]));
  return { files: out, lastStatsFlush: last ? Number(last[1]) : 0, actions };
}

async function main() {
  const [dns, admin] = [await freePort(), await freePort()];
  const before = sectors();
  const child = spawn(process.execPath, ['dist/telemute.mjs', '--config', args.config, '--dns', `127.0.0.1:${dns}`, '--upstream', args.upstream, '--state', args.state, '--volatile', args.volatile, '--admin', `127.0.0.1:${admin}`, '--log-level', 'warn'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => (child.kill('SIGTERM'), exited.then(() => process.exit(130))));
  const sock = dgram.createSocket('udp4');
  let sent = 0;
  let answered = 0;
  sock.on('message', () => answered++);
  await new Promise((r) => sock.bind(0, '127.0.0.1', r));
  for (let i = 0; answered === 0; i++) {
    if (i > 300) throw new Error('telemute did not answer within 30 s');
    sock.send(packet(1, 'ready.bench.test', [2, 0, 0, 0, 0, 0]), dns, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 100));
  }
  const started = sectors();
  const t0 = Date.now();
  const end = t0 + minutes * 60_000;
  let n = 0;
  log(`sending ${qps} queries/s for ${minutes} min from ${DEVICES} devices, stats flush every ${flushMinutes} min`);
  while (Date.now() < end) {
    for (let k = 0; k < qps / 10; k++, n++) {
      const dev = n % DEVICES;
      const name = n % 10 === 0 ? OTHER[(n / 10) % OTHER.length] : NAMES[(n * 7 + dev * 13) % NAMES.length];
      sock.send(packet(n & 0xffff, name, [0x02, 0x42, 0xac, 0x11, 0, dev]), dns, '127.0.0.1');
      sent++;
    }
    await new Promise((r) => setTimeout(r, t0 + (n / qps) * 1000 - Date.now()));
  }
  const counters = await flashCounters(`http://127.0.0.1:${admin}/metrics`);
  const running = sectors();
  const seconds = (Date.now() - t0) / 1000;
  child.kill('SIGTERM');
  const how = await exited;
  sock.close();
  const after = sectors();
  const files = {};
  const walk = (dir, pre = '') => { for (const f of readdirSync(dir)) { const st = statSync(join(dir, f)); if (st.isDirectory()) walk(join(dir, f), `${pre}${f}/`); else files[`${pre}${f}`] = st.size; } };
  walk(args.state);
  report({ seconds, sent, answered, how, device: { start: started - before, run: running - started, stop: after - running }, counters, files });
}

function report(r) {
  const perDay = 86_400 / r.seconds;
  const c = r.counters.files;
  const sum = (pred) => Object.entries(c).filter(([f]) => pred(f)).reduce((a, [, v]) => ({ bytes: a.bytes + v.bytes, batches: a.batches + v.batches }), { bytes: 0, batches: 0 });
  const writers = { stats: sum((f) => f.startsWith('stats')), 'devices.json': sum((f) => f === 'devices.json'), 'policy.json': sum((f) => f === 'policy.json'), other: sum((f) => !f.startsWith('stats') && f !== 'devices.json' && f !== 'policy.json') };
  const all = sum(() => true);
  const mb = (b) => (b / 1e6).toFixed(3);
  console.log(`\nflash budget: ${(r.seconds / 60).toFixed(1)} min, ${r.sent} queries sent, ${r.answered} answered, telemute exited with ${r.how}`);
  console.log(`block device (ext4 on ${args.loop}, journal and metadata included): start ${r.device.start} B, run ${r.device.run} B, shutdown ${r.device.stop} B`);
  console.log(`  run at a ${flushMinutes}-min stats flush: ${mb(r.device.run * perDay)} MB/day; ${all.batches ? Math.round(r.device.run / all.batches) : 0} B of device writes per file written`);
  console.log('FlashWriter counters during the run (file contents only):');
  for (const [w, v] of Object.entries(writers)) console.log(`  ${w.padEnd(13)} ${String(v.bytes).padStart(9)} B in ${String(v.batches).padStart(4)} files  ${(v.batches / (r.seconds / 60)).toFixed(2)} files/min  ${mb(v.bytes * perDay)} MB/day at this rate`);
  for (const [f, v] of Object.entries(c)) console.log(`    ${f}: ${v.bytes} B / ${v.batches} = ${v.batches ? Math.round(v.bytes / v.batches) : 0} B per write`);
  console.log(`files on flash at the end: ${JSON.stringify(r.files)}`);
  // At the default 15-min interval the stats write 97 files a day (96 flushes, one of them the
  // summary, plus the closed day's archive); devices.json at most 96, only when a device, name or
  // policy changed (counted here at its worst). The device cost of a file beyond its contents
  // (ext4 journal, inode, directory, fsync) is taken from this run.
  const statsDay = 96 * r.counters.lastStatsFlush + (r.files['stats.json.gz'] ?? 0);
  const devWorst = 96 * (r.files['devices.json'] ?? 0);
  const overhead = all.batches ? (r.device.run - all.bytes) / all.batches : 0;
  const deviceDay = overhead * (97 + 96) + statsDay + devWorst;
  console.log(`queries by action: ${JSON.stringify(r.counters.actions)}`);
  console.log(`device cost per file beyond its contents: ${Math.round(overhead)} B`);
  console.log(`extrapolated to the default 15-min flush: stats ${mb(statsDay)} MB/day (96 × last flush ${r.counters.lastStatsFlush} B + summary ${r.files['stats.json.gz'] ?? 0} B; open day mean ${c['stats/today.json.gz'] ? Math.round(c['stats/today.json.gz'].bytes / c['stats/today.json.gz'].batches) : 0} B), devices.json ≤ ${mb(devWorst)} MB/day (96 × ${r.files['devices.json'] ?? 0} B if it changed every interval), policy.json 0 unless the owner edits; block device ≤ ${mb(deviceDay)} MB/day`);
  if (args.json) writeFileSync(args.json, JSON.stringify({ ...r, flushMinutes, qps, writers, extrapolated: { statsDay, devWorst, overhead, deviceDay } }, null, 1));
}

main().catch((err) => {
  log(err.stack ?? String(err));
  process.exit(1);
});
