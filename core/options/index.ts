/**
 * Node options: the one table (node-options.ts), its rules, and what derives from it. `OPTIONS` is the
 * table's derivation that the DSL, the compiler and the IR codecs use.
 */
import { deriveOptions } from './derive.ts';
import type { NodeKind } from './kinds.ts';
import { NODE_OPTIONS } from './node-options.ts';
import type { EffectiveOf, IrFieldsOf, SettingsOf, UserOptionsOf } from './table-types.ts';

export { NODE_OPTIONS } from './node-options.ts';
export { deriveOptions, type OptionSet } from './derive.ts';
export { NODE_KINDS, EVERY_KIND, kindLabel, onlyOnMessage, type NodeKind } from './kinds.ts';
export { option, nearest, perNode, perNodeIfSet, checkedBy, always, alwaysCopied, whenSet } from './option.ts';
export type { NodeOption, OptionTypes, InheritMode, Inheritance, Presence, CompileScope, ImageScope, IrField, ReadmeRow, TypesOf } from './option.ts';
export type { OptionTable, NamesOn, InheritedNames, UserOptionsOf, SettingsOf, EffectiveOf, IrFieldsOf, IrPropsOf } from './table-types.ts';
export { secretRefs, type EnvSetting } from './env-option.ts';
export { renderOptionsTable } from './readme-table.ts';
export { Retry, readRetry, FAILURE_CLASSES, type FailureClass, type RetryOptions, type RetryBackoff, type RetryRule, type RetryPolicy, type RetryRuleIr } from './retry-option.ts';
export { Cache, readCache, type CacheOptions, type CachePolicy } from './cache-option.ts';

/** The node option table's derivation (DSL reader, inheritance loop, IR fields and props). */
export const OPTIONS = deriveOptions(NODE_OPTIONS);

/** Name of a node option. */
export type NodeOptionName = keyof typeof NODE_OPTIONS;

/** Options as stored on a node: validated and normalised (e.g. `tags` always a list, `maxTime` seconds). */
export type NodeSettings = SettingsOf<typeof NODE_OPTIONS>;

/** The effective option values a node passes to its children while compiling. */
export type Effective = EffectiveOf<typeof NODE_OPTIONS>;

/** The IR fields the options give a node of kind K. */
export type OptionFields<K extends NodeKind> = IrFieldsOf<typeof NODE_OPTIONS, K>;

/** The options of a node of kind K as users write them, derived from the table. */
export type UserOptions<K extends NodeKind> = UserOptionsOf<typeof NODE_OPTIONS, K>;
