#!/usr/bin/env bash
# A/B of telemute configurations with the shared harness, alternating so drift in the machine hits
# both sides alike (issue 6: geo on vs off; issue 7: recording on vs off). Each side is a config
# file under bench/configs; every run starts a fresh telemute (telemute only, no references).
#   bench/ab.sh A.conf B.conf [rounds=3] [workloads=hit] [duration=10]
# Prints one line per run (qps, server µs per query) and the medians of each side.
set -euo pipefail
cd "$(dirname "$0")/.."
a=$1 b=$2 rounds=${3:-3} workloads=${4:-hit} duration=${5:-10}
node build.mjs >/dev/null
out=$(mktemp -d)
for r in $(seq 1 "$rounds"); do
  for side in a b; do
    conf=${!side}
    ../shared/bench/run --only telemute --workloads "$workloads" --duration "$duration" --json "$out/$side-$r.json" \
      --telemute "node dist/telemute.mjs --config $conf --dns \"\$LISTEN\" --upstream \"\$UPSTREAM\" --blocklist \"\$BLOCKLIST\" --state \"\$STATE_DIR/state\" --volatile \"\$STATE_DIR/run\" --admin off" >/dev/null 2>&1
  done
done
node -e '
const fs = require("fs"); const [dir, a, b, rounds] = process.argv.slice(1);
const med = (xs) => { const s = [...xs].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const rows = {};
for (const side of ["a", "b"]) for (let r = 1; r <= +rounds; r++) {
  const d = JSON.parse(fs.readFileSync(`${dir}/${side}-${r}.json`)).systems.telemute;
  for (const [w, x] of Object.entries(d.workloads ?? {})) {
    (rows[`${side} ${w}`] ??= []).push(x);
    console.log(`${side === "a" ? a : b}\t${w}\trun ${r}\tqps ${Math.round(x.qps)}\tus/q ${x.cpu_us_per_query.toFixed(2)}`);
  }
}
for (const [k, xs] of Object.entries(rows)) {
  const [side, w] = k.split(" ");
  console.log(`median ${side === "a" ? a : b} ${w}: qps ${Math.round(med(xs.map((x) => x.qps)))}, us/q ${med(xs.map((x) => x.cpu_us_per_query)).toFixed(2)} (runs: ${xs.map((x) => x.cpu_us_per_query.toFixed(2)).join(", ")})`);
}' "$out" "$a" "$b" "$rounds"
rm -rf "$out"
