/**
 * The Docker Swarm runtime: each lease is one Swarm service (a replicated job of one task, never
 * restarted by Swarm) whose task runs Caisson's driver and calls the runner back (swarm-channel.ts), so
 * commands, kills and file copies reach it on whichever node Swarm placed it. Images go through a
 * registry and tasks run them by digest (swarm-image.ts). Reuse keeps its meaning: one lease, one task,
 * one file system, as one container on Docker.
 */
import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import {
  publishRegistry, RuntimeOptionError, RuntimeUnavailableError,
  type ContainerLease, type ContainerSpec, type RunContext, type RuntimeCapabilities, type RuntimeDebug, type RuntimeProvider, type RuntimeSession,
} from '../../core/index.ts';
import { debugLog } from '../../core/plugin-kit.ts';
import { createDockerClient, daemonGoneMessage, isDaemonGone, pingDaemon, type DockerConnectionOptions } from './connection.ts';
import { DEBUG_SCRIPT, startDebugContainer } from './debug-container.ts';
import { getOwnerLabels, LABEL_GROUP, LABEL_RUN } from './labels.ts';
import { registerSignalCleanup } from './signal-cleanup.ts';
import { CallbackChannel } from './swarm-channel.ts';
import { connectorCommand } from './swarm-connector.ts';
import { checkRegistry, SwarmImages } from './swarm-image.ts';
import { SwarmTaskLease } from './swarm-lease.ts';
import { describeTask, removeService, serviceSpec, taskOf, waitForTask } from './swarm-service.ts';
import { removeRunServices, sweepOrphanServices } from './swarm-sweep.ts';

const log = debugLog('swarm');

/** Options of the Swarm runtime. */
export interface SwarmRuntimeOptions extends DockerConnectionOptions {
  /**
   * The registry every node pulls task images from, host[:port]. Default: `CAISSON_REGISTRY`, else
   * "127.0.0.1:5000" (what `scripts/setup-swarm.sh` starts; right for a one-machine swarm only).
   */
  registry?: string;
  /**
   * The address of this machine that tasks connect back to. Default: `CAISSON_SWARM_CALLBACK`, else the
   * manager's Swarm address unless it is a loopback one, else each task's default gateway (a one-machine swarm).
   */
  callbackHost?: string;
  /** The address the call-back listener binds (default every address; `CAISSON_SWARM_LISTEN`). */
  listenHost?: string;
  /** An image with a static busybox at /bin/busybox, added to every task image (default `CAISSON_SWARM_TOOLS_IMAGE`, else "busybox:latest"). */
  toolsImage?: string;
  /**
   * Reserve each task's cpu and mem on its node (Swarm then places no more tasks on a node than it holds),
   * besides limiting them. Default: `CAISSON_SWARM_RESERVE=1`, else off. Off by default because an idle
   * reused container keeps its reservation while the engine holds it for a later node: on a cluster
   * smaller than the run's `--cpu`/`--mem` budget, tasks would wait for the run's own idle ones. Turn it
   * on with a budget (`--cpu`, `--mem`) no larger than the cluster.
   */
  reserve?: boolean;
  /** Placement constraints for every task ("node.role==worker"). */
  constraints?: string[];
  /** Remove this provider's services on SIGINT/SIGTERM, then re-raise the signal (default true). */
  handleSignals?: boolean;
  /** How long an image pull may take before the image counts as not found (default 60 s). */
  pullTimeoutMs?: number;
}

/** A lease this provider started, by service id. */
interface Tracked { runId: string; lease?: SwarmTaskLease }

const isLoopback = (addr: string): boolean => /^127\.|^::1$|^localhost$/.test(addr);

/**
 * The RuntimeProvider backed by a Docker Swarm manager (via dockerode). Register it with `dockerSwarm(opts)`
 * or `caisson run --runtime swarm`.
 */
