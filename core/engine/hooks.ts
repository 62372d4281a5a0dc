/**
 * Fires a run's hooks (the IR's effective `hooks` of each node) from its events. Each firing has a key,
 * node path + attempt + event (+ the state, for stateChange) + the hook's index, fired at most once:
 * the keys a run's record already holds (`firedHooks`, from the replayed `hook` events) are never fired
 * again, so a resumed run does not notify twice. A hook runs beside the run, never blocking a node; the
 * run waits for the hooks under way before it finishes. A failing hook is a `hook` event with ok false
 * and its error: it never changes any node's state.
 */
import { spawn } from 'node:child_process';
import type { HookAction, HookSpec } from '../ir/hook-codecs.ts';
import type { Node } from '../ir/index.ts';
import { childPath } from '../ir/index.ts';
import { shellJoin } from '../ir/shell-quote.ts';
import type { ContainerLease, RunContext, RuntimeProvider, RuntimeSession } from '../runtime/index.ts';
import type { Clock } from './clock.ts';
import type { RetryEvent, RunEvent, StateEvent } from './events.ts';
import { FINISHED_STATES } from './events.ts';
import { hookFunction, type HookPayload } from './hook-registry.ts';
import { debugLog } from '../debug-log.ts';

const log = debugLog('engine');

/** How long a webhook, a host command or a container hook may take. */
export const HOOK_TIMEOUT_MS = { webhook: 10_000, host: 60_000, container: 120_000 } as const;

/** What the hooks need from their Run. */
export interface HookDeps {
  runtime: RuntimeProvider;
  /** The run's open runtime session; undefined between starts (a container hook then opens its own). */
  session(): RuntimeSession | undefined;
  clock: Clock;
  runId: string;
  pipeline: string;
  /** The run (id and labels), for a session a container hook opens between starts. */
  context: RunContext;
  emit(e: RunEvent): void;
  /** Masks the run's secrets in what a hook's failure says. */
  scrub(text: string): string;
}

/** A hook in words, for events and the CLI. */
export function describeHook(h: HookAction): string {
  const cmd = (c: string | string[]) => (typeof c === 'string' ? c : shellJoin(c)).replaceAll('\n', '\\n').slice(0, 80);
  switch (h.kind) {
    case 'function': return `function ${h.name}`;
    case 'webhook': return `webhook ${h.url}`;
    case 'host': return `host ${cmd(h.command)}`;
    case 'container': return `container ${h.image} ${cmd(h.command)}`;
  }
}

/** Fires the hooks of one run. */
export class RunHooks {
  private readonly byPath = new Map<string, HookSpec[]>();
  private readonly fired: Set<string>;
  private readonly running = new Set<Promise<void>>();

  constructor(root: Node, private readonly deps: HookDeps, fired: Iterable<string> = []) {
    this.fired = new Set(fired);
    const visit = (n: Node, parentPath: string) => {
      const path = childPath(parentPath, n.name);
      if (n.hooks?.length) this.byPath.set(path, n.hooks);
      if (n.kind !== 'exec') for (const c of n.children) visit(c, path);
    };
    visit(root, '');
  }

  /** True when some node has hooks. */
  get any(): boolean { return this.byPath.size > 0; }

  /** Looks at one run event and fires the hooks it triggers. */
  onEvent(e: RunEvent): void {
    if (e.type === 'state') this.onState(e);
    else if (e.type === 'retry') this.onRetry(e);
  }

  /** Waits for every hook under way. */
  async drain(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }

  private onState(e: StateEvent): void {
    const hooks = this.byPath.get(e.path);
    // Only a skip flag flipping is no state change.
    if (!hooks || e.state === e.previous || e.service) return;
    hooks.forEach((h, i) => {
      if (h.on === 'stateChange') this.fire(h, i, e, `stateChange:${e.state}`, e.attempt);
      else if (h.on === e.state && FINISHED_STATES.has(e.state)) this.fire(h, i, e, h.on, e.attempt);
    });
  }

  private onRetry(e: RetryEvent): void {
    this.byPath.get(e.path)?.forEach((h, i) => { if (h.on === 'retry') this.fire(h, i, e, 'retry', e.failed); });
  }

