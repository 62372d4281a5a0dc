#!/usr/bin/env bash
# Installs the npm dependencies when they are missing or older than the lock file, so the README's
# commands work on a fresh clone with nothing installed by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "caisson: installing npm dependencies…" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
# The terminal tests (live tree, debug shell) run the CLI inside tmux.
bash scripts/ensure-tmux.sh
