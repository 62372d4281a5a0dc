/**
 * How the DSL reads `dockerRunArgs`: one string (shell-split, as Conducto's shlex.split) or a list of
 * strings. Which flags are accepted is the runtime grammar's business (core/runtime/run-arg-flags.ts),
 * checked at compile time.
 */
import { shellSplit } from '../dsl/shell-split.ts';
import { renderValue } from '../ir/validation-errors.ts';
import type { Checked } from './rules.ts';

const refuse = (message: string): Checked<never> => ({ ok: false, field: '', message });

/** Reads a user's dockerRunArgs into a frozen list of arguments. */
export function readDockerRunArgs(value: unknown): Checked<readonly string[]> {
  let args: unknown = value;
  if (typeof value === 'string') {
    const split = shellSplit(value);
    if (!Array.isArray(split)) return refuse(`cannot split ${renderValue(value)}: ${split.error}`);
    args = split;
  }
  if (!Array.isArray(args) || !args.every((a): a is string => typeof a === 'string')) return refuse(`expected a string or a list of strings, got ${renderValue(value)}`);
  // The flags themselves are checked when the pipeline compiles (core/runtime/parse-run-args.ts), where
  // the node's path is known: a detached exec() has none yet.
  return { ok: true, value: Object.freeze([...args]) };
}
