/**
 * GroupBuilder: an immutable Serial or Parallel. Every method returns a new builder; nothing runs
 * until the tree is compiled. Children are kept in a shared append-only list so long `.exec()`
 * chains stay linear.
 */
import { DslError, NodeNotFoundError } from '../errors.ts';
import { splitPath } from '../ir/walk.ts';
import { applyOptions } from './apply-options.ts';
import { ChildList } from './child-list.ts';
import { BUILDER_BRAND, checkName, hasBrand, normalizeCommand, type GroupDef, type GroupKind, type NodeDef } from './defs.ts';
import { ExecBuilder } from './exec-builder.ts';
import { image as makeImage, isImage, type Image } from './image.ts';
import type { ExecOptions, LazyOptions, NodeSettings, ParallelOptions, SerialOptions } from './options.ts';
import { readLimits } from './lazy-limits.ts';
import { nativeCallDef, type NativeFunction } from './native-call.ts';
import { serviceDef, type ServiceOptions } from './service.ts';
import { hookDef, type Hook, type OnOptions } from './hooks.ts';
import { SUBTREE_REPLY } from '../native/subtree-reply.ts';
import { compileSubtree, type SubtreeDocument } from './compile-subtree.ts';
import type { HookEvent } from '../ir/hook-codecs.ts';

/** A subtree value: what `.add()` grafts and `.get()` returns. */
export type Subtree = ExecBuilder | GroupBuilder;

/** A lazy node's generator function: an exported function returning (or resolving to) a group builder. */
export type LazyFunction = (...args: any[]) => GroupBuilder<any> | Promise<GroupBuilder<any>>; // eslint-disable-line @typescript-eslint/no-explicit-any -- Parameters<F> must accept any parameter list; any kind of group

/** Options of a group of kind K. */
export type GroupOptions<K extends GroupKind> = K extends 'serial' ? SerialOptions : ParallelOptions;

/** Builds a child group's content from the empty group it is given. */
export type BuildFn<K extends GroupKind> = (group: GroupBuilder<K>) => GroupBuilder<K>;

const EMPTY_SETTINGS: NodeSettings = Object.freeze({});

/** The child of a lazy node that runs its generator. */
export const LAZY_GENERATE = 'generate';
/** The child of a lazy node where the generated subtree is grafted. */
export const LAZY_EXECUTE = 'execute';

/** @internal An empty group definition with options applied. */
export function emptyGroup<K extends GroupKind>(kind: K, options: unknown, where: string): GroupDef<K> {
  return { kind, settings: applyOptions(EMPTY_SETTINGS, options, kind, where), children: ChildList.empty(), registered: [] };
}

/** @internal The definition inside a subtree value, or a DslError for anything else. */
export function defOf(value: unknown, where: string): NodeDef {
  if (value instanceof ExecBuilder || value instanceof GroupBuilder) return value.def;
  throw new DslError(`${where}: expected a subtree made by exec(), serial(), parallel() or pipeline(), got ${typeof value}`, { path: where });
}

/** @internal Wraps a definition found at `where` in the matching builder. */
export function wrap(def: NodeDef, where: string): Subtree {
  return def.kind === 'exec' ? new ExecBuilder(def, where) : new GroupBuilder(def, where);
}

/**
 * A Serial or Parallel node (or a pipeline root) as an immutable value: `.exec()`, `.serial()`, `.add()`,
 * `.set()`… return a new builder and leave this one unchanged, so prebuilt subtrees can be shared.
 * Nothing runs until the tree is compiled.
 */
export class GroupBuilder<K extends GroupKind = GroupKind> {
  /** @internal */
  readonly [BUILDER_BRAND] = 'group';

  /** @internal Brand check, so builders from another copy of the package are recognised. */
  static [Symbol.hasInstance](value: unknown): boolean { return hasBrand(value, 'group'); }

  /** @internal The definition this builder wraps. */
  readonly def: GroupDef<K>;
  /** @internal Where this node sits, for error messages ("/ci/checks", or "(parallel)" when detached). */
  readonly where: string;
  /** The pipeline name when this is a pipeline root (made by `pipeline()`), else undefined. */
  readonly name: string | undefined;

