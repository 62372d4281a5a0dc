/**
 * Runs a native call in the test's own process: imports the module file (as the test loaded it, so with
 * tsx a .ts file works), and calls the export through the same invokeNative the container entry uses:
 * arguments decoded from tagged JSON, the return value encoded, an error reported with its stack. So a
 * value that would not cross into the container fails here too.
 */
import { pathToFileURL } from 'node:url';
import type { CommandSpec } from '../../core/index.ts';
import { invokeNative, type NativeReply } from '../../core/plugin-kit.ts';

/** Calls the export; the reply as the container would write it, and the exit code it would end with. */
export async function runInProcess(native: NonNullable<CommandSpec['native']>, onOutput: CommandSpec['onOutput']): Promise<{ exitCode: number; reply: string }> {
  let reply: NativeReply;
  try {
    const mod = (await import(pathToFileURL(native.module).href)) as Record<string, unknown>;
    const fn = mod[native.export];
    if (typeof fn !== 'function') throw new Error(`${native.module} has no exported function "${native.export}"`);
    // A round trip through JSON text, as the argv and the reply file carry them.
    reply = JSON.parse(JSON.stringify(await invokeNative(fn as () => unknown, JSON.parse(JSON.stringify(native.args)) as unknown[]))) as NativeReply;
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    reply = { ok: false, error: { name: err.name, message: err.message, ...(err.stack ? { stack: err.stack } : {}) } };
  }
  if (!reply.ok) onOutput('stderr', `${reply.error.stack ?? `${reply.error.name}: ${reply.error.message}`}\n`);
  return { exitCode: reply.ok ? 0 : 1, reply: JSON.stringify(reply) };
}
