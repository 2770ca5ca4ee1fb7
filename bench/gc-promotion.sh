#!/usr/bin/env bash
# How much the resolver promotes to V8's old generation under the shared bench's workloads (hit,
# then block, 1M list, the router's V8 flags, geo off): promoted MB and old-generation
# collections per 2 s from --trace-gc-nvp, and a CPU profile's top (bench/profile-top.mjs).
#   bench/gc-promotion.sh [--rev REV] [--v8 'FLAGS']
# --rev: that revision's bundle, built in a worktree; --v8: more node/V8 flags for telemute.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/build-rev.sh
source bench/build-rev.sh
rev='' v8=''
while [ $# -gt 0 ]; do
  case $1 in
    --rev) rev=$2; shift 2 ;;
    --v8) v8=$2; shift 2 ;;
    *) echo "usage: $0 [--rev REV] [--v8 'FLAGS']" >&2; exit 2 ;;
  esac
done
tmp=$(mktemp -d)
cleanup() {
  drop_rev "$tmp"
  rm -rf "$tmp"
}
trap cleanup EXIT
bundle=$(build_rev "$rev" "$tmp")
mkdir -p "$tmp/prof"
echo "build ${rev:-$(git rev-parse --short HEAD)}${v8:+, node $v8}: hit 10 s, then block 10 s"
for pass in gc prof; do
  flags="$v8 --trace-gc-nvp"
  [ $pass = prof ] && flags="$v8 --cpu-prof --cpu-prof-dir=$tmp/prof"
  ../shared/bench/run --keep --only telemute --workloads hit,block --duration 10 --blocklist-size 1000000 --json "$tmp/$pass.json" \
    --telemute "node $flags --max-old-space-size=64 --max-semi-space-size=2 $bundle --config $PWD/bench/configs/geo-off.conf --dns \"\$LISTEN\" --upstream \"\$UPSTREAM\" --blocklist \"\$BLOCKLIST\" --state \"\$STATE_DIR/state\" --volatile \"\$STATE_DIR/run\" --admin off" \
    >"$tmp/$pass.txt" 2>"$tmp/$pass.err"
  kept=$(grep -oP 'kept \K\S+' "$tmp/$pass.err")
  if [ $pass = gc ]; then
    grep -E '^telemute +(hit|block)' "$tmp/$pass.txt" | awk '{print "  " $2 ": " $3 " qps, " $9 " us/query"}'
    echo "  time   promoted   old-generation collections   (the hit workload first, block from ~14 s)"
    perl -ne 'if (/\]\s+(\d+) ms: .*?gc=(\S+)/) { my ($t, $g) = ($1, $2); $b = int($t / 2000) * 2; $k{$b} = 1; $m{$b}++ if $g eq "mc"; $p{$b} += $1 if $g eq "s" && /promoted=(\d+)/ }
      END { printf "  %3ds  %6.1f MB   %d\n", $_, $p{$_} / 1e6, $m{$_} // 0 for sort { $a <=> $b } keys %k }' "$kept/results/telemute/log"
  else
    echo "  CPU profile of the whole run (hit and block), busiest functions:"
    node bench/profile-top.mjs "$(ls -S "$tmp"/prof/*.cpuprofile | head -1)" 8 | sed 's/^/  /'
  fi
  rm -rf "$kept"
done
