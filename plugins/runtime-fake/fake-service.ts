/**
 * Scripted services for the fake runtime: a service container that becomes ready after a virtual delay,
 * writes scripted output, exits when told to, and answers the engine's probes (port, http, command,
 * healthcheck) by that script, recording every probe so tests can prove none ran after it exited.
 */
import type { ServiceContainerSpec, ServiceLease, ServiceProbeResult } from '../../core/index.ts';
import { LeaseError, parseDuration, UsageError } from '../../core/index.ts';
import type { VirtualClock } from './virtual-clock.ts';

/** How a scripted service behaves. Default: ready at once, never exits, http answers 200. */
export interface ServiceScript {
  /** Virtual time after its start when probes succeed and its health turns healthy: ms or a duration. "never" = never. */
  readyAfter?: number | string;
  /** Output at virtual times after its start (ms or a duration). */
  output?: { at?: number | string; stdout?: string; stderr?: string }[];
  /** Its main process exits by itself after this long (ms or a duration). Default: never. */
  exitAfter?: number | string;
  /** The exit code when it exits by itself (default 1). */
  exitCode?: number;
  /** The status its http probes get once ready (default 200). */
  httpStatus?: number;
  /** The image has no HEALTHCHECK (a healthcheck wait then fails). */
  noHealthcheck?: true;
  /** startService() throws this (the container could not be created). */
  fail?: Error;
}

/** One probe the engine ran in a fake service. */
export interface FakeProbe {
  /** Virtual ms it ran at. */
  at: number;
  /** What it asked ("port", "http", "command" or "health"). */
  kind: 'port' | 'http' | 'command' | 'health';
  /** True when it ran after the container had exited (an engine bug the tests look for). */
  afterExit: boolean;
}

/** One service container the fake started. */
export interface FakeServiceRecord {
  /** "fake-svc-1", … */
  id: string;
  /** What the engine asked for (path, name, image, network, labels…). */
  spec: ServiceContainerSpec;
  /** Virtual ms it started at. */
  startedAt: number;
  /** Virtual ms its main process exited (scripted), if it did. */
  exitedAt?: number;
  /** Virtual ms the engine disposed it, if it did. */
  disposedAt?: number;
  /** Every probe, in order. */
  probes: FakeProbe[];
}

const ms = (d: number | string | undefined, path: string, field: string): number => {
  if (d === undefined) return 0;
  if (d === 'never') return Infinity;
  if (typeof d === 'number') return d;
  const s = parseDuration(d);
  if (s === undefined) throw new UsageError(`fake service script for ${path}: ${field} "${d}" is not a duration like "30s" (or a number of ms, or "never")`, { path, option: field });
  return s * 1000;
};

/** Checks a script's durations, so a typo fails where it is scripted. */
export function checkServiceScript(s: ServiceScript, path: string): void {
  ms(s.readyAfter, path, 'readyAfter');
  ms(s.exitAfter, path, 'exitAfter');
  for (const o of s.output ?? []) ms(o.at, path, 'output.at');
}

/** Starts a fake service container playing `script`. */
export function startFakeService(spec: ServiceContainerSpec, script: ServiceScript, clock: VirtualClock, id: string): { lease: ServiceLease; record: FakeServiceRecord } {
  const started = clock.now();
  const record: FakeServiceRecord = { id, spec, startedAt: started, probes: [] };
  const readyAt = started + ms(script.readyAfter, spec.path, 'readyAfter');
  const timers: unknown[] = [];
  let resolveExit!: (x: { exitCode: number | null }) => void;
  const exited = new Promise<{ exitCode: number | null }>((r) => { resolveExit = r; });
  const exit = (exitCode: number | null) => {
    if (record.exitedAt !== undefined) return;
    record.exitedAt = clock.now();
    for (const t of timers) clock.clearTimer(t);
    resolveExit({ exitCode });
  };
  for (const o of script.output ?? []) {
    const emit = () => {
      if (record.exitedAt !== undefined) return;
      if (o.stdout) spec.onOutput('stdout', o.stdout);
      if (o.stderr) spec.onOutput('stderr', o.stderr);
    };
    const at = ms(o.at, spec.path, 'output.at');
    if (at === 0) emit(); else timers.push(clock.setTimer(emit, at));
  }
  const exitAfter = ms(script.exitAfter, spec.path, 'exitAfter');
  if (script.exitAfter !== undefined && Number.isFinite(exitAfter)) timers.push(clock.setTimer(() => exit(script.exitCode ?? 1), exitAfter));
  const ready = () => clock.now() >= readyAt;
  const note = (kind: FakeProbe['kind']) => record.probes.push({ at: clock.now(), kind, afterExit: record.exitedAt !== undefined });

  const lease: ServiceLease = {
    id,
    exited,
    async probe(argv: string[]): Promise<ServiceProbeResult> {
      if (record.disposedAt !== undefined) throw new LeaseError(`fake: a probe ran in service ${spec.path} after it was removed`, { container: id, path: spec.path });
      const text = argv.join(' ');
      const kind = text.includes('/proc/net/tcp') ? 'port' : text.includes('status=') ? 'http' : 'command';
      note(kind);
      if (record.exitedAt !== undefined) return { exitCode: 126, output: 'container is not running' };
      if (kind === 'http') return ready() ? { exitCode: 0, output: `status=${script.httpStatus ?? 200}\n` } : { exitCode: 0, output: 'status=000\n' };
      return { exitCode: ready() ? 0 : 1, output: '' };
    },
    async health() {
      note('health');
      if (script.noHealthcheck) return 'none';
      return ready() ? 'healthy' : 'starting';
    },
    async dispose() {
      if (record.disposedAt !== undefined) return;
      record.disposedAt = clock.now();
      exit(137);
    },
  };
  return { lease, record };
}
