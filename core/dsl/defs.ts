/**
 * The immutable node definitions builders wrap. A definition has no name: its parent's child list
 * names it, which is what lets one prebuilt subtree be grafted under any name, anywhere.
 */
import type { Command, Graft } from '../ir/codecs.ts';
import { renderValue } from '../ir/validation-errors.ts';
import { DslError } from '../errors.ts';
import { check, NodeName } from '../options/rules.ts';
import type { ChildList } from './child-list.ts';
import type { Image } from './image.ts';
import type { NodeSettings } from './options.ts';
import type { NativeCallDef } from './native-call.ts';
import type { ServiceDef } from './service.ts';
import type { HookDef } from './hooks.ts';
import { unindent } from './unindent.ts';

/** The two kinds of node that hold children. */
export type GroupKind = 'serial' | 'parallel';

/**
 * Marks builder objects. `instanceof` checks this brand (Symbol.hasInstance) rather than the class
 * identity, so a builder from a second copy of the package (or the same file loaded under another
 * URL) is still recognised.
 */
export const BUILDER_BRAND: unique symbol = Symbol.for('caisson.builder') as never;

/** True when `value` carries the builder brand `kind`. */
export const hasBrand = (value: unknown, kind: 'exec' | 'group'): boolean =>
  typeof value === 'object' && value !== null && (value as { [BUILDER_BRAND]?: unknown })[BUILDER_BRAND] === kind;

/** An Exec: a command and its settings. */
export interface ExecDef {
  /** Tag of the NodeDef union. */
  readonly kind: 'exec';
  /** The command, scripts already unindented; unset for a native call. */
  readonly command?: Command;
  /** A native function call (exec(name, fn, ...args)) instead of a command. */
  readonly call?: NativeCallDef;
  /** Options set on this node only; inheritance is resolved at compile time. */
  readonly settings: NodeSettings;
  /** A lazy node's generator: where its subtree is grafted and the limits it must keep (the IR's `graft`). */
  readonly graft?: Graft;
  /** Hooks set with `.on()` on this node (absent when none). */
  readonly hooks?: readonly HookDef[];
}

/** A Serial or Parallel: settings, named children in order, and images registered on it. */
export interface GroupDef<K extends GroupKind = GroupKind> {
  /** Serial or Parallel. */
  readonly kind: K;
  /** Options set on this node only; inheritance is resolved at compile time. */
  readonly settings: NodeSettings;
  /** Named children in insertion order, shared between builder versions. */
  readonly children: ChildList<NodeDef>;
  /** Images added with `registerImage()`, so they land in the images table even when no node uses them. */
  readonly registered: readonly Image[];
  /** A lazy node's graft point before the graft: the name of the sibling generator that fills it in. */
  readonly placeholderFor?: string;
  /** Services declared with `.service()`, in order (absent when none). */
  readonly services?: readonly ServiceDef[];
  /** Hooks set with `.on()` on this node (absent when none). */
  readonly hooks?: readonly HookDef[];
}

export type NodeDef = ExecDef | GroupDef;

/** Checks a child name by the IR's NodeName rule (non-empty, well-formed, no "/" or control characters, at most 255 long). */
export function checkName(name: unknown, parentWhere: string): string {
  const checked = check(NodeName, name);
  if (!checked.ok) throw new DslError(`${parentWhere}: child name: ${checked.message}`, { path: parentWhere, option: 'name' });
  return checked.value;
}

/** Normalises an Exec command: scripts are unindented (docs/conducto-semantics.md#unindent), argv arrays copied. */
export function normalizeCommand(command: unknown, where: string): Command {
  if (typeof command === 'string') {
    if (command.trim() === '') throw new DslError(`${where}: command: expected a shell script or an argv array, got an empty string`, { path: where, option: 'command' });
    return unindent(command);
  }
  if (Array.isArray(command) && command.length > 0 && command.every((w) => typeof w === 'string')) {
    return Object.freeze([...command]) as string[];
  }
  if (typeof command === 'function') throw new DslError(`${where}: command: got a function; pass a shell command string or argv array, or call it as a native function with exec(name, fn, ...args)`, { path: where, option: 'command' });
  throw new DslError(`${where}: command: expected a shell script string or a non-empty argv array of strings, got ${renderValue(command)}`, { path: where, option: 'command' });
}
