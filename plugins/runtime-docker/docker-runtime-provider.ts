/**
 * The Docker runtime: containers from the node's image with its limits, commands run through a
 * long-lived driver shell per container, and nothing left behind (labels, sweep, close, signals).
 */
import { cpus } from 'node:os';
import type Docker from 'dockerode';
import {
  CaissonError, ImageNotFoundError, RuntimeOptionError,
  type ContainerLease, type ContainerSpec, type RunContext, type RuntimeCapabilities, type RuntimeDebug, type RuntimeProvider, type RuntimeSession, type ServiceContainerSpec, type ServiceLease,
} from '../../core/index.ts';
import { DEBUG_SCRIPT, startDebugContainer } from './debug-container.ts';
import { createRunNetwork, removeRunNetworks, startServiceContainer } from './docker-service.ts';
import { debugLog } from '../../core/plugin-kit.ts';
import { buildCreateOptions, type CreatePlan } from './container-options.ts';
import { readEnvFiles } from './env-files.ts';
import {
  createDockerClient, daemonGoneMessage, describeDaemon, engineMessage, hostSocketPath, isDaemonGone, pingDaemon, type DockerConnectionOptions,
} from './connection.ts';
import { DockerContainerLease } from './docker-lease.ts';
import { attachTransport, DriverSession } from './driver-session.ts';
import { hijackAttach } from './hijack-attach.ts';
import { fetchImage, type ImageInfo } from './image-lookup.ts';
import { registerSignalCleanup } from './signal-cleanup.ts';
import { removeRunContainers, sweepOrphanNetworks, sweepOrphans } from './sweep.ts';

const log = debugLog('docker');

/** Options of the Docker runtime. */
export interface DockerRuntimeOptions extends DockerConnectionOptions {
  /**
   * Remove this provider's containers on SIGINT/SIGTERM, then re-raise the signal (default true). Turn
   * off when the caller handles signals itself and calls `close()`.
   */
  handleSignals?: boolean;
  /** How long an image pull may take before the image counts as not found (default 60 s). */
  pullTimeoutMs?: number;
  /**
   * Where relative host paths in `dockerRunArgs` start (`-v ./data:/data`, `--env-file .env`): the
   * pipeline file's folder (the CLI passes it). Default: the current directory.
   */
  baseDir?: string;
}

/** A container this provider created: the run it belongs to and, once started, its lease. */
interface Tracked { runId: string; lease?: DockerContainerLease; service?: ServiceLease }

/**
 * The RuntimeProvider backed by the Docker daemon (via dockerode): one labelled container per lease,
 * commands run through a driver shell inside it, and every container removed on dispose, close or
 * SIGINT/SIGTERM. Register it with `dockerRuntime(opts)`.
 */
export class DockerRuntimeProvider implements RuntimeProvider {
  /** Shown in messages. */
  readonly name = 'docker';
  /**
   * Images in the local daemon (built with --load); host paths bind-mount; native calls run bundled in
   * the container; creating a container takes the daemon 100 ms or more, so the engine creates a
   * Serial's next one early; the `docker` settings (requiresDocker, dockerRunArgs) are honoured.
   */
  readonly capabilities: RuntimeCapabilities = { images: 'local', hostMounts: true, native: 'bundled', warmContainers: true, backendSettings: ['docker'] };
  /** Debug shells: a labelled container from the node's image with its command in /caisson/cmd.sh. */
  readonly debug: RuntimeDebug = { script: DEBUG_SCRIPT, start: (spec) => startDebugContainer(spec, this.opts) };
  /** The dockerode client (tests and benchmarks use it to look at what we created). */
  readonly docker: Docker;
  private readonly live = new Map<string, Tracked>();
  private readonly images = new Map<string, Promise<ImageInfo>>();
  /** Networks this provider created, by run id (removed on close and on signals). */
  private readonly networks = new Map<string, string>();
  private hostCpus = cpus().length;
  /** What prepare() started for the next open(), if it was called. */
  private prepared?: Promise<{ swept: number; sweptNetworks: number }>;
  private unregisterSignals: (() => void) | undefined;

  /**
   * @param opts how to reach the daemon, whether to clean up on signals, how long a pull may take.
   * Nothing is contacted until open() or acquire().
   */
  constructor(private readonly opts: DockerRuntimeOptions = {}) {
    this.docker = createDockerClient(opts);
  }

  /**
   * Checks the daemon answers (RuntimeUnavailableError naming the socket / DOCKER_HOST otherwise),
   * removes containers whose owner process on this host is gone, and returns the run's session: its
   * containers, network and services carry the run's id and labels.
   */
  /** Pings the daemon, reads its cpu count and sweeps dead owners' leftovers for the next open(). */
  prepare(): void {
    if (this.prepared) return;
    const started = this.startUp();
    started.catch(() => undefined); // open() reports it
    this.prepared = started;
  }