  private fire(h: HookSpec, index: number, e: StateEvent | RetryEvent, what: string, attempt: number): void {
    const key = `${e.path}|${attempt}|${what}|${index}`;
    if (this.fired.has(key)) { if (log.enabled) log('hook already fired', { key }); return; }
    this.fired.add(key);
    const payload: HookPayload = {
      event: h.on, runId: this.deps.runId, pipeline: this.deps.pipeline, path: e.path, attempt,
      state: e.type === 'state' ? e.state : 'queued', at: new Date(e.at).toISOString(), from: h.from,
      ...(e.type === 'state' && { previous: e.previous }),
      ...(e.reason !== undefined && { reason: e.reason }),
      ...(e.exitCode !== undefined && { exitCode: e.exitCode }),
      ...(e.failure !== undefined && { failure: e.failure }),
      ...(e.type === 'retry' && { retry: { attempt: e.attempt, of: e.of, delayMs: e.delayMs } }),
    };
    // Later than the event that fired it: a hook's own event never lands inside another event's delivery.
    const p = Promise.resolve().then(() => this.run(h.hook, payload)).then(
      () => undefined,
      (err: unknown) => this.deps.scrub(err instanceof Error ? err.message : String(err)),
    ).then((error) => {
      if (log.enabled) log('hook', { key, ok: error === undefined, error });
      this.deps.emit({
        type: 'hook', at: this.deps.clock.now(), path: e.path, attempt, event: h.on, hook: describeHook(h.hook), from: h.from, key,
        ok: error === undefined, ...(error !== undefined && { error }),
      });
    });
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }

  private async run(h: HookAction, payload: HookPayload): Promise<void> {
    switch (h.kind) {
      case 'function': {
        const fn = hookFunction(h.name);
        if (!fn) throw new Error(`no hook function is registered as "${h.name}" in this process (defineHook("${h.name}", …) where the pipeline file loads)`);
        await fn(payload, h.args);
        return;
      }
      case 'webhook': return postJson(h.url, h.headers ?? {}, payload);
      case 'host': return hostCommand(h.command, payload);
      case 'container': return this.inContainer(h.image, h.command, payload);
    }
  }

  private async inContainer(image: string, command: string | string[], payload: HookPayload): Promise<void> {
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort('hook timed out'), HOOK_TIMEOUT_MS.container);
    timer.unref();
    // A state change between starts (a reset, a skip) has no session of the run to use: it opens one for the hook.
    const current = this.deps.session();
    const session = current ?? await this.deps.runtime.open(this.deps.context);
    let lease: ContainerLease | undefined;
    try {
      lease = await session.acquire({
        image, cpu: 0.5, mem: 0.5, gpu: 0, backend: {}, mounts: [], group: `hook:${payload.path}`,
        labels: { ...this.deps.context.labels, 'dev.caisson.group': `hook:${payload.path}` },
      }, ac.signal);
      let tail = '';
      const r = await lease.run({
        path: payload.path, command, env: hookEnv(payload), signal: ac.signal,
        onOutput: (_s, chunk) => { tail = (tail + chunk).slice(-300); },
      });
      if (r.exitCode !== 0) throw new Error(`${r.message ?? `exit code ${r.exitCode ?? 'none'}`}${tail.trim() ? `: ${tail.trim().split('\n').pop()}` : ''}`);
    } finally {
      clearTimeout(timer);
      await lease?.dispose().catch(() => undefined);
      if (!current) await session.close().catch(() => undefined);
    }
  }
}

/** The payload as CAISSON_HOOK_* variables, and whole as CAISSON_HOOK_PAYLOAD. */
function hookEnv(p: HookPayload): Record<string, string> {
  const env: Record<string, string> = { CAISSON_HOOK_PAYLOAD: JSON.stringify(p) };
  for (const [k, v] of Object.entries(p)) if (typeof v !== 'object') env[`CAISSON_HOOK_${k.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`] = String(v);
  return env;
}

async function postJson(url: string, headers: Record<string, string>, payload: HookPayload): Promise<void> {
  const res = await fetch(url, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(payload),
    signal: AbortSignal.timeout(HOOK_TIMEOUT_MS.webhook),
  });
  await res.arrayBuffer().catch(() => undefined);
  if (!res.ok) throw new Error(`POST ${url} answered ${res.status} ${res.statusText}`);
}

function hostCommand(command: string | string[], payload: HookPayload): Promise<void> {
  const [file, ...args] = typeof command === 'string' ? ['/bin/sh', '-c', command] : command;
  return new Promise((resolve, reject) => {
    const child = spawn(file!, args, { env: { ...process.env, ...hookEnv(payload) }, stdio: ['pipe', 'ignore', 'pipe'], timeout: HOOK_TIMEOUT_MS.host });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-300); });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${signal ? `killed by ${signal}` : `exit code ${code}`}${err.trim() ? `: ${err.trim().split('\n').pop()}` : ''}`));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(JSON.stringify(payload));
  });
}
