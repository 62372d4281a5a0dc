#!/usr/bin/env bash
# A local image registry and a single-node Swarm, for the Swarm tests and examples (and for users who want
# to try `--runtime swarm` on one machine): installs Debian's docker-registry when missing (root, apt),
# writes a config of its own, starts the registry in the background (no systemd: setsid and a log file),
# waits until `GET /v2/` answers, then makes the main Docker daemon a Swarm manager when it is in no swarm
# yet (a swarm it is already in is left alone). Idempotent, and safe while other tests use the daemon:
# it never restarts or reconfigures the daemon, and two runs at once take turns (a lock file).
#   bash scripts/setup-swarm.sh   →   CAISSON_REGISTRY=127.0.0.1:5000 (printed on stdout)
# CAISSON_REGISTRY_ADDR: the registry's listen address (default 127.0.0.1:5000; a loopback registry needs no
# TLS or insecure-registries entry for the local daemon).
set -euo pipefail

log() { printf 'setup-swarm: %s\n' "$*" >&2; }
die() { printf 'setup-swarm: error: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

addr=${CAISSON_REGISTRY_ADDR:-127.0.0.1:5000}
host=${addr%:*} port=${addr##*:}
[ -n "$host" ] && [ "$port" != "$addr" ] && [ "$port" -gt 0 ] 2>/dev/null || die "CAISSON_REGISTRY_ADDR=$addr is not HOST:PORT (e.g. 127.0.0.1:5000)"
data=/var/lib/caisson-registry
conf="$data/config-${host//[^A-Za-z0-9]/-}-$port.yml"   # one per address, so two instances never share one
logfile=/var/log/caisson-registry.log

# Two setups at once (two test runs) would start two registries on one port: one at a time. (/tmp, so a
# user who cannot write /var/lib can still check a registry and swarm that are already up.)
exec 9>>"${TMPDIR:-/tmp}/caisson-setup-swarm.lock"
flock 9

# `GET /v2/` → 200 is how a registry says it is one (distribution's API check). Plain bash, so curl is
# not needed: a status line of "HTTP/1.1 200".
registry_answers() {
  local line
  { exec 8<>"/dev/tcp/$host/$port"; } 2>/dev/null || return 1
  printf 'GET /v2/ HTTP/1.0\r\nHost: %s\r\n\r\n' "$addr" >&8
  IFS= read -r -t 5 line <&8 || { exec 8>&-; return 1; }
  exec 8>&-
  [[ "$line" == HTTP/1.?' 200'* ]]
}

ensure_registry() {
  registry_answers && return
  if ! have docker-registry; then
    [ "$(id -u)" = 0 ] && have apt-get || die "docker-registry is not installed; install it (Debian: apt-get install docker-registry) and run this again, or point CAISSON_REGISTRY at a registry you have"
    log "installing Debian's docker-registry…"
    apt-get update -qq >/dev/null
    # The package's own service stays off (no systemd here; policy-rc.d or not): this script runs its own.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-registry >/dev/null
  fi
  mkdir -p "$data" 2>/dev/null && [ -w "$data" ] || die "cannot write $data (the registry's storage); run this as root"
  # Deleting manifests is on, so tests can remove the repositories they pushed (and only those).
  cat >"$conf" <<EOF
# Written by scripts/setup-swarm.sh (rewritten on each start).
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $data/storage
  delete:
    enabled: true
http:
  addr: $addr
EOF
  log "starting docker-registry on $addr (storage $data/storage, log $logfile)…"
  # 9>&-: the registry must not inherit (and so hold forever) the setup lock.
  setsid docker-registry serve "$conf" >>"$logfile" 2>&1 </dev/null 9>&- &
  local pid=$!
  for _ in $(seq 1 60); do
    registry_answers && return
    kill -0 "$pid" 2>/dev/null || die "docker-registry exited at start; last lines of $logfile:
$(tail -n 5 "$logfile")"
    sleep 0.5
  done
  die "docker-registry did not answer GET http://$addr/v2/ within 30 s; see $logfile"
}

ensure_swarm() {
  docker info >/dev/null 2>&1 || die "no Docker daemon answers; run scripts/setup-docker.sh first"
  local state
  state=$(docker info --format '{{.Swarm.LocalNodeState}}')
  case "$state" in
    inactive)
      log "docker swarm init --advertise-addr 127.0.0.1 (a single-node swarm on the main daemon)…"
      # Something else may have made it a swarm node meanwhile: then that swarm stands.
      docker swarm init --advertise-addr 127.0.0.1 >/dev/null ||
        [ "$(docker info --format '{{.Swarm.LocalNodeState}}')" = active ] || die "docker swarm init failed"
      ;;
    active)  # already a swarm node (ours from an earlier run, or the user's): leave it as it is
      [ "$(docker info --format '{{.Swarm.ControlAvailable}}')" = true ] ||
        log "note: this daemon is a swarm worker, not a manager; services can only be created through a manager (DOCKER_HOST)"
      ;;
    *) die "the Docker daemon's swarm state is \"$state\"; fix or leave that swarm (docker swarm leave) and run this again" ;;
  esac
}

ensure_registry
ensure_swarm
log "ready: registry $addr, swarm $(docker info --format '{{.Swarm.LocalNodeState}}, manager: {{.Swarm.ControlAvailable}}, node {{.Swarm.NodeID}}')"
echo "$addr"
