/**
 * Runs one admitted Exec: container from the pool, the command with its env, the maxTime timer on the
 * engine clock, output forwarded as events, and the result turned into the node's next state.
 */
import type { ExecNode } from '../ir/index.ts';
import type { CommandResult, ContainerSpec } from '../runtime/index.ts';
import type { Clock } from './clock.ts';
import type { NodeState, RunEvent } from './events.ts';
import type { ContainerPool } from './container-pool.ts';
import type { RunNode } from './run-node.ts';

/** Reasons carried on the command's AbortSignal (and shown with the killed state). */
export const MAX_TIME_EXCEEDED = 'max time exceeded';
export const CANCELLED = 'cancelled';
export const KILLED_BY_USER = 'killed by user';
export const RESET = 'reset';

export interface Outcome { state: NodeState; reason?: string; exitCode?: number }

export interface ExecRunnerDeps {
  clock: Clock;
  pool: ContainerPool;
  emit(e: RunEvent): void;
  /** The container an Exec needs; throws when it cannot be described (unknown image). */
  specFor(n: RunNode): ContainerSpec;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Executes `n` (already running, attempt stamped); never rejects. */
export async function runExec(deps: ExecRunnerDeps, n: RunNode, control: AbortController): Promise<Outcome> {
  const ir = n.ir as ExecNode;
  const attempt = n.attempt;
  const { signal } = control;
  const timer = deps.clock.setTimer(() => control.abort(MAX_TIME_EXCEEDED), ir.maxTime * 1000);
  const killed = (): Outcome => ({ state: 'killed', reason: String(signal.reason) });
  try {
    const spec = deps.specFor(n);
    const { lease, reused } = await deps.pool.acquire(spec, signal);
    deps.emit({ type: 'container', at: deps.clock.now(), path: n.path, attempt, containerId: lease.id, group: spec.group, reused });
    if (signal.aborted) { deps.pool.release(spec, lease, false); return killed(); }
    let live = true;
    let result: CommandResult;
    try {
      result = await lease.run({
        path: n.path, attempt, command: ir.command, env: ir.env, signal,
        onOutput: (stream, data) => {
          if (live) deps.emit({ type: 'output', at: deps.clock.now(), path: n.path, attempt, stream, data });
        },
      });
    } catch (err) {
      deps.pool.release(spec, lease, false);
      return signal.aborted ? killed() : failure(ir, messageOf(err));
    } finally {
      live = false;
    }
    deps.pool.release(spec, lease, !signal.aborted && !result.killed);
    if (signal.aborted) return killed();
    return outcomeOf(ir, result);
  } catch (err) {
    return signal.aborted ? killed() : failure(ir, messageOf(err));
  } finally {
    deps.clock.clearTimer(timer);
  }
}

/** Exit 0 → done; non-zero → error (done under suppressErrors); killed by the runtime → killed. */
function outcomeOf(ir: ExecNode, r: CommandResult): Outcome {
  if (r.killed) return { state: 'killed', reason: r.message ?? (r.killed === 'oom' ? 'killed: out of memory' : 'killed') };
  if (r.exitCode === 0) return { state: 'done', exitCode: 0 };
  if (r.exitCode === null) return failure(ir, r.message ?? 'the command ended without an exit code');
  const reason = r.message ?? `exit code ${r.exitCode}`;
  return ir.suppressErrors
    ? { state: 'done', exitCode: r.exitCode, reason: `${reason} (error suppressed)` }
    : { state: 'error', exitCode: r.exitCode, reason };
}

/** A node that could not run: error, or done when its errors are suppressed. */
export function failure(ir: ExecNode, reason: string): Outcome {
  return ir.suppressErrors ? { state: 'done', reason: `${reason} (error suppressed)` } : { state: 'error', reason };
}
