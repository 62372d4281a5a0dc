/**
 * Executes a Run in the foreground for `caisson run` and `caisson resume`, through the run reporter (the
 * live tree on a terminal, plain lines otherwise): Ctrl-C cancels (a second one quits), a summary at the end.
 * Exit code 0 only when the root is done.
 */
import type { Run } from '../../core/index.ts';
import type { RunReporter } from '../run-reporter.ts';

/** Starts `run`, reports it through `reporter` and resolves to the exit code. */
export async function executeRun(run: Run, reporter: RunReporter): Promise<number> {
  const off = run.on((e) => reporter.onEvent(e));
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(signal === 'SIGINT' ? 130 : 143);
    reporter.note(`caisson: ${signal}: cancelling (again to quit at once)…`);
    controller.abort(new Error(`cancelled by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const started = Date.now();
  try {
    const result = await run.start({ signal: controller.signal });
    reporter.summary(result, (Date.now() - started) / 1000);
    if (controller.signal.aborted) return 130;
    return result.state === 'done' ? 0 : 1;
  } finally {
    off();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
