/**
 * Runs the docker CLI through execa (the one place that does). Errors carry the command and the tail
 * of stderr; callers mask what they handed over (build secrets), and the image service masks every
 * secret a resolve read in whatever error leaves it.
 */
import type { Result } from 'execa';
import { debugLog, ImageBuildError, RuntimeUnavailableError } from '../../core/plugin-kit.ts';

const log = debugLog('build');
// Arguments as the debug line shows them: a long one (the probe script) is cut.
const shown = (args: string[]): string[] => args.map((a) => (a.length > 120 ? `${a.slice(0, 117)}...` : a));

/** The docker binary (CAISSON_DOCKER_CLI overrides it, e.g. with a wrapper). */
export const dockerBin = (): string => process.env.CAISSON_DOCKER_CLI || 'docker';

/** What `docker()` resolves to: execa's result, which never throws for a non-zero exit. */
export type DockerResult = Result<{ reject: false; stripFinalNewline: true }>;

/**
 * Runs `docker ...args` without throwing on a non-zero exit; `timeoutMs` kills it (a failed result) when
 * it takes longer; `onStderr` gets its stderr as it comes (build progress). execa loads at the first call:
 * a `caisson run` whose images are all known runs no docker command, and loading it was a fifth of the
 * image plugins' start-up.
 */
export async function docker(args: string[], opts: { signal?: AbortSignal; input?: string; timeoutMs?: number; onStderr?: (chunk: string) => void } = {}): Promise<DockerResult> {
  const { execa } = await import('execa');
  const started = Date.now();
  log('docker', { argv: shown(args) });
  const child = execa(dockerBin(), args, { reject: false, cancelSignal: opts.signal, input: opts.input, stripFinalNewline: true, timeout: opts.timeoutMs });
  if (opts.onStderr) child.stderr?.setEncoding('utf8').on('data', opts.onStderr);
  const result = await child;
  log('docker exited', { command: args.slice(0, 2).join(' '), exitCode: result.exitCode, ms: Date.now() - started });
  return result as DockerResult;
}

/** Throws a RuntimeUnavailableError when `stderr` says no daemon answers; returns otherwise. */
export function throwIfUnreachable(image: string, stderr: string): void {
  const unreachable = stderr.match(/Cannot connect to the Docker daemon at (\S+?)\.? Is the docker daemon running\?/);
  if (unreachable) {
    throw new RuntimeUnavailableError(
      `no Docker daemon answers at ${unreachable[1]}${process.env.DOCKER_HOST ? ' (from DOCKER_HOST)' : ''}, which image "${image}" needs: start the Docker engine, or point DOCKER_HOST at a running daemon (in a checkout of Caisson, \`bash scripts/setup-docker.sh\` installs and starts one)`,
      { endpoint: unreachable[1]! },
    );
  }
}

/** Throws an ImageBuildError for a failed docker command (RuntimeUnavailableError when no daemon answers). */
export function dockerFailed(image: string, what: string, stderr: string): never {
  throwIfUnreachable(image, stderr);
  const tail = stderr.trim().split('\n').slice(-8).join('\n');
  throw new ImageBuildError(image, `${what} failed${tail ? `:\n${tail}` : ''}`);
}
