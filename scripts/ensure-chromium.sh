#!/usr/bin/env bash
# The web UI's browser tests (test/browser) and scripts/screenshots.ts drive Debian's Chromium with
# playwright-core (no browser is downloaded: nothing but the package registries is reachable). Installs
# it, and a font for its pages, with apt-get when it is missing and this can (root); idempotent.
# Exits 1 when it cannot: the browser tests then skip locally, and fail with CI set.
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "caisson: installing chromium for the browser tests…" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
  [ -x /usr/bin/chromium ] && exit 0
  echo "caisson: apt-get installed chromium, but /usr/bin/chromium is not there" >&2
  exit 1
else
  echo "caisson: chromium is missing; install it (Debian: apt-get install chromium) to run the browser tests" >&2
  exit 1
fi
