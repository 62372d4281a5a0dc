/**
 * The DSL side of native functions: `exec(name, fn, ...args)` checks, when the tree is built, that `fn` is
 * a function and that every argument round-trips through the tagged JSON encoding (an error names each
 * argument path that does not); compile() then finds `fn`'s module and export name (core/native/locate.ts)
 * and records the call in the IR.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DslError } from '../errors.ts';
import type { NativeCall } from '../ir/codecs.ts';
import { describe, exportNameOf, locateFunction } from '../native/locate.ts';
import { encodeTagged } from '../native/tagged-json.ts';

/** Any function a native node may call; its parameters type the arguments. */
export type NativeFunction = (...args: any[]) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any -- Parameters<F> must accept any parameter list


/** A native call in a definition: the function itself and its arguments, already encoded. */
export interface NativeCallDef {
  /** The function, resolved to its module and export at compile time. */
  readonly fn: NativeFunction;
  /** The arguments as tagged JSON. */
  readonly args: readonly unknown[];
}

/** Checks `fn` and encodes `args`; one DslError naming the node path and every argument that does not round-trip. */
export function nativeCallDef(fn: unknown, args: readonly unknown[], where: string): NativeCallDef {
  if (typeof fn !== 'function') throw new DslError(`${where}: expected a function, got ${typeof fn}`, { path: where, option: 'fn' });
  const { json, problems } = encodeTagged([...args], 'args');
  if (problems.length) {
    throw new DslError(`${where}: ${describe(fn as NativeFunction)}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { path: where, option: 'args' });
  }
  // The arguments travel on the container's command line, where one word is at most 128 KiB (Linux).
  const size = Buffer.byteLength(JSON.stringify(json));
  if (size > MAX_ARGS_BYTES) {
    throw new DslError(`${where}: ${describe(fn as NativeFunction)}: the arguments are ${Math.ceil(size / 1024)} KiB as JSON, over the ${MAX_ARGS_BYTES / 1024} KiB a native call can take; pass a path or a key instead and read the data in the function`, { path: where, option: 'args' });
  }
  return Object.freeze({ fn: fn as NativeFunction, args: Object.freeze(json as unknown[]) });
}

/** The most JSON the arguments may take (they are one word of the container's command line). */
export const MAX_ARGS_BYTES = 100 * 1024;

/** Options of the call's compilation: the folder module paths are relative to (the pipeline file's). */
export interface CallContext {
  /** Absolute folder; module paths in the IR are relative to it. */
  baseDir: string;
}

const hashes = new Map<string, string>();

/** The IR call for `def` at node `at`: module path and content address, export name, arguments. */
export function compileCall(def: NativeCallDef, at: string, ctx: CallContext): NativeCall {
  const url = locateFunction(def.fn);
  const what = describe(def.fn);
  if (!url) throw new DslError(`${at}: ${what} is not defined in a module file, so a container cannot import it; export it from your pipeline file and pass that`, { path: at, option: 'fn' });
  const file = fileURLToPath(url);
  const module = relative(ctx.baseDir, file).split(sep).join('/');
  const shown = module.startsWith('.') ? module : `./${module}`;
  if (def.fn.name.startsWith('bound ')) throw new DslError(`${at}: ${what} is a bound function, which has no export to import; export a plain function and pass its data as arguments`, { path: at, option: 'fn' });
  const found = exportNameOf(def.fn, url, shown);
  if ('error' in found) throw new DslError(`${at}: ${found.error}`, { path: at, option: 'fn' });
  let sha256 = hashes.get(file);
  if (sha256 === undefined) {
    sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
    hashes.set(file, sha256);
  }
  return { module, sha256, export: found.name, args: [...def.args] };
}
