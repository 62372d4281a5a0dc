/**
 * What a Swarm task runs: the connector that calls the runner back (swarm-channel.ts) and starts the same
 * driver shell as on Docker, with its stdin/stdout and stderr on two connections, plus a control loop on a
 * third that kills a command's processes and copies files in and out (tar over a fresh connection per
 * copy, so a copy never waits for a command and a command never waits for a copy).
 *
 * Everything runs from the static busybox Caisson adds to the task's image at TOOLS_PATH (swarm-image.ts):
 * `nc` for the connections, `tar` for copies, `tr`/`grep` for the kill scan. The node's image needs
 * nothing but `/bin/sh` for the driver, as on Docker.
 */
import type { ContainerFile } from '../../core/index.ts';
import { driverScript, KILL_TOKEN_VAR, quoteShellWord } from './driver-script.ts';

/** Where the busybox binary sits in a task's container. */
export const TOOLS_PATH = '/caisson/bin/busybox';
/** The folder of the connector's fifo. */
const CHANNEL_DIR = '/caisson/chan';

/** Where the task connects to. */
export interface ConnectorTarget {
  /** The runner's address as the task reaches it; unset = the task's default gateway (one machine). */
  host?: string;
  /** The channel's port. */
  port: number;
  /** The task's token (TaskLink.token). */
  token: string;
  /** Files the driver creates before its hello (ContainerSpec.files), as on Docker. */
  files?: readonly ContainerFile[];
}

/** The env var that carries the task's token: in the environment, never in an argv (`ps` shows those to every local user). */
export const TOKEN_VAR = 'CAISSON_CHANNEL_TOKEN';

/**
 * The control loop, run by busybox sh with its stdin and stdout on the `ctl` connection; the token in
 * TOKEN_VAR, `$1` host, `$2` port. Requests: `kill <id> <killToken>`, `get <id> <path>`, `put <id>
 * <dir>`; a copy ends with `done <id> <status>`. When the connection ends (the lease is done, or the
 * runner died), it kills every process of the task but the driver, which then reads EOF and exits: the
 * task ends whatever Swarm does about a removed service (Engine 20.10 leaves a removed job's task running).
 */
const CONTROL_SCRIPT = `
T=$${TOKEN_VAR}; unset ${TOKEN_VAR}; H=$1; P=$2; B=${TOOLS_PATH}
set -o pipefail 2>/dev/null
printf '%s ctl\\n' "$T"
while IFS=' ' read -r op id arg; do
  case $op in
    kill)
      for d in /proc/[0-9]*; do
        $B tr '\\0' '\\n' < "$d/environ" 2>/dev/null | $B grep -qxF "${KILL_TOKEN_VAR}=$arg" && kill -KILL "\${d#/proc/}" 2>/dev/null
      done ;;
    get)
      ( if [ -e "$arg" ] || [ -L "$arg" ]; then
          { printf '%s data %s ok\\n' "$T" "$id"; cd "$($B dirname "$arg")" && $B tar -c "$($B basename "$arg")"; } | $B nc "$H" "$P" >/dev/null
        else
          printf '%s data %s missing\\n' "$T" "$id" | $B nc "$H" "$P" >/dev/null
        fi
        printf 'done %s %s\\n' "$id" "$?" ) </dev/null & ;;
    put)
      ( printf '%s data %s in\\n' "$T" "$id" | $B nc "$H" "$P" | $B tar -x -o -C "$arg"
        printf 'done %s %s\\n' "$id" "$?" ) </dev/null & ;;
  esac
done
kill -KILL -1 2>/dev/null
`;

/** Runs the driver with its stderr on the fifo the `err` connection reads; the token in TOKEN_VAR (unset before the driver runs), `$1` the driver script. */
const DRIVER_ENTRY = `printf '%s out\\n' "$${TOKEN_VAR}"; unset ${TOKEN_VAR}; exec 2>${CHANNEL_DIR}/err; eval "$1"`;

/**
 * The task's command (`[TOOLS_PATH, 'sh', '-c', script]`) and the env entries it needs (the token). It
 * exits 70 when it cannot set up; the task ends when the runner closes its connections.
 */
export const connectorCommand = (t: ConnectorTarget): { command: string[]; env: string[] } => {
  const host = t.host !== undefined
    ? quoteShellWord(t.host)
    // One machine, advertised on loopback: the runner is this container's gateway (the node's bridge).
    : `"$($B ip route 2>/dev/null | $B awk '/^default/ { print $3; exit }')"`;
  const script = `
B=${TOOLS_PATH}; H=${host}; P=${t.port}; T=$${TOKEN_VAR}; unset ${TOKEN_VAR}
[ -n "$H" ] || { echo "caisson: the task cannot tell where the runner is (no default route); set CAISSON_SWARM_CALLBACK" >&2; exit 70; }
$B mkdir -p ${CHANNEL_DIR} && $B rm -f ${CHANNEL_DIR}/err && $B mkfifo -m 600 ${CHANNEL_DIR}/err || exit 70
{ printf '%s err\\n' "$T"; exec $B cat ${CHANNEL_DIR}/err; } | $B nc "$H" "$P" >/dev/null &
${TOKEN_VAR}="$T" $B nc "$H" "$P" -e $B sh -c ${quoteShellWord(CONTROL_SCRIPT)} ctl "$H" "$P" &
${TOKEN_VAR}="$T" exec $B nc "$H" "$P" -e /bin/sh -c ${quoteShellWord(DRIVER_ENTRY)} driver ${quoteShellWord(driverScript(t.files))}
`;
  return { command: [TOOLS_PATH, 'sh', '-c', script], env: [`${TOKEN_VAR}=${t.token}`] };
};
