/**
 * One run of a pipeline IR: its statuses, its event stream, and the operations a user can apply while
 * it runs or between starts (reset, skip, kill, edit).
 */
import type { PipelineIR } from '../ir/index.ts';
import type { ContainerSpec, RunContext, RuntimeProvider, RuntimeSession } from '../runtime/index.ts';
import { ImageUnresolvedError, RunOperationError } from '../errors.ts';
import type { Clock } from './clock.ts';
import type { RunEvent } from './events.ts';
import { FINISHED_STATES } from './events.ts';
import type { Capacity } from './capacity.ts';
import { ContainerPool } from './container-pool.ts';
import { FAILED } from './derive.ts';
import { EventHub } from './event-hub.ts';
import { KILLED_BY_USER } from './exec-runner.ts';
import type { ResourceGate } from './gates.ts';
import type { RunExec, RunNode } from './run-node.ts';
import { isSkipped } from './run-node.ts';
import { RunTree, shownState } from './run-tree.ts';
import { RESET_DETAIL, Scheduler } from './scheduler.ts';
import { ExecCache } from './exec-cache.ts';
import { cloneIr } from './clone-ir.ts';
import type { CreateRunOptions, NodeStatus, RunImage, RunResult } from './types.ts';
import type { SecretSource } from '../secrets/secret-source.ts';
import { RunSecrets } from '../secrets/run-secrets.ts';
import { secretNames } from '../secrets/secret-names.ts';
import { maskDebugLines } from '../debug-log.ts';
import { RunGrafts } from './run-grafts.ts';
import { execNodes } from '../ir/walk.ts';
import type { NativeBundler } from '../native/contract.ts';
import { BUNDLE_MOUNT, prepareInvocation, type NativeInvocation } from '../native/invocation.ts';
import { unbundled } from '../native/unbundled.ts';
import { RunServices } from './services.ts';
import { RunHooks } from './hooks.ts';
import { backendSettingsOf, refuseGpus, refuseUnhonoured } from './backend-settings.ts';
import { RunArtifacts } from '../artifacts/run-artifacts.ts';
import { withArtifactKeyParts } from './artifact-key.ts';
import { MemoryArtifactStore, type ArtifactStore } from '../artifacts/artifact-store.ts';
import { DATA_FILES, RunData } from '../data/run-data.ts';
import { MemoryDataStore, type DataStore } from '../data/data-store.ts';

/** Default secret source: the runner's environment. */
const envSecrets: SecretSource = { get: (n) => process.env[n], howToSet: (n) => `export ${n}=… in the runner's environment` };

/** Label every container of a run carries. */
export const RUN_LABEL = 'dev.caisson.run';
/** Label naming the container's reuse group. */
export const GROUP_LABEL = 'dev.caisson.group';

/** Everything a Run needs from its Engine. */
export interface RunDeps { runtime: RuntimeProvider; clock: Clock; capacity: Capacity; budget: ResourceGate; native?: NativeBundler | undefined }

/**
 * One execution of a pipeline, made by `Engine.createRun()`: start it, watch its events and statuses,
 * and reset, skip, kill or edit nodes while it runs or between starts. Its IR is its own copy.
 */
export class Run {
  /** The run id (also the dev.caisson.run label value). */
  readonly id: string;
  /** The run's own copy of the IR; edit() changes it. */
  ir: PipelineIR;
  private readonly hub = new EventHub();
  private readonly tree: RunTree;
  private readonly pool: ContainerPool;
  private readonly scheduler: Scheduler;
  private readonly services: RunServices;
  private readonly hooks: RunHooks;
  // The run's network while a start() goes on (pipelines with services only); every container joins it.
  private network: string | undefined;
  private readonly context: RunContext;
  // The runtime's session for this run while a start() goes on (opened first, closed last).
  private session: RuntimeSession | undefined;
  private current: Promise<RunResult> | undefined;
  // Read afresh by each start(), before anything runs (see RunSecrets for why all of them at once).
  private secrets = RunSecrets.none;
  // One labels object per reuse group: 10,000 Execs should not mean 10,000 copies.
  private readonly groupLabels = new Map<string, Record<string, string>>();
  // What containers are created from; a rebuild while the run goes on replaces entries (useImages).
  private images: Record<string, string | RunImage>;
  private readonly grafts: RunGrafts;