  private async startUp(): Promise<{ swept: number; sweptNetworks: number }> {
    log('ping', { daemon: describeDaemon(this.opts) });
    await pingDaemon(this.docker, this.opts);
    // The daemon's info (its cpu count) while the sweep runs: one round trip less before the first container.
    const [info, [swept, sweptNetworks]] = await Promise.all([
      this.docker.info() as Promise<{ NCPU?: number }>,
      // After the containers: a network still holding one cannot be removed.
      sweepOrphans(this.docker).then(async (containers) => [containers, await sweepOrphanNetworks(this.docker)] as const),
    ]);
    if (info.NCPU) this.hostCpus = info.NCPU;
    return { swept: swept.length, sweptNetworks: sweptNetworks.length };
  }

  async open(run: RunContext): Promise<RuntimeSession> {
    // What prepare() started, else now; each open() does it once (a later open sweeps again).
    const started = this.prepared ?? this.startUp();
    this.prepared = undefined;
    const { swept, sweptNetworks } = await started;
    log('opened', { run: run.runId, hostCpus: this.hostCpus, sweptOrphans: swept, sweptNetworks });
    return {
      run,
      acquire: (spec, signal) => this.acquire(run, spec, signal),
      openNetwork: () => this.openNetwork(run),
      startService: (spec, signal) => this.startService(run, spec, signal),
      close: () => this.close(run),
    };
  }

  /** Creates the run's bridge network (labelled like its containers, swept like them); one per run. */
  private async openNetwork(run: RunContext): Promise<string> {
    const existing = this.networks.get(run.runId);
    if (existing) return existing;
    const name = await createRunNetwork(this.docker, run).catch((e: unknown) => {
      throw isDaemonGone(e) ? daemonGoneMessage(this.opts, 'while creating the run\'s network', e) : e;
    });
    this.networks.set(run.runId, name);
    return name;
  }

  /** Creates and starts a service container on the run's network, reachable by its name. */
  private async startService(run: RunContext, spec: ServiceContainerSpec, signal: AbortSignal): Promise<ServiceLease> {
    await this.resolveImage(spec.image);
    const runId = run.runId;
    const lease = await startServiceContainer(this.docker, { ...spec, labels: { ...run.labels, ...spec.labels } }, runId,
      (id) => this.track(id, { runId }), (id) => this.untrack(id))
      .catch((e: unknown) => { throw isDaemonGone(e) ? daemonGoneMessage(this.opts, `while starting service ${spec.path}`, e) : e; });
    this.track(lease.id, { runId, service: lease });
    if (signal.aborted) { await lease.dispose(); throw signal.reason ?? new Error('aborted'); }
    return lease;
  }

  /** Inspects the image (pulling when absent); ImageNotFoundError names it when it cannot be had. */
  resolveImage(ref: string): Promise<{ id: string; workdir?: string; shell?: string }> {
    let found = this.images.get(ref);
    if (!found) {
      found = fetchImage(this.docker, ref, this.opts.pullTimeoutMs ?? 60_000).catch((e: unknown) => {
        throw isDaemonGone(e) ? daemonGoneMessage(this.opts, `while looking up image "${ref}"`, e) : e;
      });
      // A failed lookup is not cached: the user may build the image and retry in the same process.
      found.catch(() => this.images.delete(ref));
      this.images.set(ref, found);
    }
    return found.then((i) => ({ id: i.id, workdir: i.workdir }));
  }

