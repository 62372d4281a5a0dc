/**
 * Entry points of the DSL: pipeline() makes a root, serial()/parallel()/exec() make detached
 * subtree values to graft with `.add(name, value)`.
 */
import { DslError } from '../errors.ts';
import { check, NodeName } from '../options/rules.ts';
import { normalizeCommand } from './defs.ts';
import { ExecBuilder } from './exec-builder.ts';
import { GroupBuilder, emptyGroup } from './group-builder.ts';
import { applyOptions } from './apply-options.ts';
import { nativeCallDef, type NativeFunction } from './native-call.ts';
import type { ExecOptions, ParallelOptions, PipelineOptions, SerialOptions } from './options.ts';

/**
 * Starts a pipeline: a root Serial named `name` (`/name` in paths), or a Parallel root with
 * `{ parallel: true }`. A prebuilt serial()/parallel() value can also be named as a pipeline:
 * `pipeline('ci', parallel({ maxConcurrent: 4 }).exec(...))`.
 * @throws DslError when the name breaks the node name rule (empty, "/", control characters, not
 *   well-formed, over 255 long), or an option is invalid.
 */
export function pipeline(name: string, options: PipelineOptions & { parallel: true }): GroupBuilder<'parallel'>;
export function pipeline(name: string, options?: PipelineOptions): GroupBuilder<'serial'>;
export function pipeline<K extends 'serial' | 'parallel'>(name: string, root: GroupBuilder<K>): GroupBuilder<K>;
export function pipeline(name: string, options?: PipelineOptions | GroupBuilder): GroupBuilder {
  const checked = check(NodeName, name);
  if (!checked.ok) throw new DslError(`pipeline(): name: ${checked.message}`, { path: 'pipeline()', option: 'name' });
  const at = `/${name}`;
  if (options instanceof GroupBuilder) return new GroupBuilder(options.def, at, name);
  const { parallel: isParallel, ...rest } = options ?? {};
  if (isParallel !== undefined && typeof isParallel !== 'boolean') throw new DslError(`${at}: parallel: expected true or false, got ${JSON.stringify(isParallel)}`, { path: at, option: 'parallel' });
  return new GroupBuilder(emptyGroup(isParallel ? 'parallel' : 'serial', rest, at), at, name);
}

/** A detached Serial (children run in order) to graft with `.add(name, value)`. */
export function serial(options?: SerialOptions): GroupBuilder<'serial'> {
  return new GroupBuilder(emptyGroup('serial', options, '(serial)'), '(serial)');
}

/** A detached Parallel (children run together) to graft with `.add(name, value)`. */
export function parallel(options?: ParallelOptions): GroupBuilder<'parallel'> {
  return new GroupBuilder(emptyGroup('parallel', options, '(parallel)'), '(parallel)');
}

/**
 * A detached native-function Exec: calls `fn(...args)` in its container (see GroupBuilder.exec); give it
 * options with `.set(options)` and graft it with `.add(name, value)`.
 */
export function exec<F extends NativeFunction>(fn: F, ...args: Parameters<F>): ExecBuilder;
/**
 * A detached Exec to graft with `.add(name, value)` or `.replace(path, value)`. `command` is a shell
 * script (unindented as Conducto does, so indented template literals read well) or an argv array.
 * (Last, so a misspelt option is what a type error explains; see GroupBuilder.exec.)
 */
export function exec(command: string | string[], options?: ExecOptions): ExecBuilder;
export function exec(command: string | string[] | NativeFunction, ...rest: unknown[]): ExecBuilder {
  const where = '(exec)';
  if (typeof command === 'function') return new ExecBuilder({ kind: 'exec', call: nativeCallDef(command, rest, where), settings: {} }, where);
  return new ExecBuilder({ kind: 'exec', command: normalizeCommand(command, where), settings: applyOptions({}, rest[0], 'exec', where) }, where);
}
