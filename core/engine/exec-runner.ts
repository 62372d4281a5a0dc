/**
 * Runs one admitted Exec: container from the pool, the command with its env, the maxTime timer on the
 * engine clock, output forwarded as events, and the result turned into the node's next state.
 */
import type { ExecNode } from '../ir/index.ts';
import type { CommandResult, ContainerSpec } from '../runtime/index.ts';
import { parseReply, resultFileFor, thrownReason, type NativeInvocation } from '../native/invocation.ts';
import { readReply } from '../native/read-reply.ts';
import { RuntimeOptionError } from '../errors.ts';
import { copyBundleIn } from '../native/bundle-copy.ts';
import type { NativeReply } from '../native/entry-runtime.ts';
import type { Clock } from './clock.ts';
import type { NodeState, RunEvent } from './events.ts';
import type { ContainerPool } from './container-pool.ts';
import type { RunExec } from './run-node.ts';
import type { RunSecrets } from '../secrets/run-secrets.ts';
import type { FailureClass } from '../options/retry-option.ts';
import { GRAFT_FILE_ENV, graftFileOf, readGraftFile, type GraftSource } from './graft-read.ts';
import type { PreparedGraft } from './run-grafts.ts';
import type { CachedMark } from './events.ts';
import { OutputCollector, type ExecCache } from './exec-cache.ts';
import type { RunArtifacts } from '../artifacts/run-artifacts.ts';
import type { RunData } from '../data/run-data.ts';

/** Reasons carried on the command's AbortSignal (and shown with the killed state). */
export const MAX_TIME_EXCEEDED = 'max time exceeded';
/** The run was cancelled (its start() signal aborted) while the node was running. */
export const CANCELLED = 'cancelled';
/** `Run.kill()` stopped the node. */
export const KILLED_BY_USER = 'killed by user';
/** `Run.reset()` stopped the node to run it again. */
export const RESET = 'reset';

/**
 * How one execution of an Exec ended, before it is written to the tree. `failure` classifies a failed
 * attempt the retry policy may act on; failures the pipeline itself causes (a missing secret, an image
 * the run was not given) and cancel or reset carry none, so they are never retried. A failure under
 * suppressErrors still carries its class: the node is retried first, only its last failure is suppressed.
 */
export interface Outcome {
  state: NodeState; reason?: string; exitCode?: number; failure?: FailureClass;
  /** A lazy node's generator: the subtree it generated, validated, to graft as it ends done. */
  graft?: PreparedGraft;
  /** A native call's return value (tagged JSON text), when it ended done. */
  result?: string;
  /** A cached Exec's key for the attempt. */
  cacheKey?: string;
  /** Set when the attempt ended with a stored result (no container). */
  cached?: CachedMark;
}

/** The hint an out-of-memory failure's reason ends with. */
export const RAISE_MEM_HINT = 'raise the node\'s mem option to give it more memory';

/** Why the engine aborted a command → the failure class (cancel and reset are not failures). */
const ABORT_CLASS: Record<string, FailureClass | undefined> = { [MAX_TIME_EXCEEDED]: 'timeout', [KILLED_BY_USER]: 'killed' };

