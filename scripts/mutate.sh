#!/usr/bin/env bash
# `npm run mutate [-- FOLDER...]`: mutation testing of core/ with StrykerJS, one folder at a time, then a
# score table per folder. Stryker and the TypeScript 6 its checker needs live in tools/mutate/ (own
# package.json) so the project keeps its own TypeScript 7 `tsc`. Runs are incremental: a rerun only
# tests mutants whose code or covering tests changed (reports/mutation/<folder>/incremental.json).
# MUTATE_CONCURRENCY (default 1) sets Stryker's test runner processes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
tools=tools/mutate
if [ ! -d "$tools/node_modules" ] || [ "$tools/package-lock.json" -nt "$tools/node_modules/.package-lock.json" ]; then
  echo "caisson: installing the mutation testing tools (tools/mutate)…" >&2
  npm ci --prefix "$tools" --no-audit --no-fund --loglevel=error >&2
fi
mkdir -p reports/mutation
folders=("$@")
[ ${#folders[@]} -gt 0 ] || folders=(engine dsl ir store secrets)
for folder in "${folders[@]}"; do
  [ -d "core/$folder" ] || { echo "caisson: no folder core/$folder" >&2; exit 2; }
  echo "caisson: mutating core/$folder…" >&2
  start=$SECONDS
  MUTATE_FOLDER="$folder" "$tools/node_modules/.bin/stryker" run "$tools/stryker.config.mjs" \
    >"reports/mutation/$folder.log" 2>&1 || { tail -30 "reports/mutation/$folder.log" >&2; exit 1; }
  echo "caisson: core/$folder took $((SECONDS - start))s (log: reports/mutation/$folder.log)" >&2
done
exec node "$tools/score-table.mjs" "${folders[@]}"
