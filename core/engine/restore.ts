/**
 * Restoring an Exec's status from a replayed run log (CreateRunOptions.initial).
 */
import type { NodeStatus } from './types.ts';
import type { RunExec } from './run-node.ts';

/** Why a restored node that was in progress is now killed. */
export const INTERRUPTED = 'interrupted: the process running it ended';

/** Copies `given` onto an Exec; work that was queued or running cannot be resumed, so it is killed. */
export function restoreExecStatus(n: RunExec, given: NodeStatus): void {
  const wasInProgress = given.state === 'running' || given.state === 'queued';
  n.state = wasInProgress ? 'killed' : given.state;
  n.attempt = given.attempt;
  n.startedAt = given.startedAt;
  n.endedAt = given.endedAt;
  n.reason = wasInProgress ? INTERRUPTED : given.reason;
  n.exitCode = given.exitCode;
  n.result = wasInProgress ? undefined : given.result;
  n.failure = wasInProgress ? undefined : given.failure;
  // A retry series survives only a cancel during the wait (the node is pending with its mark).
  n.retry = given.retry ? { ...given.retry } : undefined;
  // The key is what later cached Execs of a Serial build on (their upstream); a reset's bypass waits for resume.
  n.cacheKey = given.cacheKey;
  n.cached = given.cached ? { ...given.cached } : undefined;
  n.bypassCache = given.bypassCache;
}