/** What runExec needs from its Run: time, containers and a way to report events. */
export interface ExecRunnerDeps {
  /** Time source for the maxTime timer and event timestamps. */
  clock: Clock;
  /** Where the Exec's container comes from and goes back to. */
  pool: ContainerPool;
  /** The run's id (retry jitter is seeded by it). */
  runId: string;
  /** Publishes container and output events of the execution. */
  emit(e: RunEvent): void;
  /** The container an Exec needs; throws when it cannot be described (unknown image). */
  specFor(n: RunExec): ContainerSpec;
  /** The shell and working dir the image was resolved with (undefined = the runtime's defaults). */
  commandOptionsFor?(n: RunExec): { shell?: string; workdir?: string };
  /** A native call's bundle and command (rejects with a user error: a bundle that cannot be built). */
  nativeFor?(n: RunExec, resultFile: string): Promise<NativeInvocation>;
  /** The runtime's name, for messages. */
  runtimeName?: string;
  /**
   * The run's secret values (read when the run started): the env secret("NAME") references get, and
   * the masks every node's output and error reason go through.
   */
  secrets(): RunSecrets;
  /**
   * A lazy node's generator exited 0 and wrote `text`: the subtree validated and its images resolved, or
   * why it cannot be grafted (the generator then fails with that reason).
   */
  prepareGraft?(n: RunExec, text: string, signal: AbortSignal): Promise<PreparedGraft | { reason: string }>;
  /** Where generator `n`'s subtree text comes from; default: the file at $CAISSON_GRAFT_FILE (readGraftFile). */
  graftSourceFor?(n: RunExec): GraftSource | undefined;
  /** Grafts a prepared subtree (just before its generator is marked done). */
  applyGraft?(g: PreparedGraft): void;
  /** The run's result cache, for Execs with `cache` set (undefined: no cache given to the run). */
  cache?: ExecCache;
  /**
   * The services the Exec's groups declare: resolves when they are ready (starting them if needed), or
   * to why the Exec cannot run (a service failed). Unset: the pipeline has none.
   */
  services?: { needed(n: RunExec, signal: AbortSignal): Promise<string | undefined> };
  /** Declared inputs and outputs (copied in before, out after the command); unset = none handled. */
  artifacts?: RunArtifacts;
  /** The run's data store, reached from commands by `caisson-data`; unset = not offered. */
  data?: RunData;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Executes `n` (already running, attempt stamped); never rejects. */
export async function runExec(deps: ExecRunnerDeps, n: RunExec, control: AbortController): Promise<Outcome> {
  const secrets = deps.secrets();
  const outcome = await execute(deps, secrets, n, control);
  // Any secret of the run, not only this node's: a runtime message can quote whatever the command saw,
  // and a native call can return it.
  return {
    ...outcome,
    ...(outcome.reason !== undefined ? { reason: secrets.scrub(outcome.reason) } : {}),
    ...(outcome.result !== undefined ? { result: secrets.scrub(outcome.result) } : {}),
  };
}

async function execute(deps: ExecRunnerDeps, secrets: RunSecrets, n: RunExec, control: AbortController): Promise<Outcome> {
  const ir = n.ir;
  const attempt = n.attempt;
  const { signal } = control;
  const killed = (): Outcome => {
    const failure = ABORT_CLASS[String(signal.reason)];
    return { state: 'killed', reason: String(signal.reason), ...(failure ? { failure } : {}) };
  };
  // Before maxTime counts: a service's startup has its own limit (startupTimeout). A failed service fails
  // the Exec without a failure class, so it is not retried: the service was already given its chance.
  const unmet = await deps.services?.needed(n, signal);
  if (signal.aborted) return killed();
  if (unmet) return failure(ir, unmet);
  const timer = deps.clock.setTimer(() => control.abort(MAX_TIME_EXCEEDED), ir.maxTime * 1000);
  // The runtime failed (daemon gone, create/start failed, image missing): retryable infra.
  // A runtime's refusal of an option (RuntimeOptionError: a flag Docker rejects, a constraint no node
  // meets) is the pipeline's doing, and another attempt would fail the same way: not infra, not retried.
  const infra = (err: unknown): Outcome => (signal.aborted ? killed()
    : err instanceof RuntimeOptionError ? failure(ir, messageOf(err)) : { ...failure(ir, messageOf(err)), failure: 'infra' });
  try {
    // Secrets first: a missing one fails the node before any container is taken.
    const secretEnv = secrets.envFor(ir, n.path);
    if (typeof secretEnv === 'string') return failure(ir, secretEnv);
    // Masked with every secret of the run: a value can reach this node without being given to it.
    const scrubbers = { stdout: secrets.scrubber(), stderr: secrets.scrubber() };
    let spec: ContainerSpec;
    try { spec = deps.specFor(n); } catch (err) { return failure(ir, messageOf(err)); } // the run was not given its image
    const options = deps.commandOptionsFor?.(n) ?? {};
    // A native call is bundled before a container is taken: a syntax error in the module fails at once.
    let native: NativeInvocation | undefined;
    if (ir.call) {
      if (!deps.nativeFor) return failure(ir, 'this engine cannot run native functions');
      try { native = await deps.nativeFor(n, resultFileFor(n.path, attempt)); } catch (err) { return failure(ir, messageOf(err)); }
    }
    // A cached Exec: key and lookup before any container; a hit replays the stored output and ends done.
    const lookup = deps.cache?.applies(n) ? deps.cache.begin(n, secretLookup(ir, secretEnv)) : undefined;
    const cacheKey = lookup?.manifest.key;
    if (lookup?.hit) {
      for (const chunk of lookup.hit.output) {
        if (chunk.data) deps.emit({ type: 'output', at: deps.clock.now(), path: n.path, attempt, stream: chunk.stream, data: secrets.scrub(chunk.data) });
      }
      // Its declared outputs come back too, as this attempt's: consumers take them as from a run.
      if (lookup.hit.artifacts && deps.artifacts) deps.artifacts.restore(n.path, attempt, lookup.hit.artifacts.map((a) => ({ ...a, tar: Buffer.from(a.tar, 'base64') })));
      return { state: 'done', exitCode: 0, cacheKey: lookup.manifest.key, cached: { runId: lookup.hit.runId, at: lookup.hit.storedAt } };
    }
    const collected = lookup ? new OutputCollector() : undefined;
    const keyed = (o: Outcome): Outcome => (cacheKey ? { ...o, cacheKey } : o);
    // Inputs next: a producer that did not end done fails the node before any container is taken.
    const gathered = ir.inputs && deps.artifacts ? deps.artifacts.gather(ir) : undefined;
    if (gathered && !gathered.ok) return failure(ir, gathered.reason);
    // Only a container that ran Execs given exactly these secrets (see ContainerPool).
    let acquired: Awaited<ReturnType<ExecRunnerDeps['pool']['acquire']>>;
    try { acquired = await deps.pool.acquire(spec, signal, Object.values(ir.secrets ?? {})); } catch (err) { return infra(err); }
    const { lease, reused } = acquired;
    deps.emit({ type: 'container', at: deps.clock.now(), path: n.path, attempt, containerId: lease.id, group: spec.group, reused });
    if (signal.aborted) { deps.pool.release(spec, lease, false); return killed(); }
    if (native?.changed) {
      deps.emit({ type: 'output', at: deps.clock.now(), path: n.path, attempt, stream: 'stderr', data: `caisson: ${ir.call!.module} changed since this tree was compiled; calling ${ir.call!.export} as the file is now\n` });
    }
    if (native?.external.length) {
      deps.emit({ type: 'output', at: deps.clock.now(), path: n.path, attempt, stream: 'stderr', data: `caisson: native addons are not bundled, the image must provide them: ${native.external.join(', ')}\n` });
    }
    if (native?.copyIn) {
      let problem: string | undefined;
      try { problem = await copyBundleIn(lease, native.copyIn, deps.runtimeName ?? 'this'); } catch (err) { deps.pool.release(spec, lease, false); return infra(err); }
      if (problem) { deps.pool.release(spec, lease, true); return failure(ir, problem); }
    }
    if (gathered?.deliveries.length) {
      let problem: string | undefined;
      try { problem = await deps.artifacts!.deliver(lease, n.path, gathered.deliveries, options.workdir ?? lease.workdir ?? '/'); } catch (err) { deps.pool.release(spec, lease, false); return infra(err); }
      if (problem) { deps.pool.release(spec, lease, true); return failure(ir, problem); }
    }
    // The data store's snapshot and exchange folder; undefined when the runtime cannot copy files.
    const dataSeq = deps.data ? await deps.data.prepare(lease) : undefined;
    let live = true;
    let result: CommandResult | undefined;
    const forward = (stream: 'stdout' | 'stderr', data: string) => {
      if (!live || !data) return;
      collected?.add(stream, data);
      deps.emit({ type: 'output', at: deps.clock.now(), path: n.path, attempt, stream, data });
    };
    const graftFile = ir.graft ? graftFileOf(deps.runId, n.path, attempt) : undefined;
    try {
      result = await lease.run({
        // Plain env last: a run edit (--env K=V) wins over a secret of the same name.
        path: n.path, attempt, command: native?.command ?? ir.command!, env: { ...secretEnv, ...ir.env, ...(graftFile ? { [GRAFT_FILE_ENV]: graftFile } : {}) }, signal,
        ...options,
        ...(native ? { native: { module: native.module, export: native.export, args: native.args, resultFile: native.resultFile } } : {}),
        ...(dataSeq !== undefined && { probe: deps.data!.probeFor(dataSeq) }),
        onOutput: (stream, data) => forward(stream, scrubbers[stream].push(data)),
      });
    } catch (err) {
      deps.pool.release(spec, lease, false);
      return infra(err);
    } finally {
      forward('stdout', scrubbers.stdout.flush());
      forward('stderr', scrubbers.stderr.flush());
      live = false;
      // What the command put in the data store counts whatever its end, as a write it made (read back lazily).
      if (dataSeq !== undefined) deps.data!.ran(lease, result);
    }
    let reply: NativeReply | undefined;
    if (native && !signal.aborted && !result.killed) {
      try { reply = parseReply(await readReply(lease, native.resultFile, signal)); } catch (err) { deps.pool.release(spec, lease, false); return infra(err); }
    }
    let graft: PreparedGraft | { reason: string } | undefined;
    if (graftFile && ir.graft && !signal.aborted && result.exitCode === 0 && !result.killed) {
      try {
        // A generator function's subtree is its return value; a generator command writes the file.
        const read = native ? graftFromReply(reply)
          : await (deps.graftSourceFor?.(n) ?? readGraftFile)(lease, { path: n.path, attempt, file: graftFile, maxBytes: ir.graft.maxBytes, signal, ...options });
        // Masked like output: the subtree goes into the record, and a generator may have printed a value into it.
        graft = 'reason' in read ? read : await deps.prepareGraft!(n, secrets.scrub(read.text), signal);
      } catch (err) {
        graft = { reason: `could not read the generated subtree: ${messageOf(err)}` };
      }
    }
    if (signal.aborted) { deps.pool.release(spec, lease, false); return keyed(killed()); }
    if (graft && 'reason' in graft) { deps.pool.release(spec, lease, !result.killed); return failure(ir, graft.reason); }
    const outcome = native ? nativeOutcome(ir, result, reply) : outcomeOf(ir, result);
    // Outputs before the container goes back to the pool: the next command there could change them.
    if (outcome.state === 'done' && ir.outputs?.length && deps.artifacts) {
      let problem: string | undefined;
      try { problem = await deps.artifacts.capture(lease, n.path, attempt, ir.outputs, options.workdir ?? lease.workdir ?? '/'); } catch (err) { deps.pool.release(spec, lease, false); return infra(err); }
      if (problem) { deps.pool.release(spec, lease, true); return failure(ir, problem); }
    }
    deps.pool.release(spec, lease, !result.killed);
    // Only a clean exit 0 is stored (not an error suppressed into done).
    if (lookup && collected && outcome.state === 'done' && outcome.exitCode === 0 && outcome.reason === undefined) {
      const artifacts = ir.outputs?.length && deps.artifacts
        ? deps.artifacts.produced(n.path, attempt).map((a) => ({ output: a.output, size: a.size, files: a.files, tar: a.tar.toString('base64') })) : undefined;
      deps.cache!.store(n, lookup.manifest, collected, artifacts);
    }
    return keyed(graft ? { ...outcome, graft } : outcome);
  } catch (err) {
    return infra(err);
  } finally {
    deps.clock.clearTimer(timer);
  }
}

/** A secret's value by its name, from the node's secret env (env var → value) and its IR references. */
function secretLookup(ir: ExecNode, secretEnv: Record<string, string>): (name: string) => string | undefined {
  return (name) => {
    for (const [variable, secretName] of Object.entries(ir.secrets ?? {})) if (secretName === name) return secretEnv[variable];
    return undefined;
  };
}

/**
 * Exit 0 → done; non-zero → error (done under suppressErrors), class exit; the kernel's memory killer →
 * killed, class oom, with the raise-mem hint; killed by something else, or no exit code → infra.
 */
function outcomeOf(ir: ExecNode, r: CommandResult): Outcome {
  // The state says "killed" already: a runtime's "killed: out of memory …" reads once, not twice.
  const why = r.message?.replace(/^killed: /, '');
  if (r.killed === 'oom') return { state: 'killed', reason: `${why ?? 'out of memory'}; ${RAISE_MEM_HINT}`, failure: 'oom' };
  if (r.killed) return { state: 'killed', reason: why ?? 'killed', failure: 'infra' };
  if (r.exitCode === 0) return { state: 'done', exitCode: 0 };
  if (r.exitCode === null) return { ...failure(ir, r.message ?? 'the command ended without an exit code'), failure: 'infra' };
  const reason = r.message ?? `exit code ${r.exitCode}`;
  return ir.suppressErrors
    ? { state: 'done', exitCode: r.exitCode, reason: `${reason} (error suppressed)`, failure: 'exit' }
    : { state: 'error', exitCode: r.exitCode, reason, failure: 'exit' };
}

/**
 * The subtree a lazy generator function returned (its reply's value, a subtree document), or why there is
 * none. It went through the reply file, so maxBytes is checked again when the text is prepared.
 */
function graftFromReply(reply: NativeReply | undefined): { text: string } | { reason: string } {
  if (!reply?.ok) return { reason: 'the generator function sent no reply' };
  const doc = reply.value;
  if (doc === null || typeof doc !== 'object' || (doc as { apiVersion?: unknown }).apiVersion === undefined) {
    return { reason: `the generator function must return a group builder (serial(), parallel()), got ${doc === null ? 'null' : Array.isArray(doc) ? 'an array' : typeof doc}` };
  }
  return { text: JSON.stringify(doc) };
}

/** A native call's outcome: its return value on done, what it threw (message, user frame) on error. */
function nativeOutcome(ir: ExecNode, r: CommandResult, reply: NativeReply | undefined): Outcome {
  if (!reply || r.killed) return outcomeOf(ir, r);
  // A lazy generator's return value is its subtree: grafted, not shown as a value.
  if (reply.ok) return ir.graft ? outcomeOf(ir, r) : { ...outcomeOf(ir, r), result: JSON.stringify(reply.value) };
  const exitCode = r.exitCode ?? 1;
  const reason = thrownReason(reply);
  return ir.suppressErrors
    ? { state: 'done', exitCode, reason: `${reason} (error suppressed)`, failure: 'exit' }
    : { state: 'error', exitCode, reason, failure: 'exit' };
}

/** A node that could not run: error, or done when its errors are suppressed. */
export function failure(ir: ExecNode, reason: string): Outcome {
  return ir.suppressErrors ? { state: 'done', reason: `${reason} (error suppressed)` } : { state: 'error', reason };
}