  // Every container of a run with native calls mounts the bundle folder: containers are shared, so one
  // created for a shell command may later run a call.
  private readonly nativeMounts: ContainerSpec['mounts'];
  /** Where this run's artifacts are kept (CreateRunOptions.artifacts, else in memory). */
  readonly artifacts: ArtifactStore;
  /** This run's data store (CreateRunOptions.data, else in memory): what `caisson-data` reads and writes. */
  readonly data: DataStore;

  /** @internal Use `Engine.createRun()`, which supplies the runtime, clock and shared resource budget. */
  constructor(ir: PipelineIR, id: string, private readonly deps: RunDeps, private readonly opts: CreateRunOptions = {}) {
    this.id = id;
    this.ir = cloneIr(ir);
    this.context = { runId: id, labels: { ...opts.labels, [RUN_LABEL]: id } };
    this.images = { ...opts.images };
    this.artifacts = opts.artifacts ?? new MemoryArtifactStore();
    this.data = opts.data ?? new MemoryDataStore();
    const runData = new RunData(this.data);
    // A container's data store writes are read back before it goes (see RunData).
    this.pool = new ContainerPool({ session: () => this.openSession(), warms: deps.runtime.capabilities.warmContainers }, (lease) => runData.release(lease));
    const nodeAt = (path: string) => { try { return this.tree.get(path); } catch { return undefined; } };
    // Only on a runtime that can bind-mount host paths: elsewhere the bundle is copied in (nativeFor).
    this.nativeMounts = deps.native && deps.runtime.capabilities.hostMounts && execNodes(this.ir.root).some(({ node }) => node.call)
      ? [{ source: deps.native.dir, target: BUNDLE_MOUNT, readOnly: true }] : [];
    const emit = (e: RunEvent) => this.hub.emit(e);
    this.services = new RunServices(this.ir.root, {
      runtimeName: deps.runtime.name, session: () => this.openSession(), clock: deps.clock, context: this.context, emit,
      imageRef: (name) => this.imageNamed(name, name).ref, secrets: () => this.secrets,
    }, opts.initial);
    this.hooks = new RunHooks(this.ir.root, {
      runtime: deps.runtime, session: () => this.session, clock: deps.clock, runId: id, pipeline: this.ir.name, context: this.context, emit,
      scrub: (text) => this.secrets.scrub(text),
    }, opts.firedHooks);
    if (this.hooks.any) this.hub.on((e) => this.hooks.onEvent(e));
    this.tree = new RunTree(this.ir.root, deps.clock, emit, {
      stateChanged: (n) => {
        if (!FINISHED_STATES.has(n.state)) return;
        if (n.ir.reuse === 'new') this.pool.disposeGroup(n.path);
        if (n.kind !== 'exec' && n.ir.services) this.services.groupEnded(n.path);
      },
      childChanged: (p, c) => this.scheduler.childChanged(p, c),
    }, opts.initial);
    this.scheduler = new Scheduler(this.tree, deps.budget, deps.capacity, {
      clock: deps.clock, runId: id, pool: this.pool, emit, specFor: (n) => this.specFor(n),
      nativeFor: (n, resultFile) => this.nativeFor(n, resultFile), runtimeName: deps.runtime.name,
      commandOptionsFor: (n) => { const { shell, workdir } = this.imageFor(n); return { shell, workdir }; },
      secrets: () => this.secrets,
      prepareGraft: (n, text, signal) => this.grafts.prepare(n, text, signal),
      applyGraft: (g) => this.grafts.apply(g),
      ...(opts.cache ? {
        // A consumer's key holds its input artifacts' hashes (artifact-key.ts).
        cache: new ExecCache({ ...opts.cache, extraKeyParts: withArtifactKeyParts(opts.cache.extraKeyParts, this.artifacts) }, {
          runId: id, clock: deps.clock, emit, root: () => this.ir.root,
          keyOf: (path) => { const n = this.tree.get(path); return n.kind === 'exec' ? n.cacheKey : undefined; },
          imageOf: (n) => this.imageFor(n),
        }),
      } : {}),
      ...(this.services.any && { services: this.services }),
      artifacts: new RunArtifacts(this.artifacts, deps.runtime.name, nodeAt),
      data: runData,
    });
    this.grafts = new RunGrafts({
      ir: () => this.ir, tree: this.tree, clock: deps.clock, emit,
      secretNames: () => new Set(secretNames(this.ir)),
      resolveImages: opts.resolveImages,
      useImages: (images) => this.useImages(images),
      stopUnder: (n) => this.resetSubtree(n),
    });
  }

