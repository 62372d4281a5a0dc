/**
 * FakeRuntimeProvider: a RuntimeProvider that runs nothing. Each command follows a script looked up by
 * node path (exit code, output, virtual duration, hang, failure) and every call is recorded, so a
 * pipeline's logic can be tested in milliseconds without Docker.
 */
import { posix } from 'node:path';
import type { CommandResult, CommandSpec, ContainerLease, ContainerSpec, RunContext, RuntimeCapabilities, RuntimeProvider, RuntimeSession, ServiceContainerSpec, ServiceLease } from '../../core/index.ts';
import { checkServiceScript, startFakeService, type FakeServiceRecord, type ServiceScript } from './fake-service.ts';
import { ImageNotFoundError, LeaseError } from '../../core/index.ts';
import { runInProcess } from './native-in-process.ts';
import { writeTar } from '../../core/plugin-kit.ts';
import type { FakeCall, FakeContainer } from './records.ts';
import type { Script, ScriptSpec } from './script.ts';
import { durationMs, scriptFor } from './script.ts';
import { VirtualClock } from './virtual-clock.ts';
import { FakeFiles } from './fake-files.ts';

/**
 * A RuntimeProvider for tests: commands follow per-node scripts on a virtual clock instead of running,
 * and every container and command is recorded for assertions. Use it through `runFake()` or
 * `fakeRuntime(fake)`.
 */
export class FakeRuntimeProvider implements RuntimeProvider {
  /** "fake". */
  readonly name = 'fake';
  /**
   * Off by default, so `containers` lists containers in the order Execs asked for them. Set it to
   * test what the engine does on a backend that warms containers ahead of need (Docker does).
   */
  warmContainers = false;
  /**
   * No images (placeholders, nothing built: see placeholderImages); mounts and the `docker` settings are
   * recorded as Docker would take them (the fake is Docker's test double); native calls run in-process;
   * warmContainers as set above.
   */
  get capabilities(): RuntimeCapabilities {
    return { images: 'none', hostMounts: true, native: 'in-process', warmContainers: this.warmContainers, backendSettings: ['docker'] };
  }
  /** The virtual clock: hand it to the Engine so durations and maxTime cost no real time. */
  readonly clock: VirtualClock;
  /** Every command run, in start order. */
  readonly calls: FakeCall[] = [];
  /** Every container acquired, in order. */
  readonly containers: FakeContainer[] = [];
  /** Contexts passed to open(), in order. */
  readonly opened: RunContext[] = [];
  /** Contexts passed to close(), in order. */
  readonly closed: RunContext[] = [];
  /** Every service container started, in order (see fake-service.ts). */
  readonly services: FakeServiceRecord[] = [];
  /** Every network opened for a run: its name, labels, and whether close() removed it. */
  readonly networks: { name: string; labels: Record<string, string>; removed: boolean }[] = [];
  private readonly serviceScripts = new Map<string, ServiceScript>();
  /**
   * True: copying out a path no script wrote gives an empty folder of that name instead of nothing, so
   * declared outputs exist without scripts (`caisson run --runtime fake`); a glob still matches nothing.
   */
  placeholderOutputs = false;
  private readonly scripts = new Map<string, ScriptSpec>();
  private defaultScript: ScriptSpec = {};
  private readonly imageFailures = new Map<string, Error>();
  private readonly attempts = new Map<string, number>();

  /** @param clock a clock to share (default: a new VirtualClock) */
  constructor(clock: VirtualClock = new VirtualClock()) { this.clock = clock; }

  /**
   * Scripts the node at `path` (e.g. "/ci/checks/unit"): one Script, one per attempt (`[{ exitCode: 1 },
   * {}]` fails then succeeds), or a function of the attempt. Returns the provider, for chaining.
   */
  script(path: string, spec: ScriptSpec): this {
    validate(spec, path);
    this.scripts.set(path, spec);
    return this;
  }

  /** Scripts the service at `path` (e.g. "/ci/test/db"): readiness, output, exit (see ServiceScript). */
  service(path: string, script: ServiceScript): this {
    checkServiceScript(script, path);
    this.serviceScripts.set(path, script);
    return this;
  }

  /** The service containers started for one service path, in order. */
  servicesOf(path: string): FakeServiceRecord[] { return this.services.filter((s) => s.spec.path === path); }

  /** Records a network for the run ("caisson-<run id>"); the session's openNetwork(). */
  async openNetwork(run: RunContext): Promise<string> {
    const name = `caisson-${run.runId}`;
    this.networks.push({ name, labels: { ...run.labels }, removed: false });
    return name;
  }

