/**
 * Execs waiting for a retry: the decision to retry a failed attempt, and the timers (on the engine
 * clock) that enqueue them again. A waiting Exec holds no admission gate and stays `queued`, so its
 * Serial parent neither stops (stopOnError) nor flickers through error.
 */
import { formatDuration } from '../ir/duration.ts';
import type { Clock } from './clock.ts';
import type { RetryMark, RetryEvent } from './events.ts';
import type { Outcome } from './exec-runner.ts';
import { attemptsOf, effectivePolicy, retryDelayMs, ruleAction } from './retry-policy.ts';
import type { RunExec, RunNode } from './run-node.ts';

/** A scheduled retry: the coming try and its delay, for the queued state and the retry event. */
export interface PlannedRetry {
  /** The node's new place in its series. */
  mark: RetryMark;
  /** The wait in ms. */
  delayMs: number;
  /** The queued state's reason: "exit code 1; retry 2/3 in 8s". */
  reason: string;
}

/**
 * The retry the policy grants a failed attempt of `n`, or a reason to fail instead (undefined when the
 * rules say fail or the attempts are used up; a string when the budget ran out, to add to the reason).
 */
export function planRetry(n: RunExec, outcome: Outcome, now: number, runId: string): PlannedRetry | { budgetSpent: string } | undefined {
  if (!outcome.failure) return undefined;
  const policy = effectivePolicy(n.ir.retry);
  if (ruleAction(policy, outcome.failure, outcome.exitCode) !== 'retry') return undefined;
  const of = attemptsOf(policy);
  const current = n.retry?.attempt ?? 1;
  if (current >= of) return undefined;
  const attempt = current + 1;
  const since = n.retry?.since ?? n.startedAt ?? now;
  const delayMs = retryDelayMs(policy, attempt, runId, n.path);
  if (policy.budget !== undefined && now + delayMs - since > policy.budget * 1000) {
    return { budgetSpent: `retry budget of ${formatDuration(policy.budget)} used up` };
  }
  const why = outcome.reason ?? `failed (${outcome.failure})`;
  return { mark: { attempt, of, since }, delayMs, reason: `${why}; retry ${attempt}/${of} in ${formatDuration(delayMs / 1000)}` };
}

/** The retry event for a planned retry of `n`'s failed attempt. */
export function retryEvent(n: RunExec, outcome: Outcome, plan: PlannedRetry, at: number): RetryEvent {
  return {
    type: 'retry', at, path: n.path, failed: n.attempt, failure: outcome.failure!,
    ...(outcome.exitCode !== undefined ? { exitCode: outcome.exitCode } : {}),
    reason: outcome.reason ?? '', attempt: plan.mark.attempt, of: plan.mark.of, delayMs: plan.delayMs,
  };
}

/** The timers of Execs waiting for a retry. */
export class RetryWaits {
  private readonly timers = new Map<RunExec, unknown>();

  /** @param clock the engine clock the waits run on */
  constructor(private readonly clock: Clock) {}

  /** How many Execs are waiting. */
  get size(): number { return this.timers.size; }

  /** True when `n` waits for a retry. */
  has(n: RunExec): boolean { return this.timers.has(n); }

  /** Calls `fire` after `ms` for `n`, unless cleared first. */
  wait(n: RunExec, ms: number, fire: () => void): void {
    // Kept alive: during the wait nothing else may hold the process open (a lone retrying node).
    this.timers.set(n, this.clock.setTimer(() => { this.timers.delete(n); fire(); }, ms, { keepAlive: true }));
  }

  /** Clears the waits of the Execs at or under `n` and returns them. */
  clearUnder(n: RunNode): RunExec[] {
    const cleared = [...this.timers.keys()].filter((w) => w === n || w.path.startsWith(n.path + '/'));
    for (const w of cleared) this.clear(w);
    return cleared;
  }

  /** Clears every wait and returns the Execs that waited. */
  clearAll(): RunExec[] {
    const all = [...this.timers.keys()];
    for (const w of all) this.clear(w);
    return all;
  }

  private clear(n: RunExec): void {
    this.clock.clearTimer(this.timers.get(n));
    this.timers.delete(n);
  }
}
