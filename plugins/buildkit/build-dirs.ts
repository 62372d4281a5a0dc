/**
 * The temp folders builds write their Dockerfile (and build secrets) to: made 0700 under the temp dir,
 * removed when the build ends, and also when the process ends first. On SIGINT/SIGTERM with no other
 * listener (nobody else handles the signal, so Node would end the process at once, skipping every
 * `finally`), the folders are removed and the signal is raised again, so the process still ends as it
 * would have (execa's signal-exit then stops the buildx child). With another listener (the CLI cancelling the build) that owner decides, and the build's
 * own `finally` removes the folder. A plain exit removes them too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const live = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
let installed = false;

function removeAll(): void {
  for (const dir of live) rmSync(dir, { recursive: true, force: true });
  live.clear();
}

/**
 * Listeners of `signal` besides ours and signal-exit's. signal-exit (execa's child cleanup) steps aside
 * while any other listener exists, as we do: counting it as an owner, neither would act, and the
 * signal would be ignored.
 */
function othersListening(signal: NodeJS.Signals): boolean {
  const signalExit = (globalThis as Record<symbol, { count?: number } | undefined>)[Symbol.for('signal-exit emitter')]?.count ?? 0;
  return process.listenerCount(signal) - 1 - signalExit > 0;
}

function onSignal(signal: NodeJS.Signals): void {
  if (othersListening(signal)) return;
  removeAll();
  uninstall();
  process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const s of SIGNALS) process.on(s, onSignal);
  process.on('exit', removeAll);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  for (const s of SIGNALS) process.off(s, onSignal);
  process.off('exit', removeAll);
}

/** A new build folder (`caisson-build-*` under the temp dir) and the function that removes it. */
export function makeBuildDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'caisson-build-'));
  live.add(dir);
  install();
  return {
    dir,
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
      live.delete(dir);
      // No handler left behind once no build runs: a process that builds nothing keeps Node's defaults.
      if (live.size === 0) uninstall();
    },
  };
}