  /**
   * Starts a scripted service container (throws the script's `fail`, or what failImage() set for its
   * image); the session's startService().
   */
  async startService(spec: ServiceContainerSpec, signal: AbortSignal): Promise<ServiceLease> {
    const script = this.serviceScripts.get(spec.path) ?? {};
    const failure = script.fail ?? this.imageFailures.get(spec.image);
    if (failure) throw failure;
    signal.throwIfAborted();
    const { lease, record } = startFakeService(spec, script, this.clock, `fake-svc-${this.services.length + 1}`);
    this.services.push(record);
    return lease;
  }

  /** The script for every node that has none of its own (default: exit 0 at once). */
  scriptDefault(spec: ScriptSpec): this {
    validate(spec, '(default)');
    this.defaultScript = spec;
    return this;
  }

  /** Makes acquire() of containers from image `ref` throw (default: ImageNotFoundError). */
  failImage(ref: string, error: Error = new ImageNotFoundError(ref, 'scripted by the fake runtime')): this {
    this.imageFailures.set(ref, error);
    return this;
  }

  /** Paths of the commands run, in start order. */
  ran(): string[] { return this.calls.map((c) => c.path); }

  /** The calls of one node, in order (one per attempt). */
  callsOf(path: string): FakeCall[] { return this.calls.filter((c) => c.path === path); }

  /**
   * Records the run context and returns the run's session, whose calls land in this provider's
   * acquire(), openNetwork(), startService() and close() with the run (a test may override those).
   */
  async open(run: RunContext): Promise<RuntimeSession> {
    this.opened.push(run);
    return {
      run,
      acquire: (spec, signal) => this.acquire(spec, signal, run),
      openNetwork: () => this.openNetwork(run),
      startService: (spec, signal) => this.startService(spec, signal),
      close: () => this.close(run),
    };
  }

  /**
   * Creates a recorded container for `run`, or throws what failImage() scripted for its image; the
   * session's acquire().
   */
  async acquire(spec: ContainerSpec, signal: AbortSignal, run: RunContext): Promise<ContainerLease> {
    const failure = this.imageFailures.get(spec.image);
    if (failure) throw failure;
    signal.throwIfAborted();
    const record: FakeContainer = { id: `fake-${this.containers.length + 1}`, spec, runId: run.runId, disposed: false, commands: [], files: new FakeFiles() };
    this.containers.push(record);
    return new FakeLease(record, this);
  }

  /**
   * Records the close and removes the run's network; the session's close(). Containers are left alone,
   * so tests can prove the engine disposed them itself.
   */
  async close(run: RunContext): Promise<void> {
    this.closed.push(run);
    for (const n of this.networks) if (n.name === `caisson-${run.runId}`) n.removed = true;
  }

  /** @internal True when a test scripted `path` (a native call then follows the script instead of running). */
  scripted(path: string): boolean { return this.scripts.has(path); }

  /** @internal The script and attempt number for a command. */
  scriptOf(command: CommandSpec): { script: Script; attempt: number } {
    const attempt = command.attempt ?? (this.attempts.get(command.path) ?? 0) + 1;
    this.attempts.set(command.path, attempt);
    return { script: scriptFor(this.scripts.get(command.path) ?? this.defaultScript, attempt), attempt };
  }
}

function validate(spec: ScriptSpec, path: string): void {
  if (typeof spec === 'function') return;
  for (const s of Array.isArray(spec) ? spec : [spec]) durationMs(s, path);
}

/** A fake container: runs scripted commands one at a time and insists the engine never overlaps them. */
class FakeLease implements ContainerLease {
  private busy: string | undefined;
  // Files commands wrote in this container: native calls' replies, lazy generators' subtrees.
  private readonly files = new Map<string, string>();
  /**
   * @param record where this container's state and commands are recorded
   * @param fake the provider whose scripts and clock it uses
   */
  constructor(private readonly record: FakeContainer, private readonly fake: FakeRuntimeProvider) {}

  /** The recorded container's id ("fake-1", "fake-2"…). */
  get id(): string { return this.record.id; }

