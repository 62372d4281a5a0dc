/**
 * `caisson ui [--dir DIR] [--port N] [--host ADDR]`: the local web UI for the runs of a folder, live or
 * finished, until Ctrl-C. Prints the URL to open (it carries the per-launch token). `caisson run --ui`
 * starts the same server in the run's own process (see runCommand).
 */
import { dirname, resolve } from 'node:path';
import { RunStore, type RunRecord } from '../../core/plugin-kit.ts';
import { startUiServer, type RunSource, type UiServer } from '../../plugins/ui/index.ts';
import { positiveInt } from '../options.ts';
import { type DirOption, startedHere, storeFor } from '../records/open-run.ts';
import { runIndex, shownFolder } from '../records/known-runs.ts';
import { uiHooks } from '../ui-hooks.ts';
import { UsageError } from '../usage-error.ts';

/** Options of `caisson ui` (and the UI part of `caisson run --ui`). */
export interface UiOptions extends DirOption {
  port?: string;
  host?: string;
}

/** The runs `caisson ui` shows: those of --dir, else those of this folder (as `caisson runs` lists them). */
export function runSourceFor(opts: DirOption): RunSource {
  if (opts.dir !== undefined) {
    const store = storeFor(opts);
    return { ids: () => store.ids(), open: (id) => store.open(id) };
  }
  const here = () => startedHere(storeFor({}), runIndex().entries());
  return { ids: () => here().ids, open: (id) => here().open(id) };
}

/** The runs of one record's folder (`caisson run --ui`: the run it started, and its neighbours). */
export function runSourceOf(record: RunRecord): RunSource {
  const store = new RunStore(dirname(record.dir));
  return { ids: () => store.ids(), open: (id) => store.open(id) };
}

/** Starts the server; `note` prints what it does (resumes, rebuilds). */
export async function serveUi(runs: RunSource, opts: UiOptions & { title: string; runId?: string }, note: (line: string) => void): Promise<{ server: UiServer; close(): Promise<void> }> {
  const port = opts.port === undefined ? 0 : opts.port === '0' ? 0 : positiveInt('--port', opts.port);
  if (port !== undefined && port > 65535) throw new UsageError(`--port: expected a port number up to 65535, got "${opts.port}"`);
  const hooks = uiHooks(note);
  let server: UiServer;
  try {
    server = await startUiServer({ runs, hooks, host: opts.host ?? '127.0.0.1', port: port ?? 0, title: opts.title, ...(opts.runId ? { runId: opts.runId } : {}) });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL' || code === 'EACCES' || code === 'ENOTFOUND') {
      throw new UsageError(`ui: cannot listen on ${opts.host ?? '127.0.0.1'}:${port ?? 0} (${code}); pick another --host or --port`);
    }
    throw e;
  }
  return { server, close: async () => { await hooks.closeAll(); await server.close(); } };
}

/** `caisson ui`: serves until SIGINT/SIGTERM; exit code 0. */
export async function uiCommand(opts: UiOptions): Promise<number> {
  const folder = resolve(opts.dir ?? '.');
  const { server, close } = await serveUi(runSourceFor(opts), { ...opts, title: shownFolder(folder) }, (line) => process.stdout.write(`${line}\n`));
  process.stdout.write(`caisson ui: the runs of ${shownFolder(folder)} at ${server.url}\n(open it in a browser; the token in it is this launch's; Ctrl-C stops the server)\n`);
  await new Promise<void>((done) => {
    const stop = () => { process.off('SIGINT', stop); process.off('SIGTERM', stop); done(); };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await close();
  return 0;
}
