#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what it needs, then lint, typecheck and tests
# on this machine's Node.js, then the Node-dependent tests again on Node.js 24. CI runs exactly
# this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" = 20 ]; then
  # Node 20 is past its end of life: dependencies that need 22+ say so once each (EBADENGINE).
  # They work on 20 (this suite proves it); keep the install log to what matters.
  echo "Node.js $(node --version) is past end of life; installing with engine warnings silenced (Node 22 or 24 recommended)"
  npm ci --no-audit --no-fund --loglevel=error
else
  npm ci --no-audit --no-fund
fi

# System packages the tests need, from Debian, installed when missing: debugpy for /usr/bin/python3
# (the Python runner), bubblewrap (every test session runs in a session box) and chromium
# (GraphiQL is tested in a real browser, driven by playwright-core).
missing=()
/usr/bin/python3 -c 'import debugpy' >/dev/null 2>&1 || missing+=(python3-debugpy)
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} (Debian packages) for the tests"
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

npm run lint
npm run typecheck
report="$(mktemp)"
report24="$(mktemp)"
trap 'rm -f "$report" "$report24"' EXIT
npm test -- --reporter=default --reporter=json --outputFile.json="$report"

# Node.js 24 (users run 22 and 24): the npm package `node` ships the binary. Kept outside the
# checkout, which a session box hides from debuggees. The server, its runners and every debuggee
# run on it: the tests whose outcome depends on the Node.js version (the runners with the
# contract suite, the session box, lifecycles and end states, values cut in the debuggee) run
# again; the API conformance suite drives the same runners, so it runs once, to keep CI short. DEBUG_SERVER_TEST_NODE24=all runs everything,
# =skip nothing (for a quick local run; CI runs it).
node24_mode="${DEBUG_SERVER_TEST_NODE24:-node-dependent}"
if [ "${CI:-}" = true ] && [ "$node24_mode" = skip ]; then node24_mode=node-dependent; fi
summary24=""
if [ "$node24_mode" != skip ]; then
  node24_dir="${XDG_CACHE_HOME:-$HOME/.cache}/debug-server/node24"
  if [ ! -x "$node24_dir/node_modules/node/bin/node" ]; then
    echo "installing Node.js 24 from the npm package node@24 into $node24_dir"
    npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$node24_dir" node@24 >/dev/null
  fi
  node24_bin="$node24_dir/node_modules/node/bin"
  echo "Node.js $("$node24_bin/node" --version): the Node-dependent tests"
  if [ "$node24_mode" = all ]; then selection=(); else
    selection=(test/runners test/api/sandbox.test.ts test/api/session-lifecycle.test.ts test/api/end-states.test.ts test/api/value-bounds.test.ts)
  fi
  PATH="$node24_bin:$PATH" "$node24_bin/node" node_modules/vitest/vitest.mjs run "${selection[@]}" \
    --reporter=default --reporter=json --outputFile.json="$report24"
  summary24="$report24"
fi

# One plain closing line per run, so the count of tests that ran is visible to any reader of the log.
node -e '
  const fs = require("fs");
  for (const [label, file] of [[`Node.js ${process.version}`, process.argv[1]], ["Node.js 24", process.argv[2]]]) {
    if (!file) continue;
    const r = JSON.parse(fs.readFileSync(file, "utf8"));
    console.log(`${label}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
  }' "$report" "$summary24"
