/**
 * Runs one admitted Exec: container from the pool, the command with its env, the maxTime timer on the
 * engine clock, output forwarded as events, and the result turned into the node's next state.
 */
import type { ExecNode } from '../ir/index.ts';
import type { CommandResult, ContainerSpec } from '../runtime/index.ts';
import type { Clock } from './clock.ts';
import type { NodeState, RunEvent } from './events.ts';
import type { ContainerPool } from './container-pool.ts';
import type { RunExec } from './run-node.ts';
import type { RunSecrets } from '../secrets/run-secrets.ts';
import type { FailureClass } from '../options/retry-option.ts';
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
export interface Outcome { state: NodeState; reason?: string; exitCode?: number; failure?: FailureClass }

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
  /**
   * The run's secret values (read when the run started): the env secret("NAME") references get, and
   * the masks every node's output and error reason go through.
   */
  secrets(): RunSecrets;
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
  // Any secret of the run, not only this node's: a runtime message can quote whatever the command saw.
  return outcome.reason === undefined ? outcome : { ...outcome, reason: secrets.scrub(outcome.reason) };
}

async function execute(deps: ExecRunnerDeps, secrets: RunSecrets, n: RunExec, control: AbortController): Promise<Outcome> {
  const ir = n.ir;
  const attempt = n.attempt;
  const { signal } = control;
  const timer = deps.clock.setTimer(() => control.abort(MAX_TIME_EXCEEDED), ir.maxTime * 1000);
  const killed = (): Outcome => {
    const failure = ABORT_CLASS[String(signal.reason)];
    return { state: 'killed', reason: String(signal.reason), ...(failure ? { failure } : {}) };
  };
  // The runtime failed (daemon gone, create/start failed, image missing): retryable infra.
  const infra = (err: unknown): Outcome => (signal.aborted ? killed() : { ...failure(ir, messageOf(err)), failure: 'infra' });
  try {
    // Secrets first: a missing one fails the node before any container is taken.
    const secretEnv = secrets.envFor(ir, n.path);
    if (typeof secretEnv === 'string') return failure(ir, secretEnv);
    // Masked with every secret of the run: a value can reach this node without being given to it.
    const scrubbers = { stdout: secrets.scrubber(), stderr: secrets.scrubber() };
    let spec: ContainerSpec;
    try { spec = deps.specFor(n); } catch (err) { return failure(ir, messageOf(err)); } // the run was not given its image
    const options = deps.commandOptionsFor?.(n) ?? {};
    // Inputs next: a producer that did not end done fails the node before any container is taken.
    const gathered = ir.inputs && deps.artifacts ? deps.artifacts.gather(ir) : undefined;
    if (gathered && !gathered.ok) return failure(ir, gathered.reason);
    // Only a container that ran Execs given exactly these secrets (see ContainerPool).
    let acquired: Awaited<ReturnType<ExecRunnerDeps['pool']['acquire']>>;
    try { acquired = await deps.pool.acquire(spec, signal, Object.values(ir.secrets ?? {})); } catch (err) { return infra(err); }
    const { lease, reused } = acquired;
    deps.emit({ type: 'container', at: deps.clock.now(), path: n.path, attempt, containerId: lease.id, group: spec.group, reused });
    if (signal.aborted) { deps.pool.release(spec, lease, false); return killed(); }
    if (gathered?.deliveries.length) {
      let problem: string | undefined;
      try { problem = await deps.artifacts!.deliver(lease, n.path, gathered.deliveries, options.workdir ?? lease.workdir ?? '/'); } catch (err) { deps.pool.release(spec, lease, false); return infra(err); }
      if (problem) { deps.pool.release(spec, lease, true); return failure(ir, problem); }
    }
    // The data store's snapshot and exchange folder; undefined when the runtime cannot copy files.
    const dataSeq = deps.data ? await deps.data.prepare(lease) : undefined;
    let live = true;
    let result: CommandResult;
    const forward = (stream: 'stdout' | 'stderr', data: string) => {
      if (live && data) deps.emit({ type: 'output', at: deps.clock.now(), path: n.path, attempt, stream, data });
    };
    try {
      result = await lease.run({
        // Plain env last: a run edit (--env K=V) wins over a secret of the same name.
        path: n.path, attempt, command: ir.command, env: { ...secretEnv, ...ir.env }, signal,
        ...options,
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
      if (dataSeq !== undefined) deps.data!.ran(lease);
    }
    if (signal.aborted) { deps.pool.release(spec, lease, false); return killed(); }
    const outcome = outcomeOf(ir, result);
    // Outputs before the container goes back to the pool: the next command there could change them.
    if (outcome.state === 'done' && ir.outputs?.length && deps.artifacts) {
      let problem: string | undefined;
      try { problem = await deps.artifacts.capture(lease, n.path, attempt, ir.outputs, options.workdir ?? lease.workdir ?? '/'); } catch (err) { deps.pool.release(spec, lease, false); return infra(err); }
      if (problem) { deps.pool.release(spec, lease, true); return failure(ir, problem); }
    }
    deps.pool.release(spec, lease, !result.killed);
    return outcome;
  } catch (err) {
    return infra(err);
  } finally {
    deps.clock.clearTimer(timer);
  }
}

/**
 * Exit 0 → done; non-zero → error (done under suppressErrors), class exit; the kernel's memory killer →
 * killed, class oom, with the raise-mem hint; killed by something else, or no exit code → infra.
 */
function outcomeOf(ir: ExecNode, r: CommandResult): Outcome {
  if (r.killed === 'oom') return { state: 'killed', reason: `${r.message ?? 'killed: out of memory'}; ${RAISE_MEM_HINT}`, failure: 'oom' };
  if (r.killed) return { state: 'killed', reason: r.message ?? 'killed', failure: 'infra' };
  if (r.exitCode === 0) return { state: 'done', exitCode: 0 };
  if (r.exitCode === null) return { ...failure(ir, r.message ?? 'the command ended without an exit code'), failure: 'infra' };
  const reason = r.message ?? `exit code ${r.exitCode}`;
  return ir.suppressErrors
    ? { state: 'done', exitCode: r.exitCode, reason: `${reason} (error suppressed)`, failure: 'exit' }
    : { state: 'error', exitCode: r.exitCode, reason, failure: 'exit' };
}

/** A node that could not run: error, or done when its errors are suppressed. */
export function failure(ir: ExecNode, reason: string): Outcome {
  return ir.suppressErrors ? { state: 'done', reason: `${reason} (error suppressed)` } : { state: 'error', reason };
}
