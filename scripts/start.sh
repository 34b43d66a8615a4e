#!/usr/bin/env bash
# Starts debug-server on its embedded defaults, installing dependencies first when needed.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # On Node 20 (past end of life) dependencies that need 22+ warn once each: keep the log short.
  if [ "$(node -p 'process.versions.node.split(".")[0]')" = 20 ]; then npm ci --no-audit --no-fund --loglevel=error
  else npm ci --no-audit --no-fund; fi
fi
exec node --import tsx src/main.ts serve
