#!/usr/bin/env bash
# The resolver's anon memory (RssAnon) with a 1M-name --blocklist and the router's V8 flags, read
# from /proc at four moments: the list live and idle, then after hit, miss and hit loads
# (bench/udp-load.mjs) against the shared bench's knotd upstream; and the peak of the list
# compiler process, for builds that have one.
#   bench/anon-memory.sh [--rev REV] [--env "K=V ..."] [--config FILE]
# --rev builds that revision's bundle in a temporary worktree (node_modules linked) to compare
# two builds; --env runs node with those variables (e.g. glibc's MALLOC_* tunables).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/build-rev.sh
source bench/build-rev.sh
rev='' envs='' config=''
while [ $# -gt 0 ]; do
  case $1 in
    --rev) rev=$2; shift 2 ;;
    --env) envs=$2; shift 2 ;;
    --config) config=$2; shift 2 ;;
    *) echo "usage: $0 [--rev REV] [--env 'K=V ...'] [--config FILE]" >&2; exit 2 ;;
  esac
done
tmp=$(mktemp -d)
pid='' upstream_pid=''
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  [ -n "$upstream_pid" ] && kill "$upstream_pid" 2>/dev/null || true
  drop_rev "$tmp"
  rm -rf "$tmp"
}
trap cleanup EXIT
bundle=$(build_rev "$rev" "$tmp")
node ../shared/bench/gen.mjs blocklist 1000000 42 "$tmp/blocklist.txt"
eval "$(../shared/bench/upstream --dir "$tmp/upstream")"
upstream_pid=$UPSTREAM_PID
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
anon() { awk '/RssAnon/ {printf "%.1f MB", $2/1024}' "/proc/$pid/status"; }
# shellcheck disable=SC2086
env $envs node --max-old-space-size=64 --max-semi-space-size=2 "$bundle" ${config:+--config "$config"} --dns "127.0.0.1:$port" --upstream "$UPSTREAM" \
  --blocklist "$tmp/blocklist.txt" --state "$tmp/state" --volatile "$tmp/run" --admin off >"$tmp/log" 2>&1 &
pid=$!
# While the list compiles: the compiler process's peak (builds that compile in a child process).
child_anon=0 child_hwm=0
for _ in $(seq 1 3000); do
  grep -q 'list config-1: ' "$tmp/log" && break
  for c in $(pgrep -f -- '--compile-list' || true); do
    read -r a h < <(awk '/RssAnon/ {a=$2} /VmHWM/ {h=$2} END {print a+0, h+0}' "/proc/$c/status" 2>/dev/null || echo "0 0")
    [ "$a" -gt "$child_anon" ] && child_anon=$a
    [ "$h" -gt "$child_hwm" ] && child_hwm=$h
  done
  sleep 0.02
done
grep 'list config-1: ' "$tmp/log" || { cat "$tmp/log"; exit 1; }
sleep 5
echo "build ${rev:-$(git rev-parse --short HEAD)}${envs:+, env $envs}${config:+, config $config}"
[ "$child_hwm" -gt 0 ] && echo "compiler process peak: RssAnon $((child_anon / 1024)) MB, VmHWM $((child_hwm / 1024)) MB"
echo "list live, idle: $(anon)"
for step in "hit 15" "miss 15" "hit 10"; do
  set -- $step
  node bench/udp-load.mjs "$port" "$2" "$1" >/dev/null
  echo "after $1 ${2} s: $(anon)"
done
