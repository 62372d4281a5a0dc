/**
 * What runs a native function: decode the arguments, await the call, encode what it returned or threw.
 * The same code runs in the container (bundled into the entry, see plugins/native-bundle) and in-process
 * on the fake runtime, so a unit test meets the serialisation the container would.
 *
 * The reply goes to a result file, never stdout: stdout is the node's output, which the function may use.
 * Imports only what the in-container bundle may carry (node:fs, the tagged encoding).
 */
import { writeFileSync } from 'node:fs';
import { ownFile } from '../own-file.ts';
import { decodeTagged, encodeTagged } from './tagged-json.ts';
import { subtreeOrValue } from './subtree-reply.ts';

/** What a native call ended with: the encoded return value, or what it threw. */
export type NativeReply =
  | { ok: true; value: unknown }
  | { ok: false; error: { name: string; message: string; stack?: string }; setup?: boolean };

/** The lowest Node.js major a bundle is built for (esbuild target node18). */
export const MIN_NODE_MAJOR = 18;

// Frames of the machinery around the call (this entry, its generated module, Node's module loader):
// a user reading the stack wants their own frames only.
const MACHINERY = /\(?(node:internal\/|.*[\\/]core[\\/]native[\\/]entry-runtime\.|.*caisson-native-entry\.mjs|.*[\\/]native-in-process\.)/;

/**
 * Where the rest of Caisson's own code sits, on the host (the fake runtime calls functions in-process):
 * installed, all of dist/ (the bundle puts this code in shared chunks, under no telling name); in a
 * checkout, its core/, plugins/ and cli/ folders, not the examples or tests beside them. In a container
 * the bundle finds neither, and the frames above name it anyway.
 */
const OWN_CODE: RegExp | undefined = (() => {
  const entry = ownFile('core/native/entry-runtime.ts', 'core/native/entry-runtime.js');
  if (!entry) return undefined;
  const root = entry.replace(/[\\/]core[\\/]native[\\/]entry-runtime\.[jt]s$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[\\s(])(file://)?${root}[\\\\/]${entry.endsWith('.js') ? '' : '(core|plugins|cli)[\\\\/]'}`);
})();

/** The stack without the frames of the machinery that called the function. */
export function userStack(stack: string): string {
  return stack.split('\n').filter((line, i) => {
    if (i === 0 || !/^\s+at /.test(line)) return true;
    const where = line.trim().replace(/^at (\S+ )?/, '');
    return !MACHINERY.test(where) && !OWN_CODE?.test(where);
  }).join('\n');
}

/** Calls `fn` with the decoded `args` (tagged JSON) and encodes the outcome; never rejects. */
export async function invokeNative(fn: (...args: never[]) => unknown, args: unknown[]): Promise<NativeReply> {
  let value: unknown;
  try {
    // A returned builder (a lazy generator's subtree) goes back as its subtree document.
    value = subtreeOrValue(await fn(...(decodeTagged(args) as never[])));
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    return { ok: false, error: { name: err.name, message: err.message, ...(err.stack ? { stack: userStack(err.stack) } : {}) } };
  }
  const { json, problems } = encodeTagged(value, 'result');
  if (problems.length) {
    const message = `the return value cannot be sent back: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`;
    return { ok: false, error: { name: 'TypeError', message } };
  }
  return { ok: true, value: json };
}

/**
 * The container entry's main: `node bundle.mjs RESULT-FILE ARGS-JSON`. Writes the reply to RESULT-FILE;
 * a thrown error is also printed (message and stack) on stderr, and the exit code is 1.
 */
export async function runEntry(fn: (...args: never[]) => unknown): Promise<void> {
  const [resultFile, argsText] = process.argv.slice(2);
  const write = (reply: NativeReply) => { if (resultFile) writeFileSync(resultFile, JSON.stringify(reply)); };
  const major = Number(process.versions.node.split('.')[0]);
  if (major < MIN_NODE_MAJOR) {
    const message = `node ${process.versions.node} is too old to run native functions (needs ${MIN_NODE_MAJOR} or newer); use an image with a newer nodejs`;
    write({ ok: false, error: { name: 'Error', message }, setup: true });
    process.stderr.write(`caisson: ${message}\n`);
    process.exitCode = 1;
    return;
  }
  const reply = await invokeNative(fn, JSON.parse(argsText ?? '[]') as unknown[]);
  write(reply);
  if (!reply.ok) {
    process.stderr.write(`${reply.error.stack ?? `${reply.error.name}: ${reply.error.message}`}\n`);
    process.exitCode = 1;
  }
}