  /**
   * Plays the node's script for this attempt on the virtual clock and records the call; throws if the
   * container is disposed or already busy, which would be an engine bug.
   */
  async run(command: CommandSpec): Promise<CommandResult> {
    const where = { container: this.id, path: command.path };
    if (this.record.disposed) throw new LeaseError(`fake: ${command.path} ran in container ${this.id} after it was disposed`, where);
    if (this.busy) throw new LeaseError(`fake: ${command.path} ran in container ${this.id} while ${this.busy} was still running in it`, where);
    if (command.readsFile !== undefined) return this.serveFile(command, command.readsFile);
    this.busy = command.path;
    const { script, attempt } = this.fake.scriptOf(command);
    const clock = this.fake.clock;
    const call: FakeCall = {
      path: command.path, attempt, image: this.record.spec.image, env: { ...command.env },
      command: Array.isArray(command.command) ? [...command.command] : command.command,
      ...(command.shell !== undefined ? { shell: command.shell } : {}),
      ...(command.workdir !== undefined ? { workdir: command.workdir } : {}),
      containerId: this.id, start: clock.now(), killed: false,
      ...(command.native ? { native: { export: command.native.export, args: command.native.args } } : {}),
    };
    const files = this.record.files.snapshot();
    if (files) call.files = files;
    const data = this.record.files.dataSnapshot();
    if (data) call.data = data;
    this.fake.calls.push(call);
    this.record.commands.push(command.path);
    try {
      if (script.fail) { call.exitCode = null; throw script.fail; }
      if (script.stdout) command.onOutput('stdout', script.stdout);
      if (script.stderr) command.onOutput('stderr', script.stderr);
      // A native call nobody scripted runs for real, in-process, with the container's serialisation.
      if (command.native && !this.fake.scripted(command.path)) {
        const release = clock.hold();
        const { exitCode, reply } = await runInProcess(command.native, command.env, command.onOutput, this.record.files.asDataFiles()).finally(release);
        this.files.set(command.native.resultFile, reply);
        const parsed = JSON.parse(reply) as { ok: boolean; value?: unknown };
        if (parsed.ok && call.native) call.native.result = JSON.stringify(parsed.value);
        call.exitCode = exitCode;
        return { exitCode };
      }
      const ended = await waitFor(script.hang ? Infinity : durationMs(script, command.path), command.signal, clock);
      if (ended === 'aborted') {
        Object.assign(call, { exitCode: null, killed: true, killReason: String(command.signal.reason) });
        return { exitCode: null, killed: 'signal', message: String(command.signal.reason) };
      }
      if (script.oom) {
        Object.assign(call, { exitCode: null, killed: true, killReason: 'oom' });
        return { exitCode: null, killed: 'oom', message: `killed: out of memory (mem=${this.record.spec.mem} GB)` };
      }
      for (const [p, data] of Object.entries(script.writes ?? {})) this.record.files.write(posix.resolve(command.workdir ?? '/', p), data);
      if (script.data) this.record.files.dataWrites(script.data, command.path);
      call.exitCode = script.exitCode ?? 0;
      const graftFile = command.env.CAISSON_GRAFT_FILE;
      if (script.graft !== undefined && graftFile) this.files.set(graftFile, typeof script.graft === 'string' ? script.graft : JSON.stringify(script.graft));
      return { exitCode: call.exitCode };
    } finally {
      call.end = clock.now();
      this.busy = undefined;
    }
  }

  /** The engine reads a file back (exit 3 when there is none, as the read script does); not a call of the node. */
  private serveFile(command: CommandSpec, file: string): CommandResult {
    const text = this.files.get(file);
    if (text === undefined) return { exitCode: 3 };
    this.files.delete(file);
    command.onOutput('stdout', text);
    return { exitCode: 0 };
  }

  /** A file the last command wrote (a native call's reply), removed as it is read. */
  async readFile(path: string): Promise<string | undefined> {
    const text = this.files.get(path);
    this.files.delete(path);
    return text;
  }

  /** See ContainerLease.getArchive: the fake container's files under `path`. */
  async getArchive(path: string): Promise<AsyncIterable<Uint8Array> | undefined> {
    this.usable('getArchive');
    const tar = this.record.files.archive(path)
      ?? (this.fake.placeholderOutputs && !path.startsWith('/caisson/') ? writeTar([{ name: posix.basename(path), type: 'dir', mode: 0o755 }]) : undefined);
    return tar ? (async function* () { yield tar; })() : undefined;
  }

  /** See ContainerLease.putArchive: extracts into the fake container's files. */
  async putArchive(path: string, tar: Uint8Array): Promise<void> {
    this.usable('putArchive');
    this.record.files.extract(path, tar);
  }

  // Archive calls may come while a command runs (the contract allows it); after dispose they are an engine bug.
  private usable(what: string): void {
    if (this.record.disposed) throw new LeaseError(`fake: ${what} in container ${this.id} after it was disposed`, { container: this.id, path: what });
  }

  /** Marks the container disposed (later runs in it throw). */
  async dispose(): Promise<void> { this.record.disposed = true; }
}

/** Resolves after `ms` of virtual time, or when `signal` aborts, whichever is first. */
function waitFor(ms: number, signal: AbortSignal, clock: VirtualClock): Promise<'elapsed' | 'aborted'> {
  if (signal.aborted) return Promise.resolve('aborted');
  if (ms <= 0) return Promise.resolve('elapsed');
  return new Promise((resolve) => {
    const timer = Number.isFinite(ms) ? clock.setTimer(() => { signal.removeEventListener('abort', onAbort); resolve('elapsed'); }, ms) : undefined;
    const onAbort = () => { if (timer !== undefined) clock.clearTimer(timer); resolve('aborted'); };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
