#!/usr/bin/env bash
# `npm run bench`: the shared DNS benchmark (../shared/bench/run) with telemute built from this
# tree, against dnsmasq and unbound in the same run. Extra arguments go to the harness, e.g.
#   npm run bench -- --workloads hit --duration 10 --json docs/bench/latest.json
set -euo pipefail
cd "$(dirname "$0")/.."
node build.mjs
exec ../shared/bench/run --telemute 'node dist/telemute.mjs --dns "$LISTEN" --upstream "$UPSTREAM" --blocklist "$BLOCKLIST" --state "$STATE_DIR/state" --volatile "$STATE_DIR/run" --admin off' "$@"
