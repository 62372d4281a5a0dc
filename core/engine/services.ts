/**
 * A run's services (the `services` of its Serials and Parallels). A group's services start, in the
 * order declared, when the first Exec under the group is about to run, and are stopped when the group
 * finishes (done, error, killed) or the run ends (done, cancel, Ctrl-C). Every Exec under the group waits
 * until they are ready, and fails (not retried) when one of them failed.
 *
 * A service is a node of the run's tree for everything that shows one (path `<group>/<name>`, state
 * events, output, attempts), but not one of its group's children: its states do not count towards the
 * group's, which follows from its Execs (an Exec that needed a failed service fails).
 */
import type { Node } from '../ir/index.ts';
import { childPath } from '../ir/index.ts';
import type { RunContext, RuntimeSession } from '../runtime/index.ts';
import type { RunSecrets } from '../secrets/run-secrets.ts';
import type { Clock } from './clock.ts';
import type { NodeState, RunEvent, ServicePhase } from './events.ts';
import type { RunExec, RunGroup } from './run-node.ts';
import type { NodeStatus } from './types.ts';
import { describeWait, waitFor, WaitImpossible } from './service-waits.ts';
import { LiveService } from './live-service.ts';
import { debugLog } from '../debug-log.ts';

const log = debugLog('engine');

/** How long a failed probe waits for news of the container's exit before it counts as the failure. */
const EXIT_GRACE_MS = 2000;

/** The state each phase shows as. */
const PHASE_STATE: Record<ServicePhase, NodeState> = { starting: 'running', ready: 'running', stopped: 'done', failed: 'error' };

/** What the services need from their Run. */
export interface ServiceDeps {
  /** The runtime's name, for messages. */
  runtimeName: string;
  /** The run's open runtime session (set while a start() goes on; services run only then). */
  session(): RuntimeSession;
  clock: Clock;
  context: RunContext;
  emit(e: RunEvent): void;
  /** The image reference a service's image name resolves to (throws when the run was not given it). */
  imageRef(name: string): string;
  /** The run's secrets, to mask service output with. */
  secrets(): RunSecrets;
}

/** The services of one group: started together (in order), stopped together. */
interface GroupServices {
  services: LiveService[];
  /** Settles to undefined when all are ready, or to the failure reason of the first that failed. */
  ready?: Promise<string | undefined>;
}

/** The run's services: start on demand, waits, stop when their group ends. */
export class RunServices {
  private readonly groups = new Map<string, GroupServices>();
  private readonly byPath = new Map<string, LiveService>();
  private network: Promise<string> | undefined;
  private networkError: string | undefined;
  private readonly stopping = new Set<Promise<void>>();
  private stopped = false;

  constructor(root: Node, private readonly deps: ServiceDeps, initial: Record<string, NodeStatus> = {}) {
    const visit = (n: Node, parentPath: string) => {
      if (n.kind === 'exec') return;
      const path = childPath(parentPath, n.name);
      if (n.services?.length) {
        const services = n.services.map((s) => new LiveService(`${path}/${s.name}`, s, initial[`${path}/${s.name}`]));
        this.groups.set(path, { services });
        for (const s of services) this.byPath.set(s.path, s);
      }
      for (const c of n.children) visit(c, path);
    };
    visit(root, '');
  }

  /** True when the pipeline declares any service (its containers then join the run's network). */
  get any(): boolean { return this.groups.size > 0; }

  /** The status of the service at `path`, if it is one. */
  status(path: string): NodeStatus | undefined {
    const s = this.byPath.get(path);
    return s && { ...s.status };
  }

  /** Every service's status, keyed by path. */
  statuses(): Record<string, NodeStatus> {
    const out: Record<string, NodeStatus> = {};
    for (const s of this.byPath.values()) out[s.path] = { ...s.status };
    return out;
  }

  /**
   * Creates the run's network when the pipeline has services (once per start: close() removes it); its
   * name, or undefined (no services, a runtime without networks, or its creation failed: `networkError`).
   */
  async open(): Promise<string | undefined> {
    this.stopped = false;
    if (!this.any) return undefined;
    const session = this.deps.session();
    if (!session.openNetwork || !session.startService) return undefined;
    this.network ??= session.openNetwork();
    try {
      return await this.network;
    } catch (e) {
      this.network = undefined;
      this.networkError = messageOf(e);
      return undefined;
    }
  }

