#!/usr/bin/env bash
# The README's first quick-start command: runs an example pipeline for real, on Docker.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --no-lint
bash scripts/setup-docker.sh
exec node bin/caisson.js run "${1:-examples/hello.ts}"
