/**
 * Checks option values and merges them into a node's settings, as the option table
 * (core/options/node-options.ts) says: one reader per option, each failure a DslError
 * "<node path>: <option>: <what is wrong and what to do>".
 */
import { OPTIONS, type NodeKind, type NodeSettings } from '../options/index.ts';

/** `exec`, `serial` or `parallel`. */
export type NodeKindName = NodeKind;

/**
 * Validates `given` for a node of `kind` at `where` and returns `current` with the options applied.
 * Undefined values are ignored (so options objects can be spread). `env` merges per key into the
 * node's env; `image` and `imageName` replace each other; everything else replaces.
 * @throws DslError for an unknown option, a bad value, or an option the kind does not take.
 */
export function applyOptions(current: NodeSettings, given: unknown, kind: NodeKind, where: string): NodeSettings {
  return OPTIONS.apply(current, given, kind, where);
}
