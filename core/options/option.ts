/**
 * What one node option is, as an entry of the option table (node-options.ts): where it may be set,
 * how the DSL reads it, how it inherits, which IR field it becomes and how the README describes it.
 * The helpers below (`option`, `nearest`, `perNode`, `perNodeIfSet`, `checkedBy`, `always`,
 * `alwaysCopied`, `whenSet`) keep an entry to a few lines; the README, the DSL, the compiler and the IR codecs are all derived from the entries.
 */
import type * as t from 'io-ts';
import type { Image } from '../dsl/image.ts';
import type { NodeKind } from './kinds.ts';
import { check, type Checked } from './rules.ts';

/**
 * How an option reaches the nodes below the one that sets it:
 * - `nearest`: the nearest ancestor-or-self value wins, the root starts from the default;
 * - `per-key`: objects merge per key down the tree, nearer keys win (env);
 * - `none`: each node has its own value or the default, nothing is passed down;
 * - `special`: the entry's own `resolve` rule (images through the images table, reuse → containers).
 */
export type InheritMode = 'nearest' | 'per-key' | 'none' | 'special';

/** Whether the option's IR field is on every node of its kinds (`always`) or only when set (`when set`). */
export type Presence = 'always' | 'when set';

/** The types one option deals in; the table's entries infer them, the derived types read them. */
export interface OptionTypes {
  /** Kinds that take the option. */
  kinds: NodeKind;
  /** What users write (NodeOptions field type). */
  user: unknown;
  /** What the builder stores after validating (NodeSettings field type). */
  stored: unknown;
  /** What a node passes down while compiling. */
  effective: unknown;
  /** The IR field's value type (`never` when the option has no IR field of its own). */
  ir: unknown;
  /** Whether the IR field is always present. */
  presence: Presence;
  /** How the option inherits. */
  inherit: InheritMode;
}

/** What a `special` rule may look at while compiling one node. */
export interface CompileScope {
  /** The node's path ("/ci/checks/unit"), for error messages and container groups. */
  readonly at: string;
  /** The node's own stored settings (e.g. the image rule reads imageName). */
  readonly own: Readonly<Record<string, unknown>>;
  /** The pipeline's images table being built (see core/dsl/image-table.ts). */
  readonly images: ImageScope;
}

/** The part of the compile's images table the image rule needs. */
export interface ImageScope {
  /** Adds an image value found at `where` and returns its table name. */
  add(img: Image, where: string): string;
  /** True when the table has an image of this name. */
  has(name: string): boolean;
  /** The table's names, sorted. */
  names(): string[];
}

/** The IR field an option writes: named like the option, checked by `codec`. */
export interface IrField<S, E, I, P extends Presence> {
  /** The codec the IR decoder checks the field with (its messages are the rule's messages). */
  readonly codec: t.Type<I, I, unknown>;
  /** Whether every node of the option's kinds carries the field. */
  readonly presence: P;
  /** The field's value from the node's own setting and its effective value; undefined leaves it out. */
  readonly value: (own: S | undefined, effective: E) => I | undefined;
}

/** The README row of an option; "applies to" comes from `kinds`. */
export interface ReadmeRow {
  /** The "inherited" column (default: from the inherit mode). */
  readonly inherited?: string;
  /** The "default" column (default: the rendered default value). */
  readonly default?: string;
  /** The "meaning" column. */
  readonly meaning: string;
}

