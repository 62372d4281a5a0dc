/**
 * Everything the DSL, the compiler and the IR take from an option table, as one object: reading a
 * user's options object into a node's settings, the inheritance loop, a node's IR fields and the IR
 * codecs' props per kind. The loops here are the only code that walks the options; a casts-free typed
 * result is not expressible for a loop over keys, so each builder ends in one `as` that the loop makes
 * true (it visits every name the type lists).
 */
import { DslError } from '../errors.ts';
import { renderValue } from '../ir/validation-errors.ts';
import { onlyOnMessage, type NodeKind } from './kinds.ts';
import type { CompileScope, Presence } from './option.ts';
import type { EffectiveOf, InheritedNames, IrFieldsOf, IrPropsOf, OptionTable, SettingsOf } from './table-types.ts';

/** What derives from one option table; see the module comment. */
export interface OptionSet<Tb extends OptionTable<Tb>> {
  /** The table itself. */
  readonly table: Tb;
  /** Every option name, in table order. */
  readonly names: readonly (keyof Tb & string)[];
  /**
   * Validates the options object `given` for a node of `kind` at `where` and returns `current` with
   * them applied. Undefined values are ignored (so options objects can be spread).
   * @throws DslError "<where>: <option>: <what is wrong>" for the first bad option.
   */
  apply(current: SettingsOf<Tb>, given: unknown, kind: NodeKind, where: string): SettingsOf<Tb>;
  /** What the root inherits: each inherited option's default. */
  readonly top: EffectiveOf<Tb>;
  /** A node's effective values (of the inherited options) from its own settings and its parent's. */
  effective(own: SettingsOf<Tb>, parent: EffectiveOf<Tb>, scope: CompileScope): EffectiveOf<Tb>;
  /** The IR fields the options give a node of kind K. */
  irFields<K extends NodeKind>(kind: K, own: SettingsOf<Tb>, effective: EffectiveOf<Tb>, scope: CompileScope): IrFieldsOf<Tb, K>;
  /**
   * A whole IR node: its kind, `structure` (name, children…) and the option fields of the kind, built in
   * one pass in the key order `order` (every key a node of the kind may have, sorted: the output is
   * canonical as it stands); undefined values are left out.
   */
  node<K extends NodeKind, S extends Readonly<Record<string, unknown>>>(kind: K, order: readonly string[], structure: S, own: SettingsOf<Tb>, effective: EffectiveOf<Tb>, scope: CompileScope): { kind: K } & S & IrFieldsOf<Tb, K>;
  /** The io-ts props of those IR fields: always present ones, and ones present when set. */
  irProps<K extends NodeKind>(kind: K): { required: IrPropsOf<Tb, K, 'always'>; optional: IrPropsOf<Tb, K, 'when set'> };
}

