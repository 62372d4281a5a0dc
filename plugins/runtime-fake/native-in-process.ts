/**
 * Runs a native call in the test's own process: imports the module file (as the test loaded it, so with
 * tsx a .ts file works), and calls the export through the same invokeNative the container entry uses:
 * arguments decoded from tagged JSON, the return value encoded, an error reported with its stack. So a
 * value that would not cross into the container fails here too.
 */
import { pathToFileURL } from 'node:url';
import type { CommandSpec } from '../../core/index.ts';
import { invokeNative, userStack, withDataFiles, type DataFiles, type NativeReply } from '../../core/plugin-kit.ts';

// One in-process call at a time: each sees its node's env in process.env, as the container's process would.
let queue: Promise<unknown> = Promise.resolve();

/**
 * Calls the export with `env` (the node's env, secrets included) set in process.env for the call, and
 * `pipelineData` on `files` (the fake container's); the reply as the container would write it, and the
 * exit code it would end with.
 */
export function runInProcess(native: NonNullable<CommandSpec['native']>, env: Record<string, string>, onOutput: CommandSpec['onOutput'], files: DataFiles): Promise<{ exitCode: number; reply: string }> {
  const turn = queue.then(() => withEnv(env, () => withDataFiles(files, () => call(native, onOutput))));
  queue = turn.catch(() => undefined);
  return turn;
}

async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

async function call(native: NonNullable<CommandSpec['native']>, onOutput: CommandSpec['onOutput']): Promise<{ exitCode: number; reply: string }> {
  let reply: NativeReply;
  try {
    const mod = (await import(pathToFileURL(native.module).href)) as Record<string, unknown>;
    // A CommonJS module (a .ts file in a project without "type": "module") gives its exports as default.
    const fn = mod[native.export] ?? (mod.default as Record<string, unknown> | undefined)?.[native.export];
    if (typeof fn !== 'function') throw new Error(`${native.module} has no exported function "${native.export}"`);
    // A round trip through JSON text, as the argv and the reply file carry them.
    reply = JSON.parse(JSON.stringify(await invokeNative(fn as () => unknown, JSON.parse(JSON.stringify(native.args)) as unknown[]))) as NativeReply;
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    reply = { ok: false, error: { name: err.name, message: err.message, ...(err.stack ? { stack: userStack(err.stack) } : {}) } };
  }
  if (!reply.ok) onOutput('stderr', `${reply.error.stack ?? `${reply.error.name}: ${reply.error.message}`}\n`);
  return { exitCode: reply.ok ? 0 : 1, reply: JSON.stringify(reply) };
}