  /**
   * Waits until the services of every group above `n` are ready, starting them if needed (outermost
   * group first). Resolves to undefined, or to why `n` cannot run ("service /ci/test/db failed: …").
   * `signal` (the Exec's) stops the waiting, never the services, which other Execs may need.
   */
  async needed(n: RunExec, signal: AbortSignal): Promise<string | undefined> {
    const chain: RunGroup[] = [];
    for (let a = n.parent; a; a = a.parent) if (this.groups.has(a.path)) chain.unshift(a);
    for (const g of chain) {
      const why = await untilAborted(this.ensure(g.path), signal);
      if (why) return why;
      if (signal.aborted) return undefined;
    }
    return undefined;
  }

  /** A group finished: its services stop. */
  groupEnded(path: string): void {
    const g = this.groups.get(path);
    if (!g?.ready) return;
    g.ready = undefined;
    const stopping = Promise.all(g.services.map((s) => this.stop(s))).then(() => undefined);
    this.stopping.add(stopping);
    void stopping.finally(() => this.stopping.delete(stopping));
  }

  /** Stops every service (the run ends) and waits until they are gone. */
  async stopAll(): Promise<void> {
    this.stopped = true;
    // The session's close() removes the network: the next start() makes a new one.
    this.network = undefined;
    this.networkError = undefined;
    for (const g of this.groups.values()) g.ready = undefined;
    // Those a group's end began stopping too, so the run ends with every service's last state said.
    await Promise.all([...this.stopping, ...[...this.byPath.values()].map((s) => this.stop(s))]);
  }

  private async ensure(path: string): Promise<string | undefined> {
    const g = this.groups.get(path)!;
    g.ready ??= (async () => {
      for (const s of g.services) {
        const why = await this.start(s);
        if (why) return `service ${s.path} ${why}`;
      }
      return undefined;
    })();
    const why = await g.ready;
    if (why) return why;
    // Ready once, but one may have exited since.
    const gone = g.services.find((s) => s.status.service === 'failed');
    return gone && `service ${gone.path} ${gone.status.reason ?? 'failed'}`;
  }

  private set(s: LiveService, phase: ServicePhase, detail: { reason?: string; exitCode?: number; newAttempt?: boolean } = {}): void {
    const previous = s.status.state;
    const now = this.deps.clock.now();
    const st = s.status;
    st.state = PHASE_STATE[phase];
    st.service = phase;
    if (detail.newAttempt) { st.attempt++; st.startedAt = now; delete st.endedAt; }
    if (phase === 'stopped' || phase === 'failed') st.endedAt = now;
    if (detail.reason !== undefined) st.reason = this.deps.secrets().scrub(detail.reason); else delete st.reason;
    if (detail.exitCode !== undefined) st.exitCode = detail.exitCode; else delete st.exitCode;
    if (log.enabled) log('service', { path: s.path, phase, reason: st.reason });
    this.deps.emit({
      type: 'state', at: now, path: s.path, state: st.state, previous, skipped: false, attempt: st.attempt, service: phase,
      ...(st.reason !== undefined && { reason: st.reason }), ...(st.exitCode !== undefined && { exitCode: st.exitCode }),
    });
  }