  /** Creates and starts a container for `spec` with the driver as its main process. */
  private async acquire(run: RunContext, spec: ContainerSpec, signal: AbortSignal): Promise<ContainerLease> {
    const image = await this.resolveImage(spec.image);
    const runId = run.runId;
    const plan = buildCreateOptions(spec, {
      runId,
      runLabels: run.labels,
      hostCpus: this.hostCpus,
      socketPath: () => hostSocketPath(this.opts, spec.group),
      baseDir: this.opts.baseDir,
    });
    // The query carries only what belongs there (dockerode would put the whole body in it otherwise).
    const query = { name: plan.options.name, ...(plan.platform !== undefined && { platform: plan.platform }) };
    log('create container', { run: runId, group: spec.group, image: spec.image, cpu: spec.cpu, mem: spec.mem, name: plan.options.name });
    const container = await this.docker.createContainer({ _query: query, _body: plan.options } as unknown as Docker.ContainerCreateOptions)
      .catch((e) => { log('create refused', { group: spec.group, image: spec.image, error: e instanceof Error ? e.message : String(e) }); throw refusal(e, spec, this.opts); });
    this.track(container.id, { runId });
    let lease: DockerContainerLease | undefined;
    try {
      // Attached before start, so no early output is lost (see hijack-attach.ts for why not dockerode's attach).
      const stream = await hijackAttach(this.docker, container);
      await container.start().catch((e) => { throw refusal(e, spec, this.opts); });
      lease = new DockerContainerLease({
        container,
        session: new DriverSession(attachTransport(stream)),
        mem: spec.mem,
        onDisposed: (id) => this.untrack(id),
        connection: this.opts,
        docker: this.docker,
        fileEnv: () => envFileValues(plan),
        workdir: (plan.options as { WorkingDir?: string }).WorkingDir || image.workdir,
      });
      this.track(container.id, { runId, lease });
      log('started container', { id: container.id.slice(0, 12), group: spec.group });
      if (signal.aborted) throw signal.reason ?? new Error('aborted');
      return lease;
    } catch (e) {
      if (lease) await lease.dispose().catch(() => {});
      else await container.remove({ force: true }).catch(() => {}).finally(() => this.untrack(container.id));
      throw e;
    }
  }

  /**
   * Removes every container of `run` (those we track and any the daemon still lists with its label). A
   * daemon that went away cannot be asked to: what it holds of the run is left for the next start's
   * sweep, and the run still ends with its nodes' states rather than a connection error.
   */
  private async close(run: RunContext): Promise<void> {
    const mine = [...this.live.entries()].filter(([, t]) => t.runId === run.runId);
    log('close', { run: run.runId, containers: mine.length });
    await Promise.allSettled(mine.map(([id, t]) => t.lease?.dispose() ?? t.service?.dispose() ?? this.removeById(id)));
    try {
      await removeRunContainers(this.docker, run.runId);
      await removeRunNetworks(this.docker, run.runId);
    } catch (e) {
      if (!isDaemonGone(e)) throw e;
    } finally {
      for (const [id] of mine) this.untrack(id);
      this.networks.delete(run.runId);
    }
  }

  /** Removes every container this provider still holds, whatever the run (used on signals). */
  async disposeAll(): Promise<void> {
    const networks = [...this.networks.values()];
    await Promise.allSettled([...this.live.entries()].map(([id, t]) => t.lease?.dispose() ?? t.service?.dispose() ?? this.removeById(id)));
    await Promise.allSettled(networks.map((n) => this.docker.getNetwork(n).remove()));
  }

  private async removeById(id: string): Promise<void> {
    await this.docker.getContainer(id).remove({ force: true, v: true }).catch(() => {});
    this.untrack(id);
  }

  private track(id: string, t: Tracked): void {
    this.live.set(id, t);
    if (this.opts.handleSignals !== false && !this.unregisterSignals) {
      this.unregisterSignals = registerSignalCleanup(() => this.disposeAll());
    }
  }

  private untrack(id: string): void {
    this.live.delete(id);
    if (this.live.size === 0 && this.unregisterSignals) {
      this.unregisterSignals();
      this.unregisterSignals = undefined;
    }
  }
}

/** The daemon refused a container: a user-fixable option (4xx) becomes one clear error naming the image. */
const refusal = (e: unknown, spec: ContainerSpec, opts: DockerConnectionOptions): unknown => {
  if (e instanceof CaissonError) return e;
  if (isDaemonGone(e)) return daemonGoneMessage(opts, `while creating a container for group ${spec.group}`, e);
  const status = (e as { statusCode?: number }).statusCode;
  const detail = engineMessage(e);
  if (status === 404 && /image/i.test(detail)) return new ImageNotFoundError(spec.image, detail);
  const userFixable = status !== undefined && status >= 400 && status < 500;
  if (userFixable || /\/bin\/sh/.test(detail)) {
    const hint = /\/bin\/sh/.test(detail) ? '; the Docker runtime needs /bin/sh in the image' : '; check the node\'s dockerRunArgs, cpu and mem';
    return new RuntimeOptionError(`group ${spec.group}: Docker refused a container for image "${spec.image}": ${detail.trim()}${hint}`, { path: spec.group, image: spec.image, cause: e });
  }
  return e;
};

/** The env files' values for one command, less what the container's own -e sets (that wins, as in docker). */
const envFileValues = (plan: CreatePlan): Record<string, string> => {
  if (plan.envFiles.length === 0) return {};
  const values = readEnvFiles(plan.envFiles);
  for (const key of plan.containerEnvKeys) delete values[key];
  return values;
};
