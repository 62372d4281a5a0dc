/**
 * Work the CLI does before a run starts (building images) that Ctrl-C or SIGTERM cancels: the first
 * signal aborts it (builds stop, their temp folders go), a second one quits at once. The run itself has
 * its own handling (records/execute-run.ts).
 */

/** What `cancellable` resolves to: the work's result, or the signal that cancelled it. */
export type Cancellable<T> = { done: true; value: T } | { done: false; signal: NodeJS.Signals };

/** Runs `work` with a signal that SIGINT/SIGTERM abort; `note` is told when that happens. */
export async function cancellable<T>(work: (signal: AbortSignal) => Promise<T>, note: (line: string) => void): Promise<Cancellable<T>> {
  const controller = new AbortController();
  let got: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (got) process.exit(signal === 'SIGINT' ? 130 : 143);
    got = signal;
    note(`caisson: ${signal}: cancelling the image build (again to quit at once)…`);
    controller.abort(new Error(`cancelled by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return { done: true, value: await work(controller.signal) };
  } catch (e) {
    if (got) return { done: false, signal: got };
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** The exit code of a command a signal cancelled (128 + the signal's number, as shells report it). */
export const cancelledExitCode = (signal: NodeJS.Signals): number => (signal === 'SIGINT' ? 130 : 143);
