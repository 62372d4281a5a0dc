/**
 * `caisson debug` of a native node: the call bundled as a run would bundle it, its folder mounted
 * read-only, and the in-container command that re-invokes the call written to /caisson/cmd.sh.
 */
import { execText, prepareInvocation, type ExecNode, type Mount, type NativeBundler } from '../core/plugin-kit.ts';
import { nativePlugins } from './runtimes.ts';

/** Where the debug shell's re-invoked call writes its reply. */
export const DEBUG_REPLY = '/tmp/caisson-debug-reply.json';

/** The node's command for a debug shell, and the mounts it needs (the bundle folder for a native call). */
export async function debugCommandOf(node: ExecNode, baseDir: string): Promise<{ command: string | string[]; mounts: Mount[]; note?: string }> {
  if (!node.call) return { command: node.command ?? '', mounts: [] };
  const bundler = (await nativePlugins('docker'))[0]!.nativeBundler as NativeBundler;
  const inv = await prepareInvocation(node.call, { baseDir, bundler, resultFile: DEBUG_REPLY });
  return { command: inv.command, mounts: [inv.mount], note: `${execText(node)}: ${'/caisson/cmd.sh'} calls it again (its reply, the return value or error as tagged JSON, lands in ${DEBUG_REPLY})` };
}
