#!/usr/bin/env bash
# `npm test`: everything a fresh machine needs, then the whole suite on this machine's Node and
# on Node 18.20 (OpenWrt 23.05's), against the built bundle. Ends with one "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
[ -d node_modules ] || npm ci --no-audit --no-fund
node build.mjs
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
node node_modules/vitest/vitest.mjs run --reporter=default --reporter=json --outputFile="$out/main.json" || status=$?
node18=$(bash scripts/node18.sh) || { echo "test: Node 18 unavailable" >&2; exit 1; }
echo "test: again on $("$node18" --version) (OpenWrt 23.05)"
"$node18" node_modules/vitest/vitest.mjs run --reporter=dot --reporter=json --outputFile="$out/node18.json" || status=$?
# One closing line for CI; a run that failed without counting a failed test (no tests found, a
# crash of the runner) still counts as one failure.
node -e '
  const [status, ...files] = process.argv.slice(1);
  let p = 0, f = 0;
  for (const file of files) {
    try { const r = require(file); p += r.numPassedTests; f += r.numFailedTests + (r.numRuntimeErrors ?? 0); } catch { f++; }
  }
  if (status !== "0" && f === 0) f = 1;
  console.log(`tests: ${p} passed, ${f} failed`);
' "$status" "$out/main.json" "$out/node18.json"
exit $status
