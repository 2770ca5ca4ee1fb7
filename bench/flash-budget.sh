#!/usr/bin/env bash
# Flash budget (issue 7): what telemute really writes to flash under a household's load.
# As root: builds the bundle, makes a 64 MB ext4 image on a loop device for --state (RAM for
# --volatile), starts knotd from ../shared/bench/upstream, and runs bench/flash-budget.mjs: the
# real bundle, 100 queries/s from 20 devices for --minutes, then SIGTERM. Prints the block
# device's written bytes and the FlashWriter counters per writer, extrapolated to a day.
#   bench/flash-budget.sh [--minutes 10] [--qps 100] [--flush-minutes 1] [--json FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=10 qps=100 flush=1 json=""
while [ $# -gt 0 ]; do
  case $1 in
    --minutes) minutes=$2; shift 2 ;;
    --qps) qps=$2; shift 2 ;;
    --flush-minutes) flush=$2; shift 2 ;;
    --json) json=$2; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "flash-budget: unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "flash-budget: needs root (losetup, mount)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/flash-budget.XXXXXX")
loop="" driver="" UPSTREAM_PID="" UPSTREAM_DIR=""
cleanup() {
  set +e
  # The driver stops telemute (SIGTERM, then waits) before the flash can be unmounted.
  [ -n "$driver" ] && kill "$driver" 2>/dev/null && wait "$driver" 2>/dev/null
  if [ -n "$UPSTREAM_PID" ] && kill "$UPSTREAM_PID" 2>/dev/null; then
    # knotd writes its timer database as it stops: wait for it before removing its directory.
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      ps -o stat= -p "$UPSTREAM_PID" 2>/dev/null | grep -qv '^Z' || break # gone, or a zombie
      sleep 0.5
    done
    kill -KILL "$UPSTREAM_PID" 2>/dev/null
  fi
  mountpoint -q "$work/mnt" && umount "$work/mnt"
  [ -n "$loop" ] && losetup -d "$loop"
  [ -n "$UPSTREAM_DIR" ] && rm -rf "$UPSTREAM_DIR"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

node build.mjs >/dev/null
truncate -s 64M "$work/flash.img"
# No lazy init: ext4lazyinit would zero the inode tables in the background and count as writes.
mkfs.ext4 -q -E lazy_itable_init=0,lazy_journal_init=0 "$work/flash.img"
loop=$(losetup --find --show "$work/flash.img")
mkdir "$work/mnt" "$work/volatile"
mount "$loop" "$work/mnt"
eval "$(../shared/bench/upstream)"

# flush_minutes: stats flush this often (1 min: ten samples in a 10-min run); devices likewise.
cat > "$work/telemute.conf" <<CONF
config log 'log'
	option flush_minutes '$flush'
	option metrics_public '1'

config devices 'devices'
	option flush_interval '$((flush * 60))'
CONF

node bench/flash-budget.mjs --loop "$(basename "$loop")" --state "$work/mnt/state" --volatile "$work/volatile" \
  --config "$work/telemute.conf" --upstream "$UPSTREAM" --minutes "$minutes" --qps "$qps" --flush-minutes "$flush" ${json:+--json "$json"} &
driver=$!
wait "$driver"
driver=
