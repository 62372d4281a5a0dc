/**
 * `caisson debug` of a native node: the call bundled as a run would bundle it, its folder mounted
 * read-only, and the in-container command that re-invokes the call written to /caisson/cmd.sh. With
 * --live the bundle sits under a name of its own (`live-<pid>.mjs`) that is re-bundled whenever a file in
 * the module's folder changes, so the next /caisson/cmd.sh runs the edited code.
 */
import { copyFileSync, renameSync, rmSync, watch, type FSWatcher } from 'node:fs';
import { dirname, join } from 'node:path';
import { BUNDLE_MOUNT, execText, moduleFile, nativeCommand, type ExecNode, type Mount, type NativeBundler } from '../core/plugin-kit.ts';

/** Where the debug shell's re-invoked call writes its reply. */
export const DEBUG_REPLY = '/tmp/caisson-debug-reply.json';

/** What a debug shell runs for a node, the mounts it needs, and what to stop when the shell ends. */
export interface DebugCommand {
  command: string | string[];
  mounts: Mount[];
  /** A line to print for the person at the shell. */
  note?: string;
  /** Stops re-bundling and removes the live bundle. */
  close(): void;
}

/** The node's command for a debug shell; for a native call, its bundle (kept fresh with `live`). */
export async function debugCommandOf(node: ExecNode, baseDir: string, live = false): Promise<DebugCommand> {
  if (!node.call) return { command: node.command ?? '', mounts: [], close: () => {} };
  const call = node.call;
  // A debug shell is a container: the call runs bundled there, whatever runtime ran the node.
  const bundler = (await import('../plugins/native-bundle/index.ts')).nativeBundle().nativeBundler as NativeBundler;
  const file = moduleFile(call, baseDir);
  const request = { file, export: call.export };
  const first = await bundler.bundle(request);
  const mount = { source: bundler.dir, target: BUNDLE_MOUNT, readOnly: true };
  const what = `${execText(node)}: /caisson/cmd.sh calls it again (its reply, the return value or error as tagged JSON, lands in ${DEBUG_REPLY})`;
  if (!live) return { command: nativeCommand(call, `${BUNDLE_MOUNT}/${first.hash}.mjs`, DEBUG_REPLY), mounts: [mount], note: what, close: () => {} };
  const name = `live-${process.pid}.mjs`;
  const target = join(bundler.dir, name);
  const publish = (from: string) => { copyFileSync(from, `${target}.tmp`); renameSync(`${target}.tmp`, target); };
  publish(first.file);
  let watcher: FSWatcher | undefined;
  let pending: NodeJS.Timeout | undefined;
  try {
    watcher = watch(dirname(file), () => {
      clearTimeout(pending);
      pending = setTimeout(() => {
        bundler.bundle(request).then((b) => { publish(b.file); process.stderr.write(`caisson: re-bundled ${call.module}\n`); },
          (e: unknown) => process.stderr.write(`caisson: cannot re-bundle ${call.module}: ${(e as Error).message}\n`));
      }, 100);
    });
  } catch { /* no file watching here: the bundle stays as it was */ }
  return {
    command: nativeCommand(call, `${BUNDLE_MOUNT}/${name}`, DEBUG_REPLY), mounts: [mount],
    note: `${what}; live: edits to ${dirname(file)} are re-bundled at once`,
    close: () => { watcher?.close(); clearTimeout(pending); rmSync(target, { force: true }); },
  };
}
