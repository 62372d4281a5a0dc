/**
 * Is a run's runner still executing it? Judged from the log's latest runner entry: it must not have
 * finished, and its process must exist on this host (a runner on another host cannot be checked, and is
 * taken as alive so nothing acts on a run that may be running elsewhere).
 */
import { hostname } from 'node:os';
import type { ReplayedRun } from './replay.ts';

/** True if process `pid` exists on this machine (EPERM means it exists but is not ours). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Where a run's runner stands: never ran, finished, running (pid), or gone without finishing. */
export type RunnerState = 'none' | 'finished' | 'running' | 'gone';

/** The runner state of a replayed run. */
export function runnerStateOf(replayed: Pick<ReplayedRun, 'runner' | 'runnerFinished'>): RunnerState {
  const runner = replayed.runner;
  if (!runner) return 'none';
  if (replayed.runnerFinished) return 'finished';
  if (runner.host !== hostname()) return 'running';
  return isProcessAlive(runner.pid) ? 'running' : 'gone';
}