  /** @internal Use `pipeline()`, `serial()` or `parallel()`. */
  constructor(def: GroupDef<K>, where: string, name?: string) {
    this.def = def;
    this.where = where;
    this.name = name;
  }

  /** "serial" or "parallel". */
  get kind(): K { return this.def.kind; }

  /** The options set on this node (validated), not including inherited values. */
  get options(): NodeSettings { return this.def.settings; }

  /** Names of the direct children, in order. */
  get childNames(): string[] { return this.def.children.names(); }

  private derive(def: GroupDef<K>): GroupBuilder<K> {
    return new GroupBuilder(def, this.where, this.name);
  }

  private withChild(name: string, child: NodeDef): GroupBuilder<K> {
    checkName(name, this.where);
    if (this.def.services?.some((s) => s.name === name)) throw new DslError(`${this.where}: a service named "${name}" already exists; a child and a service of one group need different names`, { path: this.where });
    if (this.def.children.has(name)) throw new DslError(`${this.where}: a child named "${name}" already exists`, { path: this.where });
    return this.derive({ ...this.def, children: this.def.children.append(name, child) });
  }

  private group<C extends GroupKind>(kind: C, name: string, build: BuildFn<C> | GroupOptions<C> | undefined, options: GroupOptions<C> | undefined): GroupBuilder<K> {
    const at = `${this.where}/${checkName(name, this.where)}`;
    const fn = typeof build === 'function' ? build : undefined;
    const opts = typeof build === 'function' ? options : (build ?? options);
    if (typeof build !== 'function' && build !== undefined && options !== undefined) {
      throw new DslError(`${at}: options were given twice; pass (name, build, options) or (name, options)`, { path: at });
    }
    let child = new GroupBuilder<C>(emptyGroup(kind, opts, at), at);
    if (fn) {
      const built: unknown = fn(child);
      if (!(built instanceof GroupBuilder) || built.kind !== kind) {
        throw new DslError(`${at}: the build function must return the ${kind} builder it was given (or one derived from it)`, { path: at });
      }
      child = built as GroupBuilder<C>;
    }
    return this.withChild(name, child.def);
  }

  // The command overload comes last: for a call that matches neither, TypeScript explains only the
  // last overload's mismatch, and a misspelt option ("'workdir' does not exist in type 'ExecOptions'")
  // is the common mistake, not a native call's.
  /**
   * Appends an Exec child that calls `fn(...args)` in its container (a native function): `fn` is a named
   * export of a module file (usually the pipeline file), `args` are typed by its parameters and must
   * round-trip through JSON (Date, Map, Set, bigint, Uint8Array and Buffer do). Options are inherited;
   * set its own with `.add(name, exec(fn, ...args).set(options))`.
   */
  exec<F extends NativeFunction>(name: string, fn: F, ...args: Parameters<F>): GroupBuilder<K>;
  /** Appends an Exec child running `command` (a shell script, unindented, or an argv array). */
  exec(name: string, command: string | string[], options?: ExecOptions): GroupBuilder<K>;
  exec(name: string, command: string | string[] | NativeFunction, ...rest: unknown[]): GroupBuilder<K> {
    const at = `${this.where}/${checkName(name, this.where)}`;
    const def: NodeDef = typeof command === 'function'
      ? { kind: 'exec', call: nativeCallDef(command, rest, at), settings: EMPTY_SETTINGS }
      : { kind: 'exec', command: normalizeCommand(command, at), settings: applyOptions(EMPTY_SETTINGS, rest[0], 'exec', at) };
    return this.withChild(name, def);
  }

