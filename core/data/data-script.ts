/**
 * `caisson-data`, the POSIX sh script delivered into every container (docs/container-paths.md). It
 * reads the snapshot the engine put in for the current command and writes puts and deletes beside it;
 * the engine applies those to the run's store when the command ends. No daemon, no socket, no bind
 * mount: the files move with the runtime's archive calls, so a container on another machine works.
 */

/** Where the script lives in a container; /usr/local/bin/caisson-data and /bin/caisson-data link to it, so it is on PATH. */
export const DATA_SCRIPT_PATH = '/caisson/bin/caisson-data';
/** The folder of per-command data exchange: `<n>/in` (snapshot), `<n>/out` (puts, deletes), `current`. */
export const DATA_ROOT = '/caisson/data';

/** The script's text. */
export const DATA_SCRIPT = `#!/bin/sh
# caisson-data: this run's data store (put, get, list, exists, delete by name). See Caisson's
# docs/container-paths.md. Reads see the store as it was when this command started, plus this
# command's own writes; writes reach the store when the command ends.
root=${DATA_ROOT}
n=$(cat "$root/current" 2>/dev/null) || { echo "caisson-data: no data store here (this container was not started by a Caisson run)" >&2; exit 2; }
in="$root/$n/in"; out="$root/$n/out"
usage() {
  echo "usage: caisson-data put NAME [FILE]   store FILE (default: stdin) as NAME" >&2
  echo "       caisson-data get NAME [FILE]   write NAME's value to FILE (default: stdout); exit 1 if missing" >&2
  echo "       caisson-data list [PREFIX]     names, one a line" >&2
  echo "       caisson-data exists NAME       exit 0 if NAME has a value, else 1" >&2
  echo "       caisson-data delete NAME       remove NAME" >&2
  exit 2
}
check() {
  case "$1" in
    ''|/*|*/|*//*|.|..|./*|../*|*/.|*/..|*/./*|*/../*) bad "$1" ;;
    *[!A-Za-z0-9._/-]*) bad "$1" ;;
  esac
}
bad() { echo "caisson-data: bad name \\"$1\\": use letters, digits, \\".\\", \\"_\\" and \\"-\\", with \\"/\\" between parts" >&2; exit 2; }
# Where NAME's value is now, or nothing when it has none.
where() {
  if [ -f "$out/put/$1" ]; then echo "$out/put/$1"
  elif [ -e "$out/del/$1" ]; then :
  elif [ -f "$in/$1" ]; then echo "$in/$1"
  fi
}
cmd=\${1:-}; [ $# -gt 0 ] && shift
case "$cmd" in
  put)
    [ $# -ge 1 ] && [ $# -le 2 ] || usage; check "$1"
    mkdir -p "$out/put/$(dirname "$1")" || exit 1
    rm -f "$out/del/$1"
    if [ $# -eq 2 ]; then cat "$2" > "$out/put/$1.tmp$$" || exit 1; else cat > "$out/put/$1.tmp$$" || exit 1; fi
    mv "$out/put/$1.tmp$$" "$out/put/$1" ;;
  get)
    [ $# -ge 1 ] && [ $# -le 2 ] || usage; check "$1"
    src=$(where "$1"); [ -n "$src" ] || { echo "caisson-data: no value named \\"$1\\"" >&2; exit 1; }
    if [ $# -eq 2 ]; then cat "$src" > "$2"; else cat "$src"; fi ;;
  exists)
    [ $# -eq 1 ] || usage; check "$1"
    [ -n "$(where "$1")" ] ;;
  delete)
    [ $# -eq 1 ] || usage; check "$1"
    mkdir -p "$out/del/$(dirname "$1")" || exit 1
    rm -f "$out/put/$1"; : > "$out/del/$1" ;;
  list)
    [ $# -le 1 ] || usage; prefix=\${1:-}
    { [ -d "$in" ] && (cd "$in" && find . -type f); [ -d "$out/put" ] && (cd "$out/put" && find . -type f ! -name '*.tmp*'); } 2>/dev/null \\
      | sed 's|^\\./||' | sort -u | while IFS= read -r name; do
        case "$name" in "$prefix"*) if [ -n "$(where "$name")" ]; then printf '%s\\n' "$name"; fi ;; esac
      done; exit 0 ;;
  *) usage ;;
esac
`;
