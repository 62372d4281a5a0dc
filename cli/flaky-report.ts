/**
 * The run summary's flaky report: the Execs that passed only on a later try of a retry series, so a
 * green run that needed retries does not hide them ("flaky: /ci/test passed on attempt 2/3").
 */
import type { NodeStatus } from '../core/index.ts';

/** One line per node that ended done on try 2 or later of its retry series, in tree (status) order. */
export function flakyLines(statuses: Record<string, NodeStatus>): string[] {
  return Object.entries(statuses)
    .filter(([, s]) => s.state === 'done' && !s.skipped && s.retry !== undefined && s.retry.attempt > 1)
    .map(([path, s]) => `flaky: ${path} passed on attempt ${s.retry!.attempt}/${s.retry!.of}`);
}
