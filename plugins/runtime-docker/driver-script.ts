/**
 * The driver: one long-lived POSIX shell per container (the container's main process, its stdin attached)
 * that runs each command it is sent. A fresh `docker exec` costs ~65 ms; a line on an open stdin costs
 * well under 1 ms, which is what makes reused containers fast.
 *
 * Protocol (host → driver, on stdin): a header line `<nonce> <lineCount>`, then `lineCount` lines of shell
 * text (the payload) that the driver evals in a subshell with stdin from /dev/null. The command's stdout
 * and stderr are the driver's own, so output streams through byte for byte. When the subshell exits the
 * driver writes `<nonce> <exitCode> <oomKills>\n` on stdout and `<nonce>\n` on stderr; the host cuts each
 * stream at its nonce. The nonce is random per command and never shown to the command, so output cannot
 * forge the end of a command.
 *
 * Works with busybox ash and dash/bash: only builtins per command (read, eval, printf) plus one fork.
 */

/** The script run as `/bin/sh -c <script>` as the container's entrypoint. */
export const DRIVER_SCRIPT = `
S=sh; B=$(command -v bash 2>/dev/null) && [ -n "$B" ] && S=$B
O=
for f in /sys/fs/cgroup/memory.events /sys/fs/cgroup/memory/memory.oom_control; do
  if [ -r "$f" ]; then O=$f; break; fi
done
K=0
k() { K=0; if [ -n "$O" ]; then while read -r a b; do if [ "$a" = oom_kill ]; then K=$b; fi; done < "$O"; fi; }
printf 'caisson-driver %s\\n' "$S"
while IFS=' ' read -r N L; do
  P=; I=0
  while [ "$I" -lt "$L" ]; do IFS= read -r X; P="$P$X
"; I=$((I+1)); done
  k; K0=$K
  (eval "$P") </dev/null
  C=$?
  k
  printf '%s %s %s\\n' "$N" "$C" "$((K-K0))"
  printf '%s\\n' "$N" >&2
done
`;

/** Env var carrying the per-command kill token; every process of the command inherits it. */
export const KILL_TOKEN_VAR = 'CAISSON_KILL_TOKEN';

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
    const shell = p.shell !== undefined ? quoteShellWord(p.shell) : '"$S"';
    lines.push(`exec ${prefix}${shell} -c ${quoteShellWord(p.command)}`);
  }
  return lines.join('\n');
};

/** Frames a payload for the driver's stdin. */
export const frameCommand = (nonce: string, payload: string): string => {
  const lines = payload.split('\n');
  return `${nonce} ${lines.length}\n${payload}\n`;
};

/**
 * Script for a one-off `exec` that SIGKILLs every process carrying `token` in its environment: the
 * command and all its descendants, however they detached, and nothing else in the container.
 */
export const killScript = (token: string): string =>
  // environ is NUL-separated and busybox `grep -F` stops at a NUL, hence the `tr`.
  `for d in /proc/[0-9]*; do tr '\\0' '\\n' < "$d/environ" 2>/dev/null | grep -qxF ${quoteShellWord(`${KILL_TOKEN_VAR}=${token}`)} && kill -KILL "\${d#/proc/}" 2>/dev/null; done; true`;