  /**
   * Appends a lazy node (README "Lazy subtrees"): a Serial `name` whose child `generate` runs `command`,
   * which writes a subtree as JSON to the file named by $CAISSON_GRAFT_FILE; when it exits 0 the subtree
   * is validated and grafted as the child `execute` (a placeholder until then), then runs. Options are
   * node options of the lazy node, inherited by the generator and the generated nodes as usual; `limits`
   * bounds the generated subtree.
   */
  lazyCommand(name: string, command: string | string[], options?: LazyOptions): GroupBuilder<K> {
    const at = `${this.where}/${checkName(name, this.where)}`;
    const { limits, ...nodeOptions } = options ?? {};
    const generator: NodeDef = {
      kind: 'exec', command: normalizeCommand(command, `${at}/${LAZY_GENERATE}`), settings: EMPTY_SETTINGS, graft: { into: LAZY_EXECUTE, ...readLimits(limits, at) },
    };
    const placeholder: GroupDef<'serial'> = { ...emptyGroup('serial', undefined, `${at}/${LAZY_EXECUTE}`), placeholderFor: LAZY_GENERATE };
    const lazy = emptyGroup('serial', nodeOptions, at);
    return this.withChild(name, { ...lazy, children: lazy.children.append(LAZY_GENERATE, generator).append(LAZY_EXECUTE, placeholder) });
  }

  /**
   * Appends a lazy node whose generator is a native function (README "Lazy subtrees"): `fn(...args)` runs
   * in the generator's container, as `exec(name, fn, ...args)` would, and returns a group builder (`parallel()`,
   * `serial()`), whose subtree is validated and grafted as the child `execute`. `fn` is a named
   * export of a module file, typically the pipeline file; the image needs `node` (18 or newer). The lazy
   * node takes its options from its parent: wrap it in a group to set them.
   */
  lazy<F extends LazyFunction>(name: string, fn: F, ...args: Parameters<F>): GroupBuilder<K> {
    const at = `${this.where}/${checkName(name, this.where)}`;
    const generator: NodeDef = {
      kind: 'exec', call: nativeCallDef(fn, args, `${at}/${LAZY_GENERATE}`), settings: EMPTY_SETTINGS, graft: { into: LAZY_EXECUTE, ...readLimits(undefined, at) },
    };
    const placeholder: GroupDef<'serial'> = { ...emptyGroup('serial', undefined, `${at}/${LAZY_EXECUTE}`), placeholderFor: LAZY_GENERATE };
    const lazy = emptyGroup('serial', undefined, at);
    return this.withChild(name, { ...lazy, children: lazy.children.append(LAZY_GENERATE, generator).append(LAZY_EXECUTE, placeholder) });
  }

  /** A native call that returns this builder sends back its subtree document (core/native/subtree-reply.ts). */
  [SUBTREE_REPLY](): SubtreeDocument { return compileSubtree(this); }

  /**
   * Appends a Serial child. `build` receives the empty Serial and returns it filled in; or pass only
   * options for an empty Serial: `.serial('deploy', s => s.exec(...), { stopOnError: false })`.
   */
  serial(name: string, build?: BuildFn<'serial'> | SerialOptions, options?: SerialOptions): GroupBuilder<K> {
    return this.group('serial', name, build, options);
  }

  /** Appends a Parallel child; same forms as `serial()`. */
  parallel(name: string, build?: BuildFn<'parallel'> | ParallelOptions, options?: ParallelOptions): GroupBuilder<K> {
    return this.group('parallel', name, build, options);
  }

  /**
   * Declares a service of this group: a long-running container (a database, a web server) that starts
   * before the group's first Exec runs and stops when the group ends. Every node of the group reaches it
   * by `name` as a host name on the run's network; `wait` says when it is ready (see ServiceWait).
   */
  service(name: string, options: ServiceOptions = {}): GroupBuilder<K> {
    const at = `${this.where}/${checkName(name, this.where)}`;
    if (this.def.children.has(name) || this.def.services?.some((s) => s.name === name)) {
      throw new DslError(`${this.where}: a ${this.def.children.has(name) ? 'child' : 'service'} named "${name}" already exists`, { path: this.where });
    }
    return this.derive({ ...this.def, services: [...(this.def.services ?? []), serviceDef(name, options, at)] });
  }

  /**
   * Adds a hook to this node: `hook` fires on `event` (done, error, killed, retry, stateChange) of this
   * node, once per attempt, and with `{ inherited: true }` of every node under it too. A failing hook
   * never changes a node's state.
   */
  on(event: HookEvent, hook: Hook, options?: OnOptions): GroupBuilder<K> {
    return this.derive({ ...this.def, hooks: [...(this.def.hooks ?? []), hookDef(event, hook, options, this.where)] });
  }