  /** Starts one service and waits until it is ready; resolves to why it failed, or undefined. */
  private async start(s: LiveService): Promise<string | undefined> {
    const { clock } = this.deps;
    const session = this.deps.session();
    const wait = s.spec.wait;
    s.lines = [];
    const stopping = (s.stopping = new AbortController());
    this.set(s, 'starting', { newAttempt: true, reason: wait ? `waiting for ${describeWait(wait)}` : 'starting' });
    const fail = (reason: string, exitCode?: number) => { this.set(s, 'failed', { reason, ...(exitCode !== undefined && { exitCode }) }); return reason; };
    const network = await this.open();
    if (network === undefined || !session.startService) {
      if (this.networkError) return fail(`cannot start: the run's network could not be created: ${this.networkError}`);
      return fail(`cannot start: the ${this.deps.runtimeName} runtime does not run service nodes; run the pipeline on the Docker runtime (--runtime docker)`);
    }
    if (this.stopped) return fail('not started: the run is ending');
    let image: string;
    try { image = this.deps.imageRef(s.spec.image); } catch (e) { return fail(messageOf(e)); }
    const scrub = { stdout: this.deps.secrets().scrubber(), stderr: this.deps.secrets().scrubber() };
    const attempt = s.status.attempt;
    const forward = (stream: 'stdout' | 'stderr', data: string) => {
      if (!data) return;
      s.feed(data);
      this.deps.emit({ type: 'output', at: clock.now(), path: s.path, attempt, stream, data });
    };
    try {
      s.lease = await session.startService({
        path: s.path, name: s.spec.name, image, env: { ...s.spec.env }, network,
        labels: { ...this.deps.context.labels, 'dev.caisson.service': s.path },
        ...(s.spec.command !== undefined && { command: s.spec.command }),
        onOutput: (stream, chunk) => forward(stream, scrub[stream].push(chunk)),
      }, stopping.signal);
    } catch (e) {
      return fail(`could not start: ${messageOf(e)}`);
    }
    const lease = s.lease;
    if (stopping.signal.aborted) { await this.dispose(s); return 'stopped before it was ready'; }
    this.deps.emit({ type: 'container', at: clock.now(), path: s.path, attempt, containerId: lease.id, group: s.path, reused: false });
    let exited: { exitCode: number | null } | undefined;
    void lease.exited.then((x) => {
      exited = x;
      forward('stdout', scrub.stdout.flush());
      forward('stderr', scrub.stderr.flush());
      s.flush();
      // Exited on its own after it was ready: it failed (its group's later Execs will not find it).
      if (s.status.service === 'ready' && !stopping.signal.aborted) {
        fail(`exited with code ${x.exitCode ?? 'none'} while its group ran${s.lastLines()}`, x.exitCode ?? undefined);
      }
    });
    if (!wait) { this.set(s, 'ready'); return undefined; }

    // The wait runs until it succeeds, the container exits, the startup timeout fires or the service is stopped.
    const waiting = new AbortController();
    const stopWaiting = () => waiting.abort('stopped');
    stopping.signal.addEventListener('abort', stopWaiting, { once: true });
    let lastAnswer = '';
    const timeoutMs = s.spec.startupTimeout * 1000;
    const outcome = await new Promise<{ ok: true } | { ok: false; reason: string; exitCode?: number }>((resolve) => {
      const timer = clock.setTimer(() => {
        waiting.abort('timeout');
        resolve({ ok: false, reason: `not ready after ${formatSeconds(s.spec.startupTimeout)} (startupTimeout) waiting for ${describeWait(wait)}${lastAnswer ? `; last answer: ${lastAnswer}` : ''}${s.lastLines()}` });
      }, timeoutMs, { keepAlive: true });
      const settle = (r: Parameters<typeof resolve>[0]) => { clock.clearTimer(timer); waiting.abort('settled'); resolve(r); };
      void lease.exited.then((x) => settle({
        ok: false, reason: `exited with code ${x.exitCode ?? 'none'} before it was ready (waiting for ${describeWait(wait)})${s.lastLines()}`,
        ...(x.exitCode !== null && { exitCode: x.exitCode }),
      }));
      waitFor(wait, {
        lease, clock, signal: waiting.signal,
        logMatches: (regex, times) => s.logMatches(regex, times),
        note: (text) => { lastAnswer = text; },
      }).then(
        () => { if (!waiting.signal.aborted && !exited) settle({ ok: true }); },
        (e: unknown) => {
          if (e instanceof WaitImpossible) settle({ ok: false, reason: `cannot become ready: ${e.message}` });
          else if (!waiting.signal.aborted) {
            // A probe that failed because the container just died: its exit (code and output) is the reason.
            const grace = clock.setTimer(() => settle({ ok: false, reason: `its wait (${describeWait(wait)}) failed: ${messageOf(e)}` }), EXIT_GRACE_MS, { keepAlive: true });
            void lease.exited.then(() => clock.clearTimer(grace));
          }
          else if (stopping.signal.aborted) settle({ ok: false, reason: 'stopped before it was ready' });
        },
      );
    });
    stopping.signal.removeEventListener('abort', stopWaiting);
    if (outcome.ok) { this.set(s, 'ready'); return undefined; }
    if (stopping.signal.aborted) return outcome.reason; // stop() records the end
    fail(outcome.reason, outcome.exitCode);
    void this.dispose(s);
    return outcome.reason;
  }

  private async dispose(s: LiveService): Promise<void> {
    const lease = s.lease;
    s.lease = undefined;
    if (lease) await lease.dispose().catch(() => undefined);
  }

  private async stop(s: LiveService): Promise<void> {
    s.stopping?.abort('stopped');
    await this.dispose(s);
    if (s.status.state === 'running') this.set(s, 'stopped');
  }
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const formatSeconds = (s: number): string => (s % 60 === 0 && s >= 60 ? `${s / 60}m` : `${s}s`);

/** `p`, or undefined as soon as `signal` aborts. */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    void p.then((v) => { signal.removeEventListener('abort', onAbort); resolve(v); });
  });
}