/** One entry of the option table. Build entries with `option<UserType>()({...})`. */
export interface NodeOption<T extends OptionTypes> {
  /** Kinds that take the option; setting it elsewhere is refused with the same message in the DSL and the IR. */
  readonly kinds: readonly T['kinds'][];
  /** DSL: reads a user's value (never undefined) into the stored form, or words the problem. */
  readonly read: (value: unknown) => Checked<T['stored']>;
  /** How `set()` adds a value to one already set on the node; default: the new value replaces it. */
  readonly combine?: (current: T['stored'], next: T['stored']) => T['stored'];
  /** Options this one replaces when set on the node; giving both in one options object is refused. */
  readonly replaces?: readonly string[];
  /** How the option reaches descendants (README "inherited" column). */
  readonly inherit: T['inherit'];
  /** The root's inherited value; for a non-inherited option, its default. */
  readonly top: T['effective'];
  /**
   * The node's effective value from its own setting and its parent's effective value (for a `none`
   * option, `parent` is its default). Unset on a node below the root, an inherited option must resolve
   * to `parent`: the compiler passes a node that sets no inherited option its parent's values unchanged.
   */
  readonly resolve: (own: T['stored'] | undefined, parent: T['effective'], scope: CompileScope) => T['effective'];
  /** The IR field, or undefined for an option that only steers another one (imageName). */
  readonly ir: IrField<T['stored'], T['effective'], T['ir'], T['presence']> | undefined;
  /** The README row. */
  readonly readme: ReadmeRow;
}

/** The types of an entry. */
export type TypesOf<E> = E extends NodeOption<infer T extends OptionTypes> ? T : never;

/**
 * Starts an entry whose users write values of type `U` (the one type the entry cannot infer):
 * `cpu: option<number>()({ kinds, read, ...nearest(1), ir: always(Cpus), readme })`.
 */
export function option<U>() {
  return <K extends NodeKind, S, E, M extends InheritMode, I = never, P extends Presence = 'when set'>(
    entry: NodeOption<{ kinds: K; user: U; stored: S; effective: E; ir: I; presence: P; inherit: M }>,
  ): NodeOption<{ kinds: K; user: U; stored: S; effective: E; ir: I; presence: P; inherit: M }> => entry;
}

/** The inheritance part of an entry, as the helpers below make it. */
export interface Inheritance<S, E, M extends InheritMode> {
  /** See NodeOption.inherit. */
  readonly inherit: M;
  /** See NodeOption.top. */
  readonly top: E;
  /** See NodeOption.resolve. */
  readonly resolve: (own: S | undefined, parent: E) => E;
}

/** Inherited: the nearest ancestor-or-self value wins; the root starts from `fallback`. */
export function nearest<S>(fallback: S): Inheritance<S, S, 'nearest'> {
  return { inherit: 'nearest', top: fallback, resolve: (own, parent) => own ?? parent };
}

/** Not inherited: the node's own value, else `fallback`. */
export function perNode<S>(fallback: S): Inheritance<S, S, 'none'> {
  return { inherit: 'none', top: fallback, resolve: (own) => own ?? fallback };
}

/** Not inherited and no default: the node's own value or nothing (the IR leaves the field out). */
export function perNodeIfSet<S>(): Inheritance<S, S | undefined, 'none'> {
  return { inherit: 'none', top: undefined, resolve: (own) => own };
}

/** The DSL reads the value with the IR's own codec, so both word a bad value the same way. */
export function checkedBy<A>(codec: t.Decoder<unknown, A>): (value: unknown) => Checked<A> {
  return (value) => check(codec, value);
}

/** An IR field on every node of the option's kinds, holding the effective value. */
export function always<I>(codec: t.Type<I, I, unknown>): IrField<unknown, I, I, 'always'> {
  return { codec, presence: 'always', value: (_own, effective) => effective };
}

/** As `always`, for a read-only list the IR holds as a copy (plain, mutable JSON data). */
export function alwaysCopied<I>(codec: t.Type<I[], I[], unknown>): IrField<unknown, readonly I[], I[], 'always'> {
  return { codec, presence: 'always', value: (_own, effective) => [...effective] };
}

/** An IR field only on nodes that have a value. */
export function whenSet<I>(codec: t.Type<I, I, unknown>): IrField<unknown, I | undefined, I, 'when set'> {
  return { codec, presence: 'when set', value: (_own, effective) => effective };
}
