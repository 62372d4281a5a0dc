/**
 * From an IR call to what a container runs: the bundle (through the NativeBundler), the shell command that
 * starts it with the image's `node`, the mount that delivers it, and where its reply will be. Reused by
 * every place that runs a call: the engine's Exec runner, `caisson debug`, lazy subtrees' generators.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { NativeCall } from '../ir/codecs.ts';
import type { Mount } from '../runtime/contract.ts';
import type { NativeBundler } from './contract.ts';
import type { NativeReply } from './entry-runtime.ts';
import { shellQuote } from '../ir/shell-quote.ts';

/** Where bundles are mounted in a container. */
export const BUNDLE_MOUNT = '/caisson/native';

/** The one line an image without `node` fails with. */
export const NO_NODE_MESSAGE = 'this image has no node (Node.js 18 or newer) to run native functions: add it to the image, e.g. installPackages: [\'nodejs\'] on a Debian base';

/** Everything needed to run one call in a container, and to run it in-process on the fake runtime. */
export interface NativeInvocation {
  /** The shell script to run (with the image's shell). */
  command: string;
  /** Read-only mount of the bundle folder at BUNDLE_MOUNT. */
  mount: Mount;
  /** In-container path of the reply file (tagged JSON of what the call returned or threw). */
  resultFile: string;
  /** The module file on the host, its export and the encoded arguments (for in-process runs). */
  module: string;
  /** The export holding the function. */
  export: string;
  /** The arguments, tagged JSON. */
  args: unknown[];
  /** Native addons the bundle left out (the image must provide them). */
  external: string[];
  /** True when the module file is no longer the one the tree was compiled from (its sha256 differs). */
  changed: boolean;
  /**
   * Set when the runtime cannot mount the bundle folder (no host mounts, e.g. Swarm): the bundle file to
   * copy into the container at `target` before the command (bundle-copy.ts).
   */
  copyIn?: { file: string; target: string };
}

/** The module's absolute host path: `call.module` is relative to the pipeline file's folder. */
export function moduleFile(call: NativeCall, baseDir: string): string {
  return isAbsolute(call.module) ? call.module : resolve(baseDir, call.module);
}

/** sha256 of a file's bytes; '' when it cannot be read (the bundler then says why). */
function contentAddress(file: string): string {
  try { return createHash('sha256').update(readFileSync(file)).digest('hex'); } catch { return ''; }
}

/** The path of the reply file for one attempt of one node (unique, so reused containers never mix them). */
export function resultFileFor(path: string, attempt: number): string {
  const token = createHash('sha256').update(`${path}\0${attempt}\0${process.pid}\0${Date.now()}`).digest('hex').slice(0, 16);
  return `/tmp/caisson-result-${token}.json`;
}

/**
 * Bundles the call's module and builds the command: a check that `node` exists (else the reply file says
 * how to add it and the exit code is 127), then `node --enable-source-maps BUNDLE RESULT-FILE ARGS`.
 */
export async function prepareInvocation(call: NativeCall, opts: { baseDir: string; bundler: NativeBundler; resultFile: string; keepCaisson?: boolean; copyBundle?: boolean }): Promise<NativeInvocation> {
  const module = moduleFile(call, opts.baseDir);
  const bundle = await opts.bundler.bundle({ file: module, export: call.export, ...(opts.keepCaisson ? { keepCaisson: true } : {}) });
  const inContainer = `${BUNDLE_MOUNT}/${bundle.hash}.mjs`;
  const command = opts.bundler.inProcessOnly ? noBundlerCommand(opts.resultFile) : nativeCommand(call, inContainer, opts.resultFile);
  return {
    command, resultFile: opts.resultFile, module, export: call.export, args: call.args,
    mount: { source: opts.bundler.dir, target: BUNDLE_MOUNT, readOnly: true }, external: bundle.external ?? [],
    changed: contentAddress(module) !== call.sha256,
    ...(opts.copyBundle && !opts.bundler.inProcessOnly ? { copyIn: { file: bundle.file, target: inContainer } } : {}),
  };
}

/** The shell script that runs the bundle at `inContainer` (an in-container path) with the call's arguments. */
export function nativeCommand(call: NativeCall, inContainer: string, resultFile: string): string {
  const noNode: NativeReply = { ok: false, setup: true, error: { name: 'Error', message: NO_NODE_MESSAGE } };
  const result = shellQuote(resultFile);
  return [
    `if ! command -v node >/dev/null 2>&1; then printf '%s' ${shellQuote(JSON.stringify(noNode))} > ${result}; echo ${shellQuote(`caisson: ${NO_NODE_MESSAGE}`)} >&2; exit 127; fi`,
    `exec node --enable-source-maps ${inContainer} ${result} ${shellQuote(JSON.stringify(call.args))}`,
  ].join('\n');
}

/** The one line a real container says when the Caisson has no bundler: which plugin to add. */
export const NO_BUNDLER_MESSAGE = 'native functions need a bundler on this runtime: add nativeBundle() from "caisson/native-bundle" to createCaisson({ plugins })';

function noBundlerCommand(resultFile: string): string {
  const reply: NativeReply = { ok: false, setup: true, error: { name: 'Error', message: NO_BUNDLER_MESSAGE } };
  return `printf '%s' ${shellQuote(JSON.stringify(reply))} > ${shellQuote(resultFile)}; echo ${shellQuote(`caisson: ${NO_BUNDLER_MESSAGE}`)} >&2; exit 2`;
}

/** Parses a reply file's text; undefined when there is none (the call never got to write it). */
export function parseReply(text: string | undefined): NativeReply | undefined {
  if (!text || !text.trim()) return undefined;
  try {
    const reply = JSON.parse(text) as NativeReply;
    return typeof reply === 'object' && reply !== null && typeof reply.ok === 'boolean' ? reply : undefined;
  } catch {
    return undefined;
  }
}

/** The first stack frame in a user's file (not node's own, not node_modules): `pipeline.ts:12:9`. */
export function userFrame(stack: string | undefined): string | undefined {
  for (const line of (stack ?? '').split('\n').slice(1)) {
    const m = /\(?((?:file:\/\/)?\/[^()\s]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (m && !m[1]!.includes('/node_modules/') && !m[1]!.startsWith('node:') && !m[1]!.includes(`${BUNDLE_MOUNT}/`)) {
      return `${m[1]!.replace(/^file:\/\//, '')}:${m[2]}:${m[3]}`;
    }
  }
  return undefined;
}

/** The reason an Exec whose call threw ends with: `threw Error: boom (at /p/pipeline.ts:12:9)`. */
export function thrownReason(reply: Extract<NativeReply, { ok: false }>): string {
  if (reply.setup) return reply.error.message;
  const at = userFrame(reply.error.stack);
  return `threw ${reply.error.name}: ${reply.error.message.split('\n')[0]}${at ? ` (at ${at})` : ''}`;
}
