#!/usr/bin/env bash
# Installs the npm dependencies when they are missing or were installed from another lock file, so the
# README's commands work on a fresh clone with nothing installed by hand. "Another lock file" is decided
# by content (a hash kept in node_modules after each install), not by modification times: a fresh clone
# or worktree has new mtimes but may share an install that is already right. The linter has its own
# folder and lock (tools/lint: typescript-eslint needs TypeScript's JavaScript API, which TypeScript 7 lacks).
set -euo pipefail
cd "$(dirname "$0")/.."
install_in() {
  local dir=$1 what=${2:-}
  local want; want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  local stamp="$dir/node_modules/.caisson-lock-sha256"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
  echo "caisson: installing npm dependencies${what:+ ($what)}…" >&2
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
  echo "$want" >"$stamp"
}
install_in .
if [ "${1:-}" != "--no-lint" ]; then install_in tools/lint "the linter"; fi
# The terminal tests (live tree, debug shell) run the CLI inside tmux.
bash scripts/ensure-tmux.sh
# The web UI's browser tests drive Debian's Chromium. Locally they skip without it; with CI set its
# absence is a failure here already (and in the tests: requireChromium).
bash scripts/ensure-chromium.sh || [ -z "${CI:-}" ]
