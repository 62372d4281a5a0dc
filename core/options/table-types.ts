/**
 * Types derived from an option table (name → entry): what users write per node kind, what builders
 * store, what a node passes down while compiling, and the IR fields and codecs per kind. Generic in the
 * table so a test can derive everything from a table with an extra option.
 */
import type * as t from 'io-ts';
import type { NodeKind } from './kinds.ts';
import type { InheritMode, NodeOption, TypesOf } from './option.ts';

/** A table of node options: every value is an entry whose types TypesOf can read. */
export type OptionTable<Tb> = { readonly [N in keyof Tb]: NodeOption<TypesOf<Tb[N]>> & { readonly kinds: readonly NodeKind[]; readonly inherit: InheritMode } };

/** The types of the option `N` of table `Tb`. */
type Ty<Tb, N extends keyof Tb> = TypesOf<Tb[N]>;

/** Names of the options a node of kind K takes (for a union of kinds: the options every one of them takes). */
export type NamesOn<Tb, K extends NodeKind> = { [N in keyof Tb]: [K] extends [Ty<Tb, N>['kinds']] ? N : never }[keyof Tb];

/** The options users may set on a node of kind K, as they write them. */
export type UserOptionsOf<Tb, K extends NodeKind> = { [N in NamesOn<Tb, K>]?: Ty<Tb, N>['user'] };

/** A node's own options as stored by the builders: validated and normalised; unset ones absent. */
export type SettingsOf<Tb> = { readonly [N in keyof Tb]?: Ty<Tb, N>['stored'] };

/** Names of the options that reach descendants (every inherit mode but `none`). */
export type InheritedNames<Tb> = { [N in keyof Tb]: Ty<Tb, N>['inherit'] extends 'none' ? never : N }[keyof Tb];

/** The values a node passes to its children while compiling: its effective values of the inherited options. */
export type EffectiveOf<Tb> = { readonly [N in InheritedNames<Tb>]: Ty<Tb, N>['effective'] };

/** Names of the options with an IR field of presence P on kind K. */
type IrNamesOn<Tb, K extends NodeKind, P> = {
  [N in NamesOn<Tb, K>]: [Ty<Tb, N>['ir']] extends [never] ? never : Ty<Tb, N>['presence'] extends P ? N : never;
}[NamesOn<Tb, K>];

/** The IR fields the options give a node of kind K (the rest of a node is its name, kind and structure). */
export type IrFieldsOf<Tb, K extends NodeKind> =
  { [N in IrNamesOn<Tb, K, 'always'>]: Ty<Tb, N>['ir'] } & { [N in IrNamesOn<Tb, K, 'when set'>]?: Ty<Tb, N>['ir'] };

/** io-ts props of the IR fields of presence P on kind K. */
export type IrPropsOf<Tb, K extends NodeKind, P> = { [N in IrNamesOn<Tb, K, P>]: t.Type<Ty<Tb, N>['ir'], Ty<Tb, N>['ir'], unknown> };
