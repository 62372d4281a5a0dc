#!/usr/bin/env bash
# Installs the npm dependencies when they are missing or older than the lock file, so the README's
# commands work on a fresh clone with nothing installed by hand. The linter has its own folder and lock
# (tools/lint: typescript-eslint needs TypeScript's JavaScript API, which the project's TypeScript 7 lacks).
set -euo pipefail
cd "$(dirname "$0")/.."
install_in() {
  local dir=$1
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "caisson: installing npm dependencies${2:+ ($2)}…" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
}
install_in .
if [ "${1:-}" != "--no-lint" ]; then install_in tools/lint "the linter"; fi
# The terminal tests (live tree, debug shell) run the CLI inside tmux.
bash scripts/ensure-tmux.sh
