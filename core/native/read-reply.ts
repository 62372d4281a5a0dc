/**
 * Reading a native call's reply back from its container, after the call ended, on the same lease: the
 * runtime's own readFile when it has one (the fake), else a `cat` run as a second command whose output is
 * captured, never forwarded as the node's output. Works on any runtime that can run a command.
 */
import type { ContainerLease } from '../runtime/contract.ts';
import { decodeTagged } from './tagged-json.ts';
import { parseReply } from './invocation.ts';
import type { NativeReply } from './entry-runtime.ts';

/** The reply file's text (and removes the file); undefined when the call never wrote one. */
export async function readReply(lease: ContainerLease, file: string, signal: AbortSignal): Promise<string | undefined> {
  if (lease.readFile) return lease.readFile(file, signal);
  let out = '';
  const r = await lease.run({
    path: file, command: ['sh', '-c', 'cat "$1" 2>/dev/null; rm -f "$1"', 'sh', file], env: {}, signal,
    onOutput: (stream, data) => { if (stream === 'stdout') out += data; },
  });
  return r.exitCode === 0 ? out : undefined;
}

/**
 * The call's decoded return value, or its reply when it threw (or none was written): for callers that
 * need the value itself (a lazy subtree's generator), not the node's outcome.
 */
export async function readReturnValue(lease: ContainerLease, file: string, signal: AbortSignal): Promise<{ ok: true; value: unknown } | { ok: false; reply: NativeReply | undefined }> {
  const reply = parseReply(await readReply(lease, file, signal));
  return reply?.ok ? { ok: true, value: decodeTagged(reply.value) } : { ok: false, reply };
}
