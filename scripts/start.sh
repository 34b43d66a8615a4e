#!/usr/bin/env bash
# Starts debug-server on its embedded defaults, installing dependencies first when needed.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
exec node --import tsx src/main.ts serve
