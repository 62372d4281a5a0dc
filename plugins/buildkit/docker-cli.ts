/**
 * Runs the docker CLI through execa (the one place that does). Errors carry the command and the tail
 * of stderr, with secrets redacted.
 */
import { execa, type ResultPromise } from 'execa';
import { ImageBuildError, redactSecrets, RuntimeUnavailableError } from '../../core/plugin-kit.ts';

/** The docker binary (CAISSON_DOCKER_CLI overrides it, e.g. with a wrapper). */
export const dockerBin = (): string => process.env.CAISSON_DOCKER_CLI || 'docker';

/** Starts `docker ...args` without throwing on a non-zero exit. */
export function docker(args: string[], opts: { signal?: AbortSignal; input?: string } = {}): ResultPromise<{ reject: false; cancelSignal?: AbortSignal; input?: string; stripFinalNewline: true }> {
  return execa(dockerBin(), args, { reject: false, cancelSignal: opts.signal, input: opts.input, stripFinalNewline: true });
}

/** Throws a RuntimeUnavailableError when `stderr` says no daemon answers; returns otherwise. */
export function throwIfUnreachable(image: string, stderr: string): void {
  const unreachable = stderr.match(/Cannot connect to the Docker daemon at (\S+?)\.? Is the docker daemon running\?/);
  if (unreachable) {
    throw new RuntimeUnavailableError(
      `no Docker daemon answers at ${unreachable[1]}${process.env.DOCKER_HOST ? ' (from DOCKER_HOST)' : ''}: start it, or run \`bash scripts/setup-docker.sh\` to install and start one (needed to build and inspect image "${image}")`,
      { endpoint: unreachable[1]! },
    );
  }
}

/** Throws an ImageBuildError for a failed docker command (RuntimeUnavailableError when no daemon answers). */
export function dockerFailed(image: string, what: string, stderr: string): never {
  throwIfUnreachable(image, stderr);
  const tail = redactSecrets(stderr).trim().split('\n').slice(-8).join('\n');
  throw new ImageBuildError(image, `${what} failed${tail ? `:\n${tail}` : ''}`);
}
