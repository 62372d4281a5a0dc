#!/usr/bin/env bash
# Starts Podman's Docker-compatible API socket for the Podman tests (and for users who want to try
# Caisson on Podman): installs Debian's podman when missing (root, apt), writes a containers.conf our
# machines need, starts `podman system service` on a unix socket, and loads the base images the tests
# use from the Docker daemon (Podman has its own image store). Idempotent; prints the socket path.
#   bash scripts/setup-podman.sh   →   DOCKER_HOST=unix:///run/caisson-podman/podman.sock caisson run …
set -euo pipefail

log() { printf 'setup-podman: %s\n' "$*" >&2; }
die() { printf 'setup-podman: error: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

dir=${CAISSON_PODMAN_DIR:-/run/caisson-podman}
sock="$dir/podman.sock"
conf="$dir/containers.conf"
export CONTAINERS_CONF="$conf"

if ! have podman; then
  [ "$(id -u)" = 0 ] && have apt-get || die "podman is not installed; install it (Debian: apt-get install podman) and run this again"
  log "installing Debian's podman…"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends podman >/dev/null
fi

mkdir -p "$dir"
# Podman's default ulimits exceed our machines' hard limits ("error setting rlimit type 7: operation
# not permitted" for every container): keep the ones the service itself has.
printf '[containers]\ndefault_ulimits = []\n' >"$conf"

answers() { DOCKER_HOST="unix://$sock" timeout 5 docker version --format '{{.Server.APIVersion}}' >/dev/null 2>&1; }
if ! answers; then
  log "starting podman system service on $sock…"
  rm -f "$sock"
  setsid podman system service --time=0 "unix://$sock" >>"$dir/service.log" 2>&1 </dev/null &
  for _ in $(seq 1 60); do answers && break; sleep 0.5; done
  answers || die "podman system service did not answer on $sock; see $dir/service.log"
fi

# Base images: Podman cannot pull here either, so copy them over from the Docker daemon.
for ref in busybox:latest; do
  if ! podman image exists "$ref" 2>/dev/null; then
    docker image inspect "$ref" >/dev/null 2>&1 || die "$ref is not in the Docker daemon to copy from; run scripts/setup-docker.sh first"
    log "loading $ref into Podman…"
    docker save "$ref" | podman load >/dev/null
  fi
done
log "ready: $(DOCKER_HOST="unix://$sock" docker version --format 'podman {{.Server.Version}}, API {{.Server.APIVersion}}')"
echo "$sock"