  /** Subscribes to every event of this run; returns the unsubscribe function. */
  on(listener: (e: RunEvent) => void): () => void { return this.hub.on(listener); }

  /** Events from now until the current (or next) start() finishes, run-finished included. */
  events(): AsyncIterable<RunEvent> { return this.hub.iterate(); }

  /** The status of the node at `path` (NodeNotFoundError for an unknown path). */
  status(path: string): NodeStatus { return this.services.status(path) ?? this.tree.statusOf(this.tree.get(path)); }

  /** Every node's status, keyed by path (services included, see core/engine/services.ts). */
  statuses(): Record<string, NodeStatus> { return { ...this.tree.statuses(), ...this.services.statuses() }; }

  /**
   * Executes what is pending and resolves when nothing more can run. `signal` cancels: running nodes
   * are killed (reason "cancelled"), the rest stay pending, containers are disposed, the promise
   * resolves. Calling start() while a start is under way returns that start's promise.
   */
  start(opts: { signal?: AbortSignal } = {}): Promise<RunResult> {
    this.current ??= this.execute(opts.signal).finally(() => { this.current = undefined; });
    return this.current;
  }

  /**
   * Puts the node and its subtree back to pending (in-progress Execs are stopped); attempts are kept.
   * A lazy node's generator in the subtree has its graft taken back to the placeholder, so it runs and
   * generates again. A cached Exec reset so runs again without looking the cache up (its fresh result
   * is stored). Returns true when that changed the run's IR (save it, as after an edit).
   */
  reset(path: string): boolean {
    const n = this.tree.get(path);
    this.resetSubtree(n);
    const ungrafted = this.grafts.ungraftUnder(n);
    this.scheduler.rescan();
    return ungrafted;
  }

  private resetSubtree(n: RunNode): void {
    this.scheduler.resetInProgress(n);
    this.forSubtree(n, (d) => {
      if (d.kind === 'exec' && d.state !== 'pending' && !this.scheduler.isInFlight(d)) this.tree.setExecState(d, 'pending', RESET_DETAIL);
    });
  }

  /** Skips the node: it and its subtree are passed over and neither block nor fail the parent. */
  skip(path: string): void {
    const n = this.tree.get(path);
    this.scheduler.skipped(n);
    this.tree.setSkipFlag(n, true);
    this.scheduler.rescan();
  }

  /** Clears skip on the node and everything under it (a skipped ancestor still covers it). */
  unskip(path: string): void {
    this.forSubtree(this.tree.get(path), (d) => this.tree.setSkipFlag(d, false));
    this.scheduler.rescan();
  }

  /** Kills the running (and queued) Execs at or under `path`: state killed, reason "killed by user". */
  kill(path: string): void { this.scheduler.kill(this.tree.get(path), KILLED_BY_USER); }

  /** Replaces an Exec's command and/or env for its next attempt (this run only, not the script). */
  edit(path: string, change: { command?: string | string[]; env?: Record<string, string>; args?: unknown[] }): void {
    const n = this.tree.get(path);
    if (n.kind !== 'exec') {
      throw new RunOperationError(`cannot edit ${n.path}: it is a ${n.kind}; only Exec nodes have a command and env, edit one of its Execs`, { path: n.path, operation: 'edit' });
    }
    const ir = n.ir;
    if (change.command !== undefined) {
      ir.command = Array.isArray(change.command) ? [...change.command] : change.command;
      delete ir.call; // a native node given a command runs that command instead
    }
    if (change.args !== undefined) {
      if (!ir.call) throw new RunOperationError(`cannot edit the args of ${n.path}: it runs a command, not a native function`, { path: n.path, operation: 'edit' });
      ir.call = { ...ir.call, args: structuredClone(change.args) };
    }
    if (change.env !== undefined) ir.env = { ...change.env };
  }

  /**
   * Replaces the images of the names given (a rebuild): Execs that start from now on use them, in new
   * containers (a container's image is part of its reuse key). Running Execs are not touched; reset them.
   */
  useImages(images: Record<string, string | RunImage>): void {
    this.images = { ...this.images, ...images };
  }

