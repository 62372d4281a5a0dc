/**
 * A running Swarm task with its driver, given to the engine as a ContainerLease: the same driver protocol
 * as a Docker container's, over the task's call-back connections, so reuse groups share one task's file
 * system exactly as they share one container's on Docker. Kills and file copies go through the task's
 * control loop; dispose removes the service (Swarm stops the task).
 */
import { LeaseError, type CommandResult, type CommandSpec, type ContainerLease } from '../../core/index.ts';
import { debugLog } from '../../core/plugin-kit.ts';
import { DriverGoneError, DriverSession } from './driver-session.ts';
import { runDriverCommand } from './driver-command.ts';
import type { TaskLink } from './swarm-channel.ts';

const log = debugLog('swarm');

/** What the provider hands a lease. */
export interface SwarmLeaseParts {
  /** The service's id (shown in events; tests use it to prove sharing). */
  serviceId: string;
  /** The task's connections, all connected. */
  link: TaskLink;
  /** Memory limit in GB, for the OOM message. */
  mem: number;
  /** The image's working dir; unset = "/". */
  workdir?: string;
  /** Describes how the task ended, for a connection lost mid-command ("task failed: …"). */
  describeEnd(): Promise<string>;
  /** Removes the service; called once, on dispose. */
  remove(): Promise<void>;
}

/** One Swarm task holding a driver, used by the engine like a Docker container. */
export class SwarmTaskLease implements ContainerLease {
  /** The service id. */
  readonly id: string;
  /** See ContainerLease.workdir. */
  readonly workdir: string | undefined;
  private readonly session: DriverSession;
  private busy = false;
  private disposing: Promise<void> | undefined;

  /** @internal Made by SwarmRuntimeProvider.acquire(). */
  constructor(private readonly parts: SwarmLeaseParts) {
    this.id = parts.serviceId;
    this.workdir = parts.workdir;
    this.session = new DriverSession(parts.link.transport());
  }

  /** See ContainerLease.filesReady: the driver creates ContainerSpec.files before its hello, as on Docker. */
  filesReady(): Promise<boolean> { return this.session.filesReady; }

  /** Runs one command in the task; resolves for any exit, rejects only if the task is lost. */
  async run(cmd: CommandSpec): Promise<CommandResult> {
    const where = { container: this.id.slice(0, 12), path: cmd.path };
    if (this.busy) throw new LeaseError(`task ${where.container} is already running a command (${cmd.path})`, where);
    if (this.disposing) throw new LeaseError(`task ${where.container} was removed; cannot run ${cmd.path}`, where);
    if (cmd.signal.aborted) return { exitCode: null, killed: 'signal' };
    this.busy = true;
    try {
      return await runDriverCommand(cmd, {
        session: this.session, env: cmd.env, mem: this.parts.mem, log, container: where.container,
        killScan: (token) => this.parts.link.request('kill', '0', token),
      });
    } catch (e) {
      if (!(e instanceof DriverGoneError)) throw e;
      if (this.disposing || cmd.signal.aborted) return { exitCode: null, killed: 'signal', message: 'killed: task removed' };
      const how = await this.parts.describeEnd().catch(() => 'the task is gone');
      throw new LeaseError(`Swarm task ${where.container} stopped while running ${cmd.path} (${how}); ${e.message}`, { ...where, cause: e });
    } finally {
      this.busy = false;
    }
  }

  /** See ContainerLease.getArchive: the task's control loop tars `path` onto a fresh connection. */
  async getArchive(path: string): Promise<AsyncIterable<Uint8Array> | undefined> {
    const copy = this.startCopy('get', path);
    const { state, socket } = await copy.data;
    if (state !== 'ok') { socket.destroy(); await copy.done; return undefined; }
    const chunks: Buffer[] = [];
    for await (const c of socket) chunks.push(c as Buffer);
    const status = await copy.done;
    if (status !== 0) throw this.copyError(`copy ${path} out of`, status);
    return (async function* () { yield Buffer.concat(chunks); })();
  }

  /** See ContainerLease.putArchive: the tar goes to the task on a fresh connection and is extracted in `path`. */
  async putArchive(path: string, tar: Uint8Array): Promise<void> {
    const copy = this.startCopy('put', path);
    const { socket } = await copy.data;
    socket.end(Buffer.from(tar.buffer, tar.byteOffset, tar.byteLength));
    socket.resume();
    const status = await copy.done;
    if (status !== 0) throw this.copyError(`copy files into ${path} of`, status);
  }

  /** Ends the driver and removes the service. Idempotent. */
  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      log('remove task', { service: this.id.slice(0, 12) });
      this.session.end();
      await this.parts.remove();
    })();
    return this.disposing;
  }

  private startCopy(op: 'get' | 'put', path: string): ReturnType<TaskLink['expectCopy']> {
    if (/[\n\r]/.test(path)) throw new LeaseError(`cannot copy "${path}": a path with a line break`, { container: this.id.slice(0, 12), path });
    const copy = this.parts.link.expectCopy();
    this.parts.link.request(op, copy.id, path);
    // The data connection never comes when the task is gone: the loop's `done` (NaN then) settles it.
    const data = Promise.race([copy.data, copy.done.then((s) => { throw this.copyError(`${op === 'get' ? 'copy out' : 'copy in'} ${path} of`, s); })]);
    return { ...copy, data };
  }

  private copyError(what: string, status: number): LeaseError {
    const why = Number.isNaN(status) ? 'the task is gone' : `tar exited ${status}`;
    return new LeaseError(`cannot ${what} Swarm task ${this.id.slice(0, 12)}: ${why}`, { container: this.id.slice(0, 12), path: what });
  }
}
