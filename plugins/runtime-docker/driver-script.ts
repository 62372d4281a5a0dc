/**
 * The driver: one long-lived POSIX shell per container (the container's main process, its stdin attached)
 * that runs each command it is sent. A fresh `docker exec` costs ~65 ms; a line on an open stdin costs
 * well under 1 ms, which is what makes reused containers fast.
 *
 * Before its hello (`caisson-driver <shell> <files>`) the driver creates the container's files
 * (ContainerSpec.files; `<files>` is 1 when they landed, 0 when not, `-` for none).
 *
 * Protocol (host → driver, on stdin): a header line `<nonce> <killToken> <lineCount> [<probe>]`, then `lineCount`
 * lines of shell text (the payload) that the driver evals in a subshell with stdin from /dev/null. The
 * command's stdout and stderr are the driver's own, so output streams through byte for byte. When the
 * subshell exits the driver kills whatever the command left running (every process with its kill token
 * in its environment), then writes `<nonce> <exitCode> <oomKills> <found>\n` on stdout (`<found>`: 1 or 0 when
 * `<probe>` exists or not, `-` without one) and `<nonce>\n` on stderr; the host cuts each
 * stream at its nonce. The nonce is random per command and never shown to the command (it lives in an
 * unexported driver variable that the payload's subshell unsets before anything of the command runs), so
 * output cannot forge the end of a command.
 *
 * Works with busybox ash and dash/bash: only builtins per command (read, eval, printf) plus one fork, and a
 * kill per process left behind.
 */

import type { ContainerFile } from '../../core/index.ts';

/** Env var carrying the per-command kill token; every process of the command inherits it. */
export const KILL_TOKEN_VAR = 'CAISSON_KILL_TOKEN';

/**
 * Every variable and function of the driver. All carry the `_caisson_` prefix, are unset when the driver
 * starts (a container env var of that name would otherwise stay exported, and with it the nonce) and
 * again in the subshell before a payload runs, so no command sees or inherits the driver's state.
 */
export const DRIVER_NAMES = [
  '_caisson_shell', '_caisson_bash', '_caisson_oomfile', '_caisson_f', '_caisson_kills', '_caisson_kills0',
  '_caisson_key', '_caisson_val', '_caisson_nonce', '_caisson_lines', '_caisson_payload', '_caisson_line',
  '_caisson_i', '_caisson_status', '_caisson_oom', '_caisson_token', '_caisson_reap', '_caisson_more',
  '_caisson_proc', '_caisson_environ', '_caisson_files', '_caisson_probe', '_caisson_found', '_caisson_pidsfile',
  '_caisson_tasks',
] as const;

const UNSET = `unset ${DRIVER_NAMES.join(' ')} 2>/dev/null; unset -f _caisson_oom _caisson_reap 2>/dev/null`;

/**
 * The script run as `/bin/sh -c <script>` as the container's entrypoint, creating `files` first. The payload runs in a subshell
 * that first moves what it needs into positional parameters (`$1` the shell, `$2` the payload text) and
 * unsets every driver name; the command itself is exec'd, so it only ever sees exported variables.
 */
export const driverScript = (files: readonly ContainerFile[] = []): string => `
${UNSET}
${filesScript(files)}
_caisson_shell=sh; _caisson_bash=$(command -v bash 2>/dev/null) && [ -n "$_caisson_bash" ] && _caisson_shell=$_caisson_bash
_caisson_oomfile=
for _caisson_f in /sys/fs/cgroup/memory.events /sys/fs/cgroup/memory/memory.oom_control; do
  if [ -r "$_caisson_f" ]; then _caisson_oomfile=$_caisson_f; break; fi
done
# The container's task count (cgroup v2, then v1): it counts every process and thread in the container.
_caisson_pidsfile=
for _caisson_f in /sys/fs/cgroup/pids.current /sys/fs/cgroup/pids/pids.current; do
  if [ -r "$_caisson_f" ]; then _caisson_pidsfile=$_caisson_f; break; fi
done
_caisson_kills=0
_caisson_oom() {
  _caisson_kills=0
  if [ -n "$_caisson_oomfile" ]; then
    while IFS=' ' read -r _caisson_key _caisson_val; do
      if [ "$_caisson_key" = oom_kill ]; then _caisson_kills=$_caisson_val; fi
    done < "$_caisson_oomfile"
  fi
}
# SIGKILLs every process carrying this command's kill token, scanning again until none is left (a zombie's
# environ reads empty, so the dead do not count). No fork unless something is left: a builtin read
# of /proc/<pid>/environ (the shells drop its NULs) matched with case.
_caisson_reap() {
  _caisson_more=1
  while [ -n "$_caisson_more" ]; do
    _caisson_more=
    for _caisson_proc in /proc/[0-9]*; do
      [ "\${_caisson_proc#/proc/}" = "$$" ] && continue
      _caisson_environ=
      { IFS= read -r _caisson_environ < "$_caisson_proc/environ"; } 2>/dev/null
      case $_caisson_environ in
        *"${KILL_TOKEN_VAR}=$_caisson_token"*) kill -9 "\${_caisson_proc#/proc/}" 2>/dev/null && _caisson_more=1 ;;
      esac
    done
  done
}
printf 'caisson-driver %s %s\\n' "$_caisson_shell" "$_caisson_files"
while IFS=' ' read -r _caisson_nonce _caisson_token _caisson_lines _caisson_probe; do
  _caisson_payload=; _caisson_i=0
  while [ "$_caisson_i" -lt "$_caisson_lines" ]; do IFS= read -r _caisson_line; _caisson_payload="$_caisson_payload$_caisson_line
"; _caisson_i=$((_caisson_i+1)); done
  _caisson_oom; _caisson_kills0=$_caisson_kills
  (set -- "$_caisson_shell" "$_caisson_payload"; ${UNSET}; eval "$2") </dev/null
  _caisson_status=$?
  # Nothing a command started outlives it: no process, and so no output, crosses into the next command.
  # When this shell is the only task its cgroup counts (it is one of them), nothing can be left, so the
  # scan of /proc, most of a short command's round trip, is skipped; any other count scans.
  _caisson_tasks=; if [ -n "$_caisson_pidsfile" ]; then { IFS= read -r _caisson_tasks < "$_caisson_pidsfile"; } 2>/dev/null; fi
  [ "$_caisson_tasks" = 1 ] || _caisson_reap
  _caisson_oom
  _caisson_found=-; if [ -n "$_caisson_probe" ]; then if [ -e "$_caisson_probe" ]; then _caisson_found=1; else _caisson_found=0; fi; fi
  printf '%s %s %s %s\\n' "$_caisson_nonce" "$_caisson_status" "$((_caisson_kills-_caisson_kills0))" "$_caisson_found"
  printf '%s\\n' "$_caisson_nonce" >&2
done
`;