  private async execute(signal: AbortSignal | undefined): Promise<RunResult> {
    const { runtime, clock } = this.deps;
    this.hub.emit({ type: 'run-started', at: clock.now(), runId: this.id, pipeline: this.ir.name });
    this.secrets = new RunSecrets(this.opts.secrets ?? envSecrets, secretNames(this.ir));
    // Debug lines written while the run executes are masked with its secrets (a plugin's too).
    const unmask = maskDebugLines(this.secrets.scrub.bind(this.secrets));
    let failure: unknown;
    try {
      try {
        this.session = await runtime.open(this.context);
        this.network = await this.services.open();
        const onAbort = () => this.scheduler.cancel();
        signal?.addEventListener('abort', onAbort, { once: true });
        try {
          if (!signal?.aborted) await this.scheduler.run();
        } finally {
          signal?.removeEventListener('abort', onAbort);
        }
      } catch (err) {
        failure = err;
      }
      // The hooks the run's last events fired, before its containers and network go (a container hook needs the runtime).
      await this.hooks.drain();
      await Promise.all([this.pool.disposeAll(), this.services.stopAll()]);
      this.network = undefined;
      try { await this.session?.close(); } catch (err) { failure ??= err; }
      this.session = undefined;
    } finally {
      unmask();
    }
    this.hub.emit({ type: 'run-finished', at: clock.now(), runId: this.id, state: shownState(this.tree.root) });
    if (failure !== undefined) throw failure;
    return this.result();
  }

  private result(): RunResult {
    const failed = this.tree.nodes
      .filter((n) => n.kind === 'exec' && FAILED(n.state) && !isSkipped(n))
      .map((n) => n.path);
    return { state: shownState(this.tree.root), failed, statuses: this.statuses() };
  }

  /** The session of the start() under way; containers and services are only asked for while one is. */
  private openSession(): RuntimeSession {
    if (!this.session) throw new Error(`engine: run ${this.id} asked the ${this.deps.runtime.name} runtime for a container outside start()`);
    return this.session;
  }

  /** The image an Exec runs in: the run's resolved one, else the IR's reference (and shell, if set). */
  private imageFor(n: RunExec): RunImage { return this.imageNamed(n.ir.image, n.path); }

  private imageNamed(name: string, path: string): RunImage {
    const given = this.images[name];
    if (typeof given === 'string') return { ref: given };
    if (given) return given;
    const spec = this.ir.images[name];
    if (spec?.kind !== 'ref') {
      throw new ImageUnresolvedError({ path, image: name, ...(spec && { kind: spec.kind === 'custom' ? spec.provider : spec.kind }) });
    }
    return { ref: spec.ref, ...(spec.shell ? { shell: spec.shell } : {}) };
  }

  private specFor(n: RunExec): ContainerSpec {
    const ir = n.ir;
    const image = this.imageFor(n).ref;
    let labels = this.groupLabels.get(ir.container);
    if (!labels) this.groupLabels.set(ir.container, (labels = { ...this.context.labels, [GROUP_LABEL]: ir.container }));
    // Settings the runtime does not honour fail the node here, before any container is asked for.
    const backend = backendSettingsOf(ir);
    refuseUnhonoured(backend, n.path, this.deps.runtime);
    refuseGpus(ir.gpu, n.path, this.deps.runtime);
    return {
      image, cpu: ir.cpu, mem: ir.mem, gpu: ir.gpu, backend, mounts: this.nativeMounts, group: ir.container, labels,
      ...(this.network !== undefined && { network: this.network }),
      files: DATA_FILES,
    };
  }

  /** The run's native calls: the bundler, the folder module paths are relative to, the mount every container gets. */
  private nativeFor(n: RunExec, resultFile: string): Promise<NativeInvocation> {
    const bundler = this.deps.native ?? unbundled;
    // A lazy generator function returns a builder: its bundle carries the real caisson to build it with.
    // A runtime that cannot mount the bundle folder (Swarm: the task may be on another machine) gets the
    // bundle copied into the container instead.
    return prepareInvocation(n.ir.call!, {
      baseDir: this.opts.baseDir ?? process.cwd(), bundler, resultFile, ...(n.ir.graft ? { keepCaisson: true } : {}),
      ...(!this.deps.runtime.capabilities.hostMounts ? { copyBundle: true } : {}),
    });
  }

  private forSubtree(n: RunNode, visit: (d: RunNode) => void): void {
    visit(n);
    for (const c of n.children) this.forSubtree(c, visit);
  }
}
