/**
 * SIGINT/SIGTERM must not leave containers behind. While any provider holds containers, one handler per
 * signal removes them all, then re-raises the signal with the default action so the process still dies
 * the way its parent expects (exit status 130/143).
 */
type Cleanup = () => Promise<void>;

const active = new Set<Cleanup>();
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
let cleaningUp = false;

const onSignal = (signal: NodeJS.Signals) => {
  if (cleaningUp) return;
  cleaningUp = true;
  const all = [...active];
  const deadline = setTimeout(() => reRaise(signal), 10_000);
  void Promise.allSettled(all.map((c) => c())).then(() => {
    clearTimeout(deadline);
    reRaise(signal);
  });
};

const reRaise = (signal: NodeJS.Signals) => {
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  process.kill(process.pid, signal);
};

/**
 * Registers `cleanup` to run on SIGINT/SIGTERM; returns the function that unregisters it. Handlers are
 * installed only while something is registered, so an idle process keeps Node's default behaviour.
 */
export const registerSignalCleanup = (cleanup: Cleanup): (() => void) => {
  if (active.size === 0) for (const s of SIGNALS) process.on(s, onSignal);
  active.add(cleanup);
  return () => {
    active.delete(cleanup);
    if (active.size === 0 && !cleaningUp) for (const s of SIGNALS) process.removeListener(s, onSignal);
  };
};