/**
 * Creates ContainerSpec.files before the hello, in order, and sets `_caisson_files` to 1 when all of
 * them landed, 0 when not (the host then copies them in itself), `-` when there were none. Few forks:
 * a file's text is written by the printf builtin, consecutive folders of one mode take one mkdir, and
 * the files' modes are set at the end, one chmod per mode.
 */
const filesScript = (files: readonly ContainerFile[]): string => {
  if (files.length === 0) return '_caisson_files=-';
  const steps: string[] = [];
  const modes = new Map<string, string[]>();
  let dirs: { mode: string; paths: string[] } | undefined;
  const flush = () => { if (dirs) steps.push(`mkdir -p -m ${dirs.mode} ${dirs.paths.join(' ')}`); dirs = undefined; };
  for (const f of files) {
    const mode = f.mode.toString(8);
    const path = quoteShellWord(f.path);
    if (f.type === 'dir' && dirs?.mode === mode) { dirs.paths.push(path); continue; }
    flush();
    if (f.type === 'dir') dirs = { mode, paths: [path] };
    else if (f.type === 'symlink') steps.push(`ln -sf ${quoteShellWord(f.linkname ?? '')} ${path}`);
    else { steps.push(`printf '%s' ${quoteShellWord(f.text ?? '')} > ${path}`); modes.set(mode, [...(modes.get(mode) ?? []), path]); }
  }
  flush();
  for (const [mode, paths] of modes) steps.push(`chmod ${mode} ${paths.join(' ')}`);
  return `_caisson_files=0; { ${steps.join(' && ')}; } 2>/dev/null && _caisson_files=1`;
};

/** The driver for containers that need no files created (see driverScript). */
export const DRIVER_SCRIPT = driverScript();

/** Quotes one word for a POSIX shell. */
export const quoteShellWord = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

const isShellName = (k: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k);

/** What the payload must do; `shell` undefined = the driver's detected shell (bash, else sh). */
export interface PayloadInput {
  /** A script (run by the shell) or an argv array (exec'd as is). */
  command: string | string[];
  /** Variables exported for the command, over the container's own. */
  env: Record<string, string>;
  /** Directory to cd into first; undefined = the container's. */
  workdir?: string;
  shell?: string;
  /** Marker put in the command's environment so a kill can find its whole process tree. */
  killToken: string;
}

/**
 * Builds the shell text the driver evals for one command: cd, export the node's env over the
 * container's, then exec the shell (script as `-c`, no `set -e`) or the argv as is.
 */
export const buildPayload = (p: PayloadInput): string => {
  const lines: string[] = [];
  if (p.workdir !== undefined) lines.push(`cd ${quoteShellWord(p.workdir)} || exit 126`);
  // Names a shell cannot export (rare) go through `env NAME=value`.
  const odd: string[] = [];
  for (const [k, v] of Object.entries({ ...p.env, [KILL_TOKEN_VAR]: p.killToken })) {
    if (isShellName(k)) lines.push(`export ${k}=${quoteShellWord(v)}`);
    else odd.push(quoteShellWord(`${k}=${v}`));
  }
  const prefix = odd.length ? `env ${odd.join(' ')} ` : '';
  if (Array.isArray(p.command)) {
    lines.push(`exec ${prefix}${p.command.map(quoteShellWord).join(' ')}`);
  } else {
    // "$1": the driver's shell, passed positionally so no exported variable can stand in for it.
    const shell = p.shell !== undefined ? quoteShellWord(p.shell) : '"$1"';
    lines.push(`exec ${prefix}${shell} -c ${quoteShellWord(p.command)}`);
  }
  return lines.join('\n');
};

/**
 * Frames a payload for the driver's stdin: the header carries the nonce, the kill token and the path to
 * look for when the command ends (CommandSpec.probe; no spaces, Caisson's own paths).
 */
export const frameCommand = (nonce: string, killToken: string, payload: string, probe?: string): string => {
  const lines = payload.split('\n');
  return `${nonce} ${killToken} ${lines.length}${probe ? ` ${probe}` : ''}\n${payload}\n`;
};

/**
 * Script for a one-off `exec` that SIGKILLs every process carrying `token` in its environment: the
 * command and all its descendants, however they detached, and nothing else in the container.
 */
export const killScript = (token: string): string =>
  // environ is NUL-separated and busybox `grep -F` stops at a NUL, hence the `tr`.
  `for d in /proc/[0-9]*; do tr '\\0' '\\n' < "$d/environ" 2>/dev/null | grep -qxF ${quoteShellWord(`${KILL_TOKEN_VAR}=${token}`)} && kill -KILL "\${d#/proc/}" 2>/dev/null; done; true`;
