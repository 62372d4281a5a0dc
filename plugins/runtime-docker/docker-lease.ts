/**
 * A running container with its driver: runs commands through the fast stdin path, kills a command's
 * whole process tree on abort, turns OOM kills into a clear result, and removes the container on dispose.
 */
import type Docker from 'dockerode';
import { LeaseError, type CommandResult, type CommandSpec, type ContainerLease } from '../../core/index.ts';
import { debugLog } from '../../core/plugin-kit.ts';
import { killScript } from './driver-script.ts';
import { oomMessage, runDriverCommand } from './driver-command.ts';
import { DriverGoneError, type DriverSession } from './driver-session.ts';
import { daemonGoingAway, daemonGoneMessage, engineMessage, isDaemonGone, type DockerConnectionOptions } from './connection.ts';

const log = debugLog('docker');

/** What DockerRuntimeProvider hands a lease: the started container and its driver connection. */
export interface LeaseParts {
  /** The started container. */
  container: Docker.Container;
  /** The driver attached to the container's stdin/stdout. */
  session: DriverSession;
  /** Memory limit in GB, for the OOM message. */
  mem: number;
  /** Called once the container is gone (the provider stops tracking it). */
  onDisposed(id: string): void;
  /** Where the daemon is, for the message when it goes away mid-command. */
  connection: DockerConnectionOptions;
  /** The client, to tell a daemon going away from a container stopped by someone else. */
  docker: Docker;
  /** The container's --env-file values, read afresh for each command (under the command's own env). */
  fileEnv?(): Record<string, string>;
  /** The container's working dir (dockerRunArgs --workdir, else the image's); unset = "/". */
  workdir?: string;
}

export { oomMessage } from './driver-command.ts';

/**
 * One started Docker container, given to the engine by DockerRuntimeProvider: runs one command at a
 * time through the container's driver and removes the container on dispose.
 */
export class DockerContainerLease implements ContainerLease {
  /** The Docker container id. */
  readonly id: string;
  /** See ContainerLease.workdir. */
  readonly workdir: string | undefined;
  private busy = false;
  private disposing: Promise<void> | undefined;

  /** @internal Made by DockerRuntimeProvider.acquire(). */
  constructor(private readonly parts: LeaseParts) {
    this.id = parts.container.id;
    this.workdir = parts.workdir;
  }

  /** See ContainerLease.getArchive: `docker cp` out, through the Engine API (works on a remote daemon). */
  async getArchive(path: string): Promise<AsyncIterable<Uint8Array> | undefined> {
    try {
      return (await this.parts.container.getArchive({ path })) as unknown as AsyncIterable<Uint8Array>;
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) return undefined;
      throw this.archiveError(e, `copy ${path} out of`);
    }
  }

  /** See ContainerLease.putArchive: `docker cp` in, through the Engine API. */
  async putArchive(path: string, tar: Uint8Array): Promise<void> {
    try {
      // copyUIDGID: what lands belongs to the container's user (--user), as files it wrote itself would.
      const response = await this.parts.container.putArchive(Buffer.from(tar.buffer, tar.byteOffset, tar.byteLength), { path, copyUIDGID: '1' });
      // dockerode hands back the response stream; drain it so its socket closes.
      (response as unknown as { resume?: () => void } | undefined)?.resume?.();
    } catch (e) {
      throw this.archiveError(e, `copy files into ${path} of`);
    }
  }

  private archiveError(e: unknown, what: string): Error {
    if (isDaemonGone(e)) return daemonGoneMessage(this.parts.connection, `while trying to ${what} container ${this.id.slice(0, 12)}`, e);
    const detail = engineMessage(e);
    return new LeaseError(`cannot ${what} container ${this.id.slice(0, 12)}: ${detail.trim()}`, { container: this.id.slice(0, 12), path: what, cause: e });
  }

  /** See ContainerLease.filesReady: the driver creates ContainerSpec.files before its hello. */
  filesReady(): Promise<boolean> { return this.parts.session.filesReady; }

  /** Runs one command in the container; resolves for any exit, rejects only if the container is lost. */
  async run(cmd: CommandSpec): Promise<CommandResult> {
    const where = { container: this.id.slice(0, 12), path: cmd.path };
    if (this.busy) throw new LeaseError(`container ${where.container} is already running a command (${cmd.path})`, where);
    if (this.disposing) throw new LeaseError(`container ${where.container} was disposed; cannot run ${cmd.path}`, where);
    if (cmd.signal.aborted) return { exitCode: null, killed: 'signal' };
    // Read before the lease counts as busy: an unreadable env file fails this command, not the container.
    const env = { ...this.parts.fileEnv?.(), ...cmd.env };
    this.busy = true;
    log('run command', { container: where.container, path: cmd.path, attempt: cmd.attempt, shell: cmd.shell, workdir: cmd.workdir });
    try {
      return await runDriverCommand(cmd, { session: this.parts.session, env, mem: this.parts.mem, killScan: (token) => this.killCommand(token), log, container: where.container });
    } catch (e) {
      if (!(e instanceof DriverGoneError)) throw e;
      return await this.explainLoss(e, cmd);
    } finally {
      this.busy = false;
    }
  }

  /** Force-removes the container. Idempotent and safe to call concurrently. */
  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      log('remove container', { id: this.id.slice(0, 12) });
      this.parts.session.end();
      try {
        await this.parts.container.remove({ force: true, v: true });
      } catch (e) {
        const status = (e as { statusCode?: number }).statusCode;
        // 404: already gone; 409: removal already in progress. Both mean the goal is reached. A daemon
        // that went away cannot be asked: the next start's sweep removes the container.
        if (status !== 404 && status !== 409 && !isDaemonGone(e)) throw e;
      } finally {
        this.parts.onDisposed(this.id);
      }
    })();
    return this.disposing;
  }

  private async killCommand(token: string): Promise<void> {
    try {
      const exec = await this.parts.container.exec({ Cmd: ['/bin/sh', '-c', killScript(token)], User: '0' });
      // Even detached, dockerode hands back the response stream; drain it or its socket keeps the process alive.
      const response = (await exec.start({ Detach: true })) as unknown as { resume?: () => void } | undefined;
      response?.resume?.();
    } catch {
      // The container may be stopping already; the driver stream ending settles the command then.
    }
  }

  /** The driver stream ended mid-command: a memory kill of the whole container, a dispose, or a failure. */
  private async explainLoss(e: DriverGoneError, cmd: CommandSpec): Promise<CommandResult> {
    log('driver stream ended', { container: this.id.slice(0, 12), path: cmd.path, detail: e.message });
    if (this.disposing || cmd.signal.aborted) return { exitCode: null, killed: 'signal', message: 'killed: container removed' };
    let gone: unknown;
    const state = await this.parts.container.inspect().then((i) => i.State, (err: unknown) => { gone = err; return undefined; });
    if (state?.OOMKilled) return { exitCode: null, killed: 'oom', message: oomMessage(this.parts.mem) };
    // A daemon shutting down stops the container first and goes a moment later: give it that moment.
    if (!isDaemonGone(gone) && state) gone = await daemonGoingAway(this.parts.docker);
    if (isDaemonGone(gone)) throw daemonGoneMessage(this.parts.connection, `while ${cmd.path} ran`, gone);
    const how = state ? `status ${state.Status}, exit code ${state.ExitCode}${state.Error ? `, ${state.Error}` : ''}` : 'container is gone';
    throw new LeaseError(`container ${this.id.slice(0, 12)} stopped while running ${cmd.path} (${how}); ${e.message}`, { container: this.id.slice(0, 12), path: cmd.path, cause: e });
  }
}
