#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what it needs, then lint, typecheck and tests.
# CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund

# System packages the tests need, from Debian, installed when missing: debugpy for /usr/bin/python3
# (the Python runner) and bubblewrap (every test session runs in a session box).
missing=()
/usr/bin/python3 -c 'import debugpy' >/dev/null 2>&1 || missing+=(python3-debugpy)
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} (Debian packages) for the tests"
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

npm run lint
npm run typecheck
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
npm test -- --reporter=default --reporter=json --outputFile.json="$report"
# One plain closing line, so the count of tests that ran is visible to any reader of the log.
node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`)' "$report"