  /** Grafts a prebuilt subtree (from exec(), serial(), parallel(), get(), or another pipeline) under `name`. */
  add(name: string, subtree: Subtree): GroupBuilder<K> {
    return this.withChild(name, defOf(subtree, `${this.where}/${name}`));
  }

  /** Applies a reusable fragment: `fn(this)`, e.g. `.with(addCleanup)`. */
  with(fn: (group: GroupBuilder<K>) => GroupBuilder<K>): GroupBuilder<K> {
    const result: unknown = fn(this);
    if (!(result instanceof GroupBuilder)) throw new DslError(`${this.where}: the function given to with() must return a builder`, { path: this.where });
    return result as GroupBuilder<K>;
  }

  /** A new builder with more options set on this node; `env` merges per key, other options replace. */
  set(options: GroupOptions<K>): GroupBuilder<K> {
    return this.derive({ ...this.def, settings: applyOptions(this.def.settings, options, this.def.kind, this.where) });
  }

  /**
   * Registers an image in the pipeline without assigning it, so nodes can use `imageName`.
   * A string is a Docker reference, registered under its derived name ("node:20" → "node-20").
   */
  registerImage(img: Image | string): GroupBuilder<K> {
    const value = isImage(img) ? img : typeof img === 'string' && img.trim() ? makeImage({ ref: img }) : undefined;
    if (!value) throw new DslError(`${this.where}: registerImage: expected an image({...}) value or a Docker reference, got ${JSON.stringify(img)}`, { path: this.where, option: 'registerImage' });
    return this.derive({ ...this.def, registered: [...this.def.registered, value] });
  }

  /** Path segments below this node: "/<root>/a/b" (absolute, pipeline roots only) or "a/b" (relative). */
  private segments(path: string): string[] {
    const parts = splitPath(path);
    if (!path.startsWith('/')) return parts;
    if (this.name === undefined) throw new DslError(`${this.where}: "${path}" is absolute but this is not a pipeline root; use a path relative to this node`, { path: this.where });
    if (parts[0] !== this.name) throw new NodeNotFoundError(path, [`/${this.name}`]);
    return parts.slice(1);
  }

  /** Reads the node at a path: absolute from a pipeline root ("/ci/checks/unit") or relative ("checks/unit"). */
  get(path: string): Subtree {
    let def: NodeDef = this.def;
    let at = this.where;
    for (const segment of this.segments(path)) {
      const child: NodeDef | undefined = def.kind === 'exec' ? undefined : def.children.get(segment);
      if (!child) throw new NodeNotFoundError(`${at}/${segment}`, def.kind === 'exec' ? [] : def.children.names().map((n) => `${at}/${n}`));
      def = child;
      at = `${at}/${segment}`;
    }
    return def === this.def ? this : wrap(def, at);
  }

  /** A new builder with the node at `path` replaced by `subtree` (the node keeps its name). */
  replace(path: string, subtree: Subtree): GroupBuilder<K> {
    const segments = this.segments(path);
    if (segments.length === 0) throw new DslError(`${this.where}: cannot replace the node itself; build a new one instead`, { path: this.where });
    const replacement = defOf(subtree, `${this.where}/${segments.join('/')}`);
    const replaceIn = (def: GroupDef, at: string, rest: string[]): GroupDef => {
      const [head, ...tail] = rest as [string, ...string[]];
      const child = def.children.get(head);
      if (!child) throw new NodeNotFoundError(`${at}/${head}`, def.children.names().map((n) => `${at}/${n}`));
      if (tail.length === 0) return { ...def, children: def.children.replace(head, replacement) };
      if (child.kind === 'exec') throw new NodeNotFoundError(`${at}/${head}/${tail.join('/')}`, []);
      return { ...def, children: def.children.replace(head, replaceIn(child, `${at}/${head}`, tail)) };
    };
    return this.derive(replaceIn(this.def, this.where, segments) as GroupDef<K>);
  }
}
