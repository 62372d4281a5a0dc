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
  /**
   * The run's network (from `openNetwork`) to join, so the container reaches the run's services by name.
   * Set on every container of a run whose pipeline declares services; unset = the runtime's default network.
   */
  network?: string;
  /**
   * Files, folders and symlinks to create in the container before its first command (the data store's
   * `caisson-data` and its empty exchange folder), so the engine needs no archive call for them. Best
   * effort: the lease's `filesReady()` says whether they landed; a runtime that cannot create them
   * ignores them (and has no `filesReady`), and the engine copies them in itself.
   */
  files?: readonly ContainerFile[];
}

/** One entry of ContainerSpec.files: an absolute path, created in the order listed (parents first). */
export interface ContainerFile {
  /** Absolute path in the container. */
  path: string;
  /** What to create there. */
  type: 'file' | 'dir' | 'symlink';
  /** Permission bits (0o755, 0o1777). */
  mode: number;
  /** A file's content. */
  text?: string;
  /** A symlink's target. */
  linkname?: string;
}

/**
 * A service's container (core/engine/services.ts): started from its image's own entrypoint (or
 * `command`), on the run's network under its name as a host-name alias, with no limits of its own.
 */
export interface ServiceContainerSpec {
  /** The service's node path ("/ci/test/db"), for messages and names. */
  path: string;
  /** Its name: the host name its group's nodes reach it by (a network alias). */
  name: string;
  /** Resolved image reference. */
  image: string;
  /** A shell script (run by `/bin/sh -c`) or an argv array; unset = the image's own command. */
  command?: string | string[];
  /** Env over the image's. */
  env: Record<string, string>;
  /** The run's network (from `openNetwork`). */
  network: string;
  /** Labels the provider must put on the container. */
  labels: Record<string, string>;
  /** Receives the main process's output as it arrives. */
  onOutput(stream: 'stdout' | 'stderr', chunk: string): void;
}

/** How a probe run inside a service's container ended. */
export interface ServiceProbeResult {
  /** The probe's exit code; null when it could not run to the end. */
  exitCode: number | null;
  /** Its stdout and stderr, together (a probe prints little). */
  output: string;
}

/** A started service container. */
export interface ServiceLease {
  /** Provider's id for the container. */
  readonly id: string;
  /** Resolves when the container's main process has exited (never rejects), with its exit code. */
  readonly exited: Promise<{ exitCode: number | null }>;
  /**
   * Runs `argv` inside the container (its network namespace and file system); the engine's port, http
   * and command waits are such probes. Never called once `exited` resolved.
   */
  probe(argv: string[], signal: AbortSignal): Promise<ServiceProbeResult>;
  /** The container's HEALTHCHECK status: "none" when its image defines none. */
  health(): Promise<'starting' | 'healthy' | 'unhealthy' | 'none'>;
  /** Stops and removes the container. Idempotent. */
  dispose(): Promise<void>;
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
  /**
   * Set on the engine's own read of a file an earlier command left in the container (a lazy node's
   * generated subtree): the command prints that file. Real runtimes just run the command; a fake one
   * without a file system serves the file itself.
   */
  readsFile?: string;
  /**
   * Set when the command runs a native function (core/native): the module on the host, its export, the
   * tagged-JSON arguments and the reply file. A runtime with containers runs `command` (which starts the
   * bundle) and may ignore it; the fake runtime calls the function in-process from it.
   */
  native?: { module: string; export: string; args: unknown[]; resultFile: string };
  /**
   * An absolute path the runtime looks at right after the command ends; CommandResult.probed says
   * whether something is there (the data store reads back only what a command wrote). Optional for runtimes.
   */
  probe?: string;
}

/** How a command ended. */
export interface CommandResult {
  /** Exit code; null when the command was killed before it could exit. */
  exitCode: number | null;
  /** Set when the command did not end by itself. */
  killed?: 'signal' | 'oom';
  /** A one-line explanation the engine shows with the state (e.g. "killed: out of memory (mem=0.5 GB)"). */
  message?: string;
  /** Whether CommandSpec.probe existed when the command ended; undefined when the runtime did not look. */
  probed?: boolean;
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
   * Reads (and removes) a file the last command wrote in the container, such as a native call's reply;
   * undefined when it does not exist. Optional: the engine otherwise runs `cat` on the lease.
   */
  readFile?(path: string, signal: AbortSignal): Promise<string | undefined>;
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
  /**
   * Resolves true once the ContainerSpec.files of this container are in place, false when they could
   * not be created (a read-only root, a user without rights to `/`). Optional: unset = never created.
   */
  filesReady?(): Promise<boolean>;
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
   * True when creating a container costs real time, so the engine should create the container of a
   * Serial's next Exec while the current one runs (see ContainerPool). Off (undefined) for backends
   * where acquire() is instant, such as the fake.
   */
  readonly warmContainers?: boolean;
  /**
   * Prepares for a run: checks the backend answers (throwing a clear error when not) and sweeps what
   * earlier runs whose owner is gone left behind.
   */
  open(run: RunContext): Promise<void>;
  /** Resolves an image reference to what containers are created from; throws ImageNotFound with the ref. */
  resolveImage?(ref: string): Promise<{ id: string; workdir?: string; shell?: string }>;
  /** Creates and starts a container. */
  acquire(spec: ContainerSpec, signal: AbortSignal): Promise<ContainerLease>;
  /**
   * Creates the run's network (labelled with the run's labels), which its Exec containers join and its
   * services are reached on; returns its name. Optional: a runtime without it cannot run services, and a
   * pipeline that declares some fails those services with a message saying so. `close()` removes it.
   */
  openNetwork?(run: RunContext): Promise<string>;
  /** Creates and starts a service container; optional, with `openNetwork`. */
  startService?(spec: ServiceContainerSpec, signal: AbortSignal): Promise<ServiceLease>;
  /** Removes everything still left from `run`. Idempotent; called on success, error and cancel. */
  close(run: RunContext): Promise<void>;
}
