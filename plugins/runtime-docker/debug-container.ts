/**
 * Debug containers (docs/conducto-semantics.md#debug): a new container from a node's exact image, env and
 * mounts, kept alive by an idle loop, with the node's command written to /caisson/cmd.sh, for a person to
 * open a shell in. Labelled like run containers (dev.caisson.run, owner pid/host), so a sweep removes one
 * whose owner was killed before it could clean up.
 */
import type Docker from 'dockerode';
import { RuntimeOptionError, type DebugContainer, type DebugContainerSpec } from '../../core/index.ts';
import { createDockerClient, isDaemonGone, pingDaemon, type DockerConnectionOptions } from './connection.ts';
import { LABEL_RUN, getOwnerLabels } from './labels.ts';
import { quoteShellWord } from './driver-script.ts';
import { openDebugShell } from './debug-shell.ts';

export type { DebugContainer, DebugContainerSpec } from '../../core/index.ts';

/** Label naming the node a debug container was made for. */
export const LABEL_DEBUG = 'dev.caisson.debug';
/** Where the node's command is written inside a debug container. */
export const DEBUG_SCRIPT = '/caisson/cmd.sh';

// Sleeps in short steps so a plain SIGKILL from `docker rm -f` is all it takes, whatever the image's init.
const IDLE = 'while :; do sleep 3600; done';
/** Prints the absolute path of the first of `names` found (a shebang needs a path, and busybox's `command -v ash` says "ash"). */
const probeScript = (names: string[]) =>
  `for s in ${names.map(quoteShellWord).join(' ')}; do for d in /bin /usr/bin /usr/local/bin; do [ -x "$d/$s" ] && { echo "$d/$s"; exit 0; }; done; done; exit 1`;

/** The text of /caisson/cmd.sh for `spec`. */
export function debugScript(spec: Pick<DebugContainerSpec, 'path' | 'command'>, shell: string): string {
  const body = typeof spec.command === 'string' ? spec.command : `exec ${spec.command.map(quoteShellWord).join(' ')}`;
  return `#!${shell}\n# The command of ${spec.path}, as caisson runs it.\n${body}\n`;
}

/** Runs `cmd` in `container` without a terminal; resolves to its exit code and output. */
async function execCapture(container: Docker.Container, cmd: string[]): Promise<{ code: number; output: string }> {
  const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, Tty: true });
  const stream = await exec.start({ hijack: true, stdin: false, Tty: true });
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const info = await exec.inspect();
  return { code: info.ExitCode ?? -1, output: Buffer.concat(chunks).toString('utf8') };
}

/**
 * Creates and starts a debug container for `spec`, and writes the node's command to /caisson/cmd.sh.
 * @throws RuntimeUnavailableError when the daemon does not answer; RuntimeOptionError when the image
 *   has no POSIX shell or the script cannot be written.
 */
export async function startDebugContainer(spec: DebugContainerSpec, opts: DockerConnectionOptions = {}): Promise<DebugContainer> {
  const docker = createDockerClient(opts);
  await pingDaemon(docker, opts);
  const created = await docker.createContainer({
    Image: spec.image,
    Entrypoint: ['/bin/sh', '-c', IDLE],
    Cmd: [],
    Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
    ...(spec.workdir !== undefined && { WorkingDir: spec.workdir }),
    Labels: { ...spec.labels, [LABEL_RUN]: `debug-${process.pid}`, [LABEL_DEBUG]: spec.path, ...getOwnerLabels() },
    HostConfig: { Binds: spec.mounts.map((m) => `${m.source}:${m.target}${m.readOnly ? ':ro' : ''}`) },
  });
  let removed = false;
  const handle: DebugContainer & { shell: string } = {
    id: created.id,
    shell: '',
    openShell: (term) => openDebugShell(created, handle.shell, spec.secretEnv ?? {}, term),
    remove: async () => {
      if (removed) return;
      removed = true;
      try { await created.remove({ force: true, v: true }); } catch (e) {
        // Gone already, or the daemon is: then the next run's sweep removes the container.
        if ((e as { statusCode?: number }).statusCode !== 404 && !isDaemonGone(e)) throw e;
      }
    },
  };
  try {
    await created.start();
    if (spec.archive) await created.putArchive(Buffer.from(spec.archive), { path: '/' });
    let shell = spec.shell;
    if (shell === undefined || !shell.startsWith('/')) {
      const names = [...(shell ? [shell] : []), 'bash', 'ash', 'zsh', 'sh'];
      const probe = await execCapture(created, ['/bin/sh', '-c', probeScript(names)]);
      if (probe.code !== 0) throw new RuntimeOptionError(`${spec.path}: image ${spec.image} has no shell (${names.join(', ')}) to debug in`, { path: spec.path, image: spec.image });
      shell = probe.output.trim().split(/\s+/)[0]!;
    }
    handle.shell = shell;
    const write = `mkdir -p /caisson && printf '%s' ${quoteShellWord(debugScript(spec, shell))} > ${DEBUG_SCRIPT} && chmod 755 ${DEBUG_SCRIPT}`;
    const wrote = await execCapture(created, ['/bin/sh', '-c', write]);
    if (wrote.code !== 0) throw new RuntimeOptionError(`${spec.path}: could not write ${DEBUG_SCRIPT} in image ${spec.image}: ${wrote.output.trim()}`, { path: spec.path, image: spec.image });
    return handle;
  } catch (e) {
    await handle.remove();
    throw e;
  }
}