export class SwarmRuntimeProvider implements RuntimeProvider {
  /** Shown in messages. */
  readonly name = 'swarm';
  /**
   * Images come from a registry (this provider pushes them, with its tools layer); no host path can be
   * mounted (a task may land on any node), so native calls and `debug --live` are refused by the engine;
   * no Docker settings (requiresDocker, dockerRunArgs) either. A task takes Swarm a scheduling round to
   * start: the engine starts a Serial's next one early.
   */
  readonly capabilities: RuntimeCapabilities = { images: 'registry', hostMounts: false, native: 'bundled', warmContainers: true, backendSettings: [], gpus: false };
  /**
   * `caisson debug` and the UI's shell open a container on the manager's own daemon, where the run's
   * images were built: the same debug container as the Docker runtime's, not a task on the cluster.
   */
  readonly debug: RuntimeDebug = { script: DEBUG_SCRIPT, start: (spec) => startDebugContainer(spec, this.opts) };
  /** The manager's dockerode client. */
  readonly docker: Docker;
  private readonly channel: CallbackChannel;
  private readonly images: SwarmImages;
  private readonly runs = new Map<string, RunContext>();
  private readonly live = new Map<string, Tracked>();
  private callbackHost: string | undefined;
  private largestNode = { nanoCpus: Number.MAX_SAFE_INTEGER, memoryBytes: Number.MAX_SAFE_INTEGER };
  private unregisterSignals: (() => void) | undefined;

  /** @param opts how to reach the manager, the registry and the runner; nothing is contacted until open(). */
  constructor(private readonly opts: SwarmRuntimeOptions = {}) {
    this.docker = createDockerClient(opts);
    this.channel = new CallbackChannel(opts.listenHost ?? (process.env.CAISSON_SWARM_LISTEN || undefined));
    this.images = new SwarmImages(this.docker, {
      registry: () => this.registry,
      toolsImage: opts.toolsImage ?? (process.env.CAISSON_SWARM_TOOLS_IMAGE || 'busybox:latest'),
      pullTimeoutMs: opts.pullTimeoutMs ?? 60_000,
    });
  }

  /** The registry task images go to (a UsageError naming CAISSON_REGISTRY when it is not host[:port]). */
  get registry(): string {
    return publishRegistry(this.opts.registry);
  }

