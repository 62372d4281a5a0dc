/**
 * The runtime contract: what the engine needs from a container backend. Interfaces only; the Docker
 * provider (plugins/runtime-docker) and the scripted fake (plugins/runtime-fake) implement it.
 *
 * Lifecycle: `open(run)` once per run → `acquire(spec)` a container → `run(command)` in it any number of
 * times (the engine decides reuse; a lease never runs two commands at once) → `dispose()` it →
 * `close()` removes anything of the run still left.
 */

/** A bind mount from the host into the container. */
export interface Mount {
  /** Absolute host path. */
  source: string;
  /** Absolute path inside the container. */
  target: string;
  /** Mount read-only; default read-write. */
  readOnly?: boolean;
}

/**
 * What a container must look like. The engine reuses a container only for an Exec with an equal
 * `reuseKey` (core/engine/container-pool.ts): the same image, cpu, mem, gpu, requiresDocker and
 * dockerRunArgs, and the same names of secrets given to its commands (mounts, labels and group are not
 * part of it; env is per command).
 */
export interface ContainerSpec {
  /** Resolved image reference (tag or id) to create the container from. */
  image: string;
  /** CPUs (fractional allowed) the container may use. */
  cpu: number;
  /** Memory limit in GB. */
  mem: number;
  /** GPUs to request (whole number; 0 = none). */
  gpu: number;
  /** Mount the host's Docker socket so commands can run `docker …`. */
  requiresDocker: boolean;
  /** Extra `docker run` style arguments; a provider rejects what it cannot honour. */
  dockerRunArgs: string[];
  /** Host paths bound into the container. */
  mounts: Mount[];
  /** Labels the provider must put on the container (and anything else it creates for it). */
  labels: Record<string, string>;
  /** Why this container exists: the reuse group ("global" or the owning node's path). For logs and names. */
  group: string;
}

/** One command to run in an acquired container. */
export interface CommandSpec {
  /** Node path, for messages and labels. */
  path: string;
  /** Which execution of the node this is (1 = first); for logs and scripted fakes. */
  attempt?: number;
  /** A shell script (run by `shell`, or the image's shell) or an argv array (run as is). */
  command: string | string[];
  /** Node env; the provider merges it over the image's own env. */
  env: Record<string, string>;
  /** Working directory; undefined = the image's. */
  workdir?: string;
  /** Shell for script commands; undefined = the image's (bash if present, else sh). */
  shell?: string;
  /** Kill the command when this aborts (maxTime, cancel, per-node kill); the reason is on `signal.reason`. */
  signal: AbortSignal;
  /** Receives output as it arrives, stdout and stderr kept apart. */
  onOutput(stream: 'stdout' | 'stderr', chunk: string): void;
}

/** How a command ended. */
export interface CommandResult {
  /** Exit code; null when the command was killed before it could exit. */
  exitCode: number | null;
  /** Set when the command did not end by itself. */
  killed?: 'signal' | 'oom';
  /** A one-line explanation the engine shows with the state (e.g. "killed: out of memory (mem=0.5 GB)"). */
  message?: string;
}

/** A container the engine holds. */
export interface ContainerLease {
  /** Provider's id for the container (shown in events; used by tests to prove sharing). */
  readonly id: string;
  /** Runs one command. Rejects only for runtime failures (daemon gone); a non-zero exit resolves. */
  run(command: CommandSpec): Promise<CommandResult>;
  /** Stops and removes the container. Idempotent. */
  dispose(): Promise<void>;
  /**
   * The container's working directory (the image's, or one dockerRunArgs set), for archive paths when
   * the engine knows none; unset = "/".
   */
  readonly workdir?: string;
  /**
   * A tar archive of `path` (absolute) in the container, its entries named from the path's last segment
   * down ("dist/", "dist/a.js"), as `docker cp` takes it; undefined when nothing is at `path`. Optional:
   * a runtime without it cannot run nodes that declare outputs (the engine says so, naming the runtime).
   * May be called while a command runs in the lease (the data store reads back what earlier commands
   * there wrote), so it must not disturb the command.
   */
  getArchive?(path: string): Promise<AsyncIterable<Uint8Array> | undefined>;
  /**
   * Extracts a tar archive into the folder `path` (absolute; it must exist: "/" with full names creates
   * what is missing). Optional, as getArchive; needed for inputs and the data store.
   */
  putArchive?(path: string, tar: Uint8Array): Promise<void>;
}

/** Context a run hands to the provider. */
export interface RunContext {
  /** The run's id; also the value of the dev.caisson.run label. */
  runId: string;
  /** Labels to put on everything the provider creates for this run. */
  labels: Record<string, string>;
}

/** A container backend. */
export interface RuntimeProvider {
  /** Short name shown in messages ("docker", "fake"). */
  readonly name: string;
  /**
   * Prepares for a run: checks the backend answers (throwing a clear error when not) and sweeps what
   * earlier runs whose owner is gone left behind.
   */
  open(run: RunContext): Promise<void>;
  /** Resolves an image reference to what containers are created from; throws ImageNotFound with the ref. */
  resolveImage?(ref: string): Promise<{ id: string; workdir?: string; shell?: string }>;
  /** Creates and starts a container. */
  acquire(spec: ContainerSpec, signal: AbortSignal): Promise<ContainerLease>;
  /** Removes everything still left from `run`. Idempotent; called on success, error and cancel. */
  close(run: RunContext): Promise<void>;
}
