/**
 * What the `caisson` command lends the web UI server (plugins/ui may not import the runtime or image
 * plugins): the exact `caisson debug` command line, where a run's secrets come from, resume in this
 * process, rebuilds, and debug shells made exactly as `caisson debug` makes them.
 */
import { PassThrough } from 'node:stream';
import { resolve } from 'node:path';
import { debugDataArchive, shellQuote, type DebugTerminal, type RunRecord } from '../core/plugin-kit.ts';
import type { ShellSession, UiHooks } from '../plugins/ui/index.ts';
import { debugTarget, secretEnvOf, shellsFor } from './commands/debug.ts';
import { debugCommandOf } from './native-debug.ts';
import { prepareResume } from './commands/resume.ts';
import { shownFolder } from './records/known-runs.ts';
import { rebuildImages, recordImages, saveImages } from './records/run-images.ts';
import { runSecrets } from './run-secrets.ts';

/** The folder a record's `--dir` names (the pipeline file's folder). */
const folderOf = (record: RunRecord): string => resolve(record.dir, '..', '..', '..');

/** The UI's hooks. `note` prints what runs started from the UI do (above nothing: plain lines). */
export function uiHooks(note: (line: string) => void): UiHooks & { closeAll(): Promise<void> } {
  const shells = new Set<ShellSession>();
  const running = new Set<Promise<unknown>>();
  return {
    debugCommand: (record, path) => {
      const dir = shownFolder(folderOf(record));
      return `caisson debug ${record.id} ${shellQuote(path)}${dir === '.' ? '' : ` --dir ${shellQuote(dir)}`}`;
    },
    secretsOf: (record) => runSecrets(record.loadIr(), record.loadMeta().file),
    resume: async (record) => {
      const resumed = await prepareResume(record, note);
      note(`caisson ui: running what is pending in run ${record.id}`);
      const done = resumed.run.start().then((r) => note(`caisson ui: run ${record.id} ended ${r.state}`), (e: unknown) => note(`caisson ui: run ${record.id} failed: ${(e as Error).message}`))
        .finally(() => { resumed.close(); running.delete(done); });
      running.add(done);
    },
    rebuild: async (record, names) => {
      const meta = record.loadMeta();
      const resolved = await rebuildImages(meta, record.loadIr(), names, undefined, () => {});
      saveImages(record, meta, resolved);
      note(`caisson ui: rebuilt ${names.join(', ')} for run ${record.id}`);
      return recordImages(resolved);
    },
    openShell: async (record, path, size) => {
      const target = debugTarget(record, path);
      const { debug } = await shellsFor(target);
      const native = await debugCommandOf(target.node, target.baseDir);
      const container = await debug.start({
        path: target.path, image: target.imageRef, env: target.node.env, secretEnv: secretEnvOf(target, note), command: native.command,
        shell: target.ir.images[target.node.image]?.shell, mounts: native.mounts, labels: { 'dev.caisson.debug-origin': `ui: run ${record.id}`.slice(0, 200) },
        archive: debugDataArchive(target.data),
      });
      const term = browserTerminal(size);
      const session: ShellSession = {
        write: (data) => term.stdin.write(data),
        resize: (cols, rows) => term.resize(cols, rows),
        onData: (l) => term.stdout.on('data', (b: Buffer) => l(b.toString('utf8'))),
        onExit: (l) => { exit.then(l, () => l(1)); },
        close: async () => { shells.delete(session); term.stdin.end(); await container.remove(); },
      };
      const exit = container.openShell(term.terminal).finally(() => { void session.close(); });
      shells.add(session);
      return session;
    },
    closeAll: async () => {
      await Promise.all([...shells].map((s) => s.close()));
    },
  };
}

/**
 * A terminal for the debug shell made of streams: what the browser types goes in, what the shell
 * prints comes out, and a resize is what a TTY's 'resize' event is to `caisson debug`.
 */
function browserTerminal(size: { cols: number; rows: number }) {
  const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode() { return stdin; } });
  const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: size.cols, rows: size.rows });
  return {
    stdin, stdout,
    terminal: { stdin, stdout, stderr: stdout } as unknown as DebugTerminal,
    resize: (cols: number, rows: number) => { stdout.columns = cols; stdout.rows = rows; stdout.emit('resize'); },
  };
}