  /**
   * Checks the daemon answers and is a Swarm manager, learns the nodes' sizes and where tasks call back,
   * starts the call-back listener, and removes services whose owner process is gone.
   */
  async open(run: RunContext): Promise<RuntimeSession> {
    await pingDaemon(this.docker, this.opts);
    const info = (await this.docker.info()) as { Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean; NodeAddr?: string } };
    if (info.Swarm?.LocalNodeState !== 'active' || !info.Swarm.ControlAvailable) {
      throw new RuntimeUnavailableError(`the Docker daemon is not a Swarm manager (swarm state: ${info.Swarm?.LocalNodeState || 'inactive'}); `
        + 'run `docker swarm init` on it (for one machine: `docker swarm init --advertise-addr 127.0.0.1`), or point DOCKER_HOST at a manager');
    }
    this.runs.set(run.runId, run);
    const configured = this.opts.callbackHost ?? (process.env.CAISSON_SWARM_CALLBACK || undefined);
    const nodeAddr = info.Swarm.NodeAddr;
    this.callbackHost = configured ?? (nodeAddr && !isLoopback(nodeAddr) ? nodeAddr : undefined);
    const nodes = (await this.docker.listNodes()) as Array<{ Description?: { Resources?: { NanoCPUs?: number; MemoryBytes?: number } } }>;
    const sizes = nodes.map((n) => n.Description?.Resources ?? {});
    this.largestNode = {
      nanoCpus: Math.max(...sizes.map((s) => s.NanoCPUs ?? 0)) || Number.MAX_SAFE_INTEGER,
      memoryBytes: Math.max(...sizes.map((s) => s.MemoryBytes ?? 0)) || Number.MAX_SAFE_INTEGER,
    };
    // Before anything runs: a registry that does not answer would fail every node, one by one.
    await checkRegistry(this.registry);
    await this.channel.start();
    const swept = await sweepOrphanServices(this.docker);
    log('opened', { run: run.runId, nodes: nodes.length, callback: this.callbackHost ?? 'gateway', registry: this.registry, swept: swept.length });
    return { run, acquire: (spec, signal) => this.acquire(run, spec, signal), close: () => this.close(run) };
  }

  /** Starts a task for `spec` (its image pushed first) and resolves once its driver has called back. */
  private async acquire(run: RunContext, spec: ContainerSpec, signal: AbortSignal): Promise<ContainerLease> {
    refuseUnsupported(spec);
    const image = await this.images.prepare(spec.image);
    const runId = run.runId;
    const port = await this.channel.start();
    const link = this.channel.expect();
    const labels = { ...run.labels, ...spec.labels, ...getOwnerLabels(), [LABEL_RUN]: runId, [LABEL_GROUP]: spec.group };
    const name = `caisson-${runId.slice(-8).toLowerCase().replace(/[^a-z0-9]/g, '')}-${randomBytes(4).toString('hex')}`;
    const body = serviceSpec(spec, {
      name, image: image.ref, labels, constraints: this.opts.constraints ?? [],
      ...((this.opts.reserve ?? process.env.CAISSON_SWARM_RESERVE === '1') && { reserveUpTo: this.largestNode }),
      ...connectorCommand({ host: this.callbackHost, port, token: link.token, ...(spec.files && { files: spec.files }) }),
    });
    log('create service', { run: runId, group: spec.group, image: image.ref, name });
    const created = await this.docker.createService(body as unknown as Docker.CreateServiceOptions).catch((e: unknown) => {
      this.channel.forget(link);
      throw isDaemonGone(e) ? daemonGoneMessage(this.opts, `while creating a Swarm service for group ${spec.group}`, e) : e;
    }) as { id?: string; ID?: string };
    const serviceId = created.id ?? created.ID ?? '';
    this.track(serviceId, { runId });
    try {
      await waitForTask(this.docker, serviceId, link, spec, signal);
      const lease = new SwarmTaskLease({
        serviceId, link, mem: spec.mem, workdir: image.workdir,
        describeEnd: async () => describeTask(await taskOf(this.docker, serviceId)),
        remove: async () => {
          this.channel.forget(link);
          try { await removeService(this.docker, serviceId); } catch (e) { if (!isDaemonGone(e)) throw e; } finally { this.untrack(serviceId); }
        },
      });
      this.track(serviceId, { runId, lease });
      return lease;
    } catch (e) {
      this.channel.forget(link);
      await removeService(this.docker, serviceId).catch(() => {});
      this.untrack(serviceId);
      throw e;
    }
  }

  /** Removes every service of `run`: those tracked here and any the manager still lists with its label. */
  private async close(run: RunContext): Promise<void> {
    const mine = [...this.live.entries()].filter(([, t]) => t.runId === run.runId);
    await Promise.allSettled(mine.map(([id, t]) => t.lease?.dispose() ?? removeService(this.docker, id)));
    try {
      await removeRunServices(this.docker, run.runId);
    } catch (e) {
      if (!isDaemonGone(e)) throw e;
    } finally {
      for (const [id] of mine) this.untrack(id);
      this.runs.delete(run.runId);
      if (this.runs.size === 0) await this.channel.close();
    }
  }

  /** Removes every service this provider still holds, whatever the run (used on signals). */
  async disposeAll(): Promise<void> {
    await Promise.allSettled([...this.live.entries()].map(([id, t]) => t.lease?.dispose() ?? removeService(this.docker, id)));
  }

  private track(id: string, t: Tracked): void {
    this.live.set(id, t);
    if (this.opts.handleSignals !== false && !this.unregisterSignals) this.unregisterSignals = registerSignalCleanup(() => this.disposeAll());
  }

  private untrack(id: string): void {
    this.live.delete(id);
    if (this.live.size === 0 && this.unregisterSignals) { this.unregisterSignals(); this.unregisterSignals = undefined; }
  }
}

/**
 * What a Swarm task cannot be given beyond what the capabilities already keep away (Docker settings, host
 * mounts, GPUs; the engine fails those nodes itself): one clear error naming the group and the option.
 */
const refuseUnsupported = (spec: ContainerSpec): void => {
  const refuse = (option: string, why: string) => {
    throw new RuntimeOptionError(`group ${spec.group}: ${option} is not supported by the Swarm runtime: ${why}`, { path: spec.group, image: spec.image, flag: option });
  };
  if (spec.network) refuse('services', 'service nodes need an overlay network, which the Swarm runtime does not create yet; run the pipeline with --runtime docker');
};
