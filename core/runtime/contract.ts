/**
 * The runtime contract: what the engine needs from a container backend. Interfaces only; the Docker
 * provider (plugins/runtime-docker) and the scripted fake (plugins/runtime-fake) implement it.
 *
 * Lifecycle: `provider.open(run)` once per start of a run → a RuntimeSession that carries the run →
 * `session.acquire(spec)` a container → `run(command)` in it any number of times (the engine decides
 * reuse; a lease never runs two commands at once) → `dispose()` it → `session.close()` removes anything
 * of the run still left. A provider never has to work out which run a call belongs to: the session knows.
 * What a backend can do is declared in `capabilities`, so neither the engine nor the CLI tests a name.
 */
import type { RuntimeDebug } from './debug-contract.ts';

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
 * A node's Docker settings, from its `requiresDocker` and `dockerRunArgs` options. Honoured by the Docker
 * runtime (and the fake, as its test double); a backend that is not Docker may take part of them.
 */
export interface DockerSettings {
  /** Mount the host's Docker socket so commands can run `docker …` (the `requiresDocker` option). */
  readonly requiresDocker: boolean;
  /** Extra `docker run` style arguments (the `dockerRunArgs` option); a provider rejects what it cannot honour. */
  readonly runArgs: readonly string[];
}

/**
 * Backend-specific settings of a container, one namespace per backend. A namespace is present only when
 * the node sets something in it (`docker` when it sets requiresDocker or dockerRunArgs), so `{}` means
 * "nothing backend-specific". A provider lists the namespaces it honours in `capabilities.backendSettings`;
 * the engine fails a node whose settings are in another one before asking the provider for a container,
 * with one error naming the node, the option and the runtime. A new backend adds its own namespace here.
 */
export interface BackendSettings {
  /** Docker's settings (see DockerSettings). */
  readonly docker?: DockerSettings;
}

/**
 * What a container must look like. The engine reuses a container only for an Exec with an equal
 * `reuseKey` (core/engine/container-pool.ts): the same image, cpu, mem, gpu and backend settings, and the
 * same names of secrets given to its commands (mounts, labels and group are not part of it; env is per
 * command).
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
  /** Backend-specific settings, by namespace (`backend.docker`: requiresDocker, runArgs). */
  backend: BackendSettings;
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
   * The container's working directory (the image's, or one the backend settings set), for archive paths when
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

/**
 * One run's use of a backend, from `RuntimeProvider.open(run)` to `close()`. Everything it creates
 * belongs to `run` (and carries `run.labels`), so a provider serving several runs at once keeps them apart
 * by session, never by reading labels back.
 */
export interface RuntimeSession {
  /** The run this session serves (as given to `open`). */
  readonly run: RunContext;
  /** Creates and starts a container for this run. */
  acquire(spec: ContainerSpec, signal: AbortSignal): Promise<ContainerLease>;
  /**
   * Creates the run's network (labelled with the run's labels), which its Exec containers join and its
   * services are reached on; returns its name. Optional: a runtime without it cannot run services, and a
   * pipeline that declares some fails those services with a message saying so. `close()` removes it.
   */
  openNetwork?(): Promise<string>;
  /** Creates and starts a service container on the run's network; optional, with `openNetwork`. */
  startService?(spec: ServiceContainerSpec, signal: AbortSignal): Promise<ServiceLease>;
  /** Removes everything still left from the run. Idempotent; called on success, error and cancel. */
  close(): Promise<void>;
}

/**
 * What a backend can do, declared by its provider: the engine and the CLI decide from these, never from
 * the runtime's name (records keep the name; a command reading one loads that runtime to ask it).
 */
export interface RuntimeCapabilities {
  /**
   * How containers get their images. "local": built images are loaded into (and looked up in) the local
   * daemon (Docker). "registry": they are pushed to a registry and the backend's nodes pull them by
   * digest (a cluster). "none": no image is built or looked up; built images get placeholder references
   * (`caisson/<name>:fake`) and plain references stay as written (the fake). Until the image builder
   * has its push step, the CLI builds for "registry" as for "local".
   */
  readonly images: 'local' | 'registry' | 'none';
  /**
   * Whether containers can bind-mount host paths (ContainerSpec.mounts: a native call's bundle folder,
   * `caisson debug --live`). A runtime without it is never given mounts: a native call's bundle is copied
   * into the container through `putArchive` instead (core/native/bundle-copy.ts).
   */
  readonly hostMounts: boolean;
  /**
   * How native function calls run. "bundled": the runner bundles the function (a native bundler plugin)
   * and the container runs the bundle. "in-process": the runtime calls the function in the runner's own
   * process (the fake), so nothing is bundled.
   */
  readonly native: 'bundled' | 'in-process';
  /**
   * True when creating a container costs real time, so the engine should create the container of a
   * Serial's next Exec while the current one runs (see ContainerPool). False for backends where
   * acquire() is instant, such as the fake.
   */
  readonly warmContainers: boolean;
  /**
   * The namespaces of ContainerSpec.backend this runtime honours ("docker"). A node with settings in any
   * other namespace fails before a container is asked for, with one error naming the option.
   */
  readonly backendSettings: readonly (keyof BackendSettings)[];
  /**
   * False when the runtime cannot give containers GPUs: a node with `gpu` fails before a container is
   * asked for, with one error naming it (not retried). Unset = it can (Docker: device requests).
   */
  readonly gpus?: boolean;
}

/** A container backend. */
export interface RuntimeProvider {
  /** Short name shown in messages ("docker", "fake"); what a run record keeps as its runtime. */
  readonly name: string;
  /** What this backend can do (images, mounts, native calls, warm containers). */
  readonly capabilities: RuntimeCapabilities;
  /**
   * Debug shells (`caisson debug`, the web UI's shell); unset when the backend cannot open them, and
   * those commands then say so, naming the runtime.
   */
  readonly debug?: RuntimeDebug;
  /**
   * Starts serving a run: checks the backend answers (throwing a clear error when not), sweeps what
   * earlier runs whose owner is gone left behind, and returns the run's session. The engine opens one
   * session per start() of a run and always closes it, however the start ends. When open() rejects
   * there is no session and nothing is closed: open must leave nothing of the run behind.
   */
  open(run: RunContext): Promise<RuntimeSession>;
  /**
   * Optional: starts, without waiting for it, what the next open() does before it knows the run (asking
   * the backend whether it answers, sweeping what dead owners left), so a caller that knows a run is
   * coming, such as `caisson run` while it loads the pipeline file, takes it off the critical path. Never
   * throws and never rejects: a failure is open()'s to report. A prepare() that no open() follows leaves
   * nothing behind.
   */
  prepare?(): void;
  /**
   * Resolves an image reference to what containers are created from; throws ImageNotFound with the ref.
   * On the provider, not the session: an image lookup belongs to no run, and its answer is shared by all.
   */
  resolveImage?(ref: string): Promise<{ id: string; workdir?: string; shell?: string }>;
}
