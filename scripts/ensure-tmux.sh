#!/usr/bin/env bash
# The terminal tests (live tree, interactive debug shell) drive the CLI inside tmux, as a user's
# terminal would. Installs tmux with apt-get when it is missing and this can (root); idempotent.
set -euo pipefail
command -v tmux >/dev/null && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "caisson: installing tmux for the terminal tests…" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends tmux >/dev/null
else
  echo "caisson: tmux is missing; install it (Debian: apt-get install tmux) to run the terminal tests" >&2
  exit 1
fi