/** Derives the DSL reader, the inheritance loop and the IR fields from an option table. */
export function deriveOptions<Tb extends OptionTable<Tb>>(table: Tb): OptionSet<Tb> {
  const names = Object.keys(table).filter((name): name is keyof Tb & string => Object.hasOwn(table, name));
  const isName = (key: string): key is keyof Tb & string => Object.hasOwn(table, key);
  const on = { serial: onKind('serial'), parallel: onKind('parallel'), exec: onKind('exec') };
  function onKind(kind: NodeKind) { return names.filter((n) => table[n].kinds.includes(kind)); }
  const withIr = (kind: NodeKind, presence?: Presence) => on[kind].filter((n) => table[n].ir !== undefined && (presence === undefined || table[n].ir?.presence === presence));
  const irOn = { serial: withIr('serial'), parallel: withIr('parallel'), exec: withIr('exec') };
  const pairs = names.flatMap((name) => (table[name].replaces ?? []).map((other) => [name, other] as const));

  // One generic step per option, so each call is typed by the option's own types (no casts inside).
  type Mutable<T> = { -readonly [N in keyof T]: T[N] };
  const readInto = <N extends keyof Tb & string>(next: Mutable<SettingsOf<Tb>>, name: N, value: unknown, kind: NodeKind, where: string): void => {
    const entry = table[name];
    if (!entry.kinds.includes(kind)) throw new DslError(`${where}: ${name}: ${onlyOnMessage(entry.kinds, kind)}`, { path: where, option: name });
    const read = entry.read(value);
    if (!read.ok) {
      const option = `${name}${read.field ? `.${read.field}` : ''}`;
      throw new DslError(`${where}: ${option}: ${read.message}`, { path: where, option });
    }
    const existing = next[name];
    next[name] = existing !== undefined && entry.combine ? entry.combine(existing, read.value) : read.value;
    for (const other of entry.replaces ?? []) if (isName(other)) delete next[other];
  };
  type Inherited = InheritedNames<Tb> & keyof Tb & string;
  const isInherited = (name: keyof Tb & string): name is Inherited => table[name].inherit !== 'none';
  const inherited = names.filter(isInherited);
  const resolveOne = <N extends Inherited>(name: N, own: SettingsOf<Tb>, parent: EffectiveOf<Tb>, scope: CompileScope): unknown =>
    table[name].resolve(own[name], parent[name], scope);
  // The IR value of an option: from the effective value passed down, or for a `none` option from its own setting and default.
  const inheritedIr = <N extends Inherited>(name: N, own: SettingsOf<Tb>, eff: EffectiveOf<Tb>): unknown => table[name].ir?.value(own[name], eff[name]);
  const localIr = <N extends keyof Tb & string>(name: N, own: SettingsOf<Tb>, scope: CompileScope): unknown => {
    const entry = table[name];
    return entry.ir?.value(own[name], entry.resolve(own[name], entry.top, scope));
  };
  const irValue = (name: keyof Tb & string, own: SettingsOf<Tb>, eff: EffectiveOf<Tb>, scope: CompileScope): unknown =>
    (isInherited(name) ? inheritedIr(name, own, eff) : localIr(name, own, scope));

  function apply(current: SettingsOf<Tb>, given: unknown, kind: NodeKind, where: string): SettingsOf<Tb> {
    if (given === undefined) return current;
    if (typeof given !== 'object' || given === null || Array.isArray(given)) throw new DslError(`${where}: expected an options object, got ${renderValue(given)}`, { path: where });
    const input: Record<string, unknown> = { ...given };
    for (const [name, other] of pairs) {
      if (input[name] !== undefined && input[other] !== undefined) throw new DslError(`${where}: ${name} and ${other} are both set; give one of them`, { path: where, option: name });
    }
    const next: Mutable<SettingsOf<Tb>> = { ...current };
    for (const key in input) {
      const value = input[key];
      if (value === undefined) continue;
      if (!isName(key)) throw new DslError(`${where}: unknown option "${key}"; known options: ${names.join(', ')}`, { path: where, option: key });
      readInto(next, key, value, kind, where);
    }
    return Object.freeze(next);
  }

  const top: Partial<Record<keyof Tb, unknown>> = {};
  for (const name of inherited) top[name] = table[name].top;

  function effective(own: SettingsOf<Tb>, parent: EffectiveOf<Tb>, scope: CompileScope): EffectiveOf<Tb> {
    // Below the root, a node that sets no inherited option passes its parent's values on (see NodeOption.resolve).
    if (parent !== top && inherited.every((name) => own[name] === undefined)) return parent;
    const out: Partial<Record<keyof Tb, unknown>> = {};
    for (const name of inherited) out[name] = resolveOne(name, own, parent, scope);
    return out as EffectiveOf<Tb>; // every inherited name was resolved
  }

  function irFields<K extends NodeKind>(kind: K, own: SettingsOf<Tb>, eff: EffectiveOf<Tb>, scope: CompileScope): IrFieldsOf<Tb, K> {
    const out: Record<string, unknown> = {};
    for (const name of irOn[kind]) {
      const value = irValue(name, own, eff, scope);
      if (value !== undefined) out[name] = value;
    }
    return out as IrFieldsOf<Tb, K>; // every field of the kind, the optional ones when set
  }

  const hasIr = { serial: new Set<string>(irOn.serial), parallel: new Set<string>(irOn.parallel), exec: new Set<string>(irOn.exec) };

  function node<K extends NodeKind, S extends Readonly<Record<string, unknown>>>(kind: K, order: readonly string[], structure: S, own: SettingsOf<Tb>, eff: EffectiveOf<Tb>, scope: CompileScope): { kind: K } & S & IrFieldsOf<Tb, K> {
    const out: Record<string, unknown> = {};
    const fields = hasIr[kind];
    for (const key of order) {
      const value = key === 'kind' ? kind : fields.has(key) && isName(key) ? irValue(key, own, eff, scope) : structure[key];
      if (value !== undefined) out[key] = value;
    }
    return out as { kind: K } & S & IrFieldsOf<Tb, K>; // `order` lists kind, the structure and every field of the kind
  }

  function irProps<K extends NodeKind>(kind: K) {
    const props = (presence: Presence) => Object.fromEntries(withIr(kind, presence).map((n) => [n, table[n].ir!.codec]));
    return { required: props('always') as IrPropsOf<Tb, K, 'always'>, optional: props('when set') as IrPropsOf<Tb, K, 'when set'> };
  }

  return { table, names, apply, top: top as EffectiveOf<Tb>, effective, irFields, node, irProps };
}
