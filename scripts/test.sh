#!/usr/bin/env bash
# The project's test command (README: `npm test`). Installs what the tests need, typechecks, lints, then
# runs every suite (unit, golden, package, integration, browser) in one mocha run that ends with an "N passed, N failed" line.
# Integration tests need the Docker engine (and Podman, a registry and a swarm for theirs): all are set up here; with CI set, a missing daemon fails them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
if ! bash scripts/setup-docker.sh; then
  echo "caisson: Docker setup failed; integration tests will fail (CI) or skip (local)." >&2
fi
# The Podman tests run the Docker runtime against Podman's Docker-compatible API.
if ! bash scripts/setup-podman.sh >/dev/null; then
  echo "caisson: Podman setup failed; the Podman tests will fail (CI) or skip (local)." >&2
fi
# The registry and Swarm tests push to a local registry and run services on a single-node swarm.
if ! bash scripts/setup-swarm.sh >/dev/null; then
  if [ -n "${CI:-}" ]; then
    echo "caisson: registry/Swarm setup (scripts/setup-swarm.sh) failed, and CI is set: stopping." >&2
    exit 1
  fi
  echo "caisson: registry/Swarm setup failed; the registry and Swarm tests will skip." >&2
fi
echo "caisson: typechecking…" >&2
npx --no-install tsc --noEmit -p .
echo "caisson: linting…" >&2
npm run --silent lint
exec npx --no-install mocha --reporter ./test/helpers/summary-reporter.cjs \
  'test/unit/**/*.test.ts' 'test/golden/**/*.test.ts' 'test/package/**/*.test.ts' 'test/integration/**/*.test.ts' 'test/browser/**/*.test.ts' "$@"
