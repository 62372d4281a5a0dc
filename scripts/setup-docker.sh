#!/usr/bin/env bash
# Make a Docker engine with BuildKit (buildx) answer on this machine, and make sure the base images the
# tests and examples use exist locally. Idempotent: when the daemon answers, buildx is present and the
# images exist, it does nothing. Our machines (and CI) start with a Docker client but no engine and no
# registry to pull from, so everything is produced locally when needed.
set -euo pipefail

log() { printf 'setup-docker: %s\n' "$*" >&2; }
die() { printf 'setup-docker: error: %s\n' "$*" >&2; exit 1; }

have() { command -v "$1" >/dev/null 2>&1; }
daemon_answers() { docker info >/dev/null 2>&1; }
can_install() { [ "$(id -u)" = 0 ] && have apt-get; }
apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then apt-get update -qq >/dev/null; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

ensure_engine() {
  if daemon_answers; then return; fi
  if [ -n "${DOCKER_HOST:-}" ]; then
    die "DOCKER_HOST=$DOCKER_HOST is set but no Docker daemon answers there. Start that daemon, or unset DOCKER_HOST to let this script start a local one."
  fi
  if ! have dockerd; then
    can_install || die "no Docker engine: dockerd is not installed and this script can only install it as root with apt-get. Install Docker Engine (https://docs.docker.com/engine/install/) and start it, then run this again."
    log "installing Debian's docker.io (Docker Engine)…"
    apt_install docker.io iptables ca-certificates
  fi
  have docker || die "no docker client on PATH; install the docker CLI (Debian: apt-get install docker.io)."
  [ "$(id -u)" = 0 ] || die "dockerd is installed but not running, and only root can start it here. Start it (sudo dockerd &, or your service manager) and run this again."
  # A dockerd that is still shutting down holds the pid file; a new one would exit at once.
  for _ in $(seq 1 60); do pgrep -x dockerd >/dev/null || break; daemon_answers && return; sleep 0.5; done
  local logfile=/var/log/caisson-dockerd.log
  log "starting dockerd in the background (log: $logfile)…"
  setsid dockerd >>"$logfile" 2>&1 </dev/null &
  local pid=$!
  for _ in $(seq 1 120); do
    daemon_answers && return
    kill -0 "$pid" 2>/dev/null || die "dockerd exited at start; last lines of $logfile:
$(tail -n 5 "$logfile")"
    sleep 0.5
  done
  die "dockerd did not answer within 60 s; see $logfile"
}

ensure_buildx() {
  if docker buildx version >/dev/null 2>&1; then return; fi
  can_install || die "docker buildx (BuildKit) is missing; install the docker-buildx plugin (https://github.com/docker/buildx#installing) and run this again."
  log "installing the buildx plugin from Debian trixie's docker-buildx package…"
  local tmp; tmp=$(mktemp -d)
  chmod 755 "$tmp"   # apt's _apt user must read the download folder
  mkdir -p "$tmp/lists/partial"
  echo 'deb http://deb.debian.org/debian trixie main' >"$tmp/sources.list"
  local o=(-oDir::Etc::SourceList="$tmp/sources.list" -oDir::Etc::SourceParts=/dev/null -oDir::State::Lists="$tmp/lists")
  apt-get "${o[@]}" update -qq >/dev/null
  (cd "$tmp" && apt-get "${o[@]}" download docker-buildx >/dev/null)
  dpkg -x "$tmp"/docker-buildx_*.deb "$tmp/x"
  mkdir -p /usr/libexec/docker/cli-plugins
  cp "$tmp/x/usr/libexec/docker/cli-plugins/docker-buildx" /usr/libexec/docker/cli-plugins/
  rm -rf "$tmp"
  docker buildx version >/dev/null 2>&1 || die "buildx was installed but 'docker buildx version' fails"
}

image_present() { docker image inspect "$1" >/dev/null 2>&1; }
try_pull() { timeout 60 docker pull -q "$1" >/dev/null 2>&1; }

# BusyBox: tiny, so tests that only need a shell start fast. Built from Debian's busybox-static.
ensure_busybox() {
  local ref=busybox:latest
  image_present "$ref" && return
  try_pull "$ref" && return
  have busybox || [ -x /bin/busybox ] || { can_install || die "cannot produce $ref: no registry and busybox-static is not installed (apt-get install busybox-static)"; apt_install busybox-static; }
  log "building $ref locally from busybox-static…"
  local root; root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/root"
  cp "$(command -v busybox || echo /bin/busybox)" "$root/bin/busybox"
  local applet
  for applet in $("$root/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
  echo 'root:x:0:' >"$root/etc/group"
  printf 'NAME="BusyBox"\nID=busybox\nVERSION_ID=%s\n' "$("$root/bin/busybox" | head -1 | awk '{print $2}')" >"$root/etc/os-release"
  chmod 1777 "$root/tmp"
  tar -C "$root" -c . | docker import -c 'ENV PATH=/bin' -c 'CMD ["sh"]' - "$ref" >/dev/null
  rm -rf "$root"
}

# Debian bookworm-slim: the default image when a pipeline names none.
ensure_debian() {
  local ref=debian:bookworm-slim
  image_present "$ref" && return
  try_pull "$ref" && return
  have debootstrap || { can_install || die "cannot produce $ref: no registry and debootstrap is not installed (apt-get install debootstrap)"; apt_install debootstrap; }
  log "building $ref locally with debootstrap (about a minute)…"
  local root; root=$(mktemp -d)
  debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >/dev/null
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -c . | docker import -c 'CMD ["bash"]' -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$ref" >/dev/null
  rm -rf "$root"
}

ensure_engine
ensure_buildx
case "${1:-all}" in
  engine) ;;
  all) ensure_busybox; ensure_debian ;;
  *) die "usage: setup-docker.sh [engine|all]" ;;
esac
log "ready: $(docker version --format 'engine {{.Server.Version}}, API {{.Server.APIVersion}}'), $(docker buildx version | awk '{print "buildx " $2}')"
