/**
 * The interactive part of `caisson debug`: an Engine API exec of the shell with this process's terminal
 * wired to it (raw mode, resizes; Ctrl-C is a byte for the shell, not a signal for us). Through the API
 * rather than the docker CLI so the node's secrets travel in the exec's Env only: never in the
 * container's config (`docker inspect`), a command line or another process's environment.
 */
import type Docker from 'dockerode';
import type { Duplex } from 'node:stream';
import type { DebugTerminal } from '../../core/index.ts';

export type { DebugTerminal } from '../../core/index.ts';

const PROCESS_TERMINAL: DebugTerminal = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };

/**
 * Execs `shell` in `container` with `env` added to the container's own, attached to `term` (a TTY when
 * stdin is one), and resolves to the shell's exit code when the person leaves it.
 */
export async function openDebugShell(
  container: Docker.Container, shell: string, env: Record<string, string>, term: DebugTerminal = PROCESS_TERMINAL,
): Promise<number> {
  const tty = Boolean(term.stdin.isTTY);
  const exec = await container.exec({
    Cmd: [shell], Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: tty,
  });
  const stream = (await exec.start({ hijack: true, stdin: true, Tty: tty })) as unknown as Duplex;
  const resize = () => { void exec.resize({ h: term.stdout.rows, w: term.stdout.columns }).catch(() => {}); };
  if (tty) {
    term.stdin.setRawMode(true);
    resize();
    term.stdout.on('resize', resize);
    stream.pipe(term.stdout, { end: false });
  } else {
    container.modem.demuxStream(stream, term.stdout, term.stderr);
  }
  const forward = (chunk: Buffer) => stream.write(chunk);
  // Closing our input (a pipe, not a terminal) is the shell's end of input too.
  const endInput = () => stream.end();
  term.stdin.on('data', forward);
  term.stdin.once('end', endInput);
  term.stdin.resume();
  try {
    await new Promise<void>((resolve, reject) => {
      stream.once('end', resolve);
      stream.once('close', resolve);
      stream.once('error', reject);
    });
  } finally {
    term.stdin.off('data', forward);
    term.stdin.off('end', endInput);
    term.stdin.pause();
    if (tty) {
      term.stdin.setRawMode(false);
      term.stdout.off('resize', resize);
      stream.unpipe(term.stdout);
    }
  }
  return exitCodeOf(exec);
}

/** The exec's exit code; the daemon may record it a moment after the stream ends. */
async function exitCodeOf(exec: Docker.Exec): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const info = await exec.inspect().catch(() => undefined);
    if (!info) return 1;
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    await new Promise((r) => setTimeout(r, 20));
  }
  return 1;
}
