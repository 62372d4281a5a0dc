/**
 * How the DSL reads `dockerRunArgs`: one string (shell-split, as Conducto's shlex.split) or a list of
 * strings, with the flags that Caisson owns refused. Kept in one file so the flag rules can change here
 * without touching the option table.
 */
import { shellSplit } from '../dsl/shell-split.ts';
import { renderValue } from '../ir/validation-errors.ts';
import type { Checked } from './rules.ts';

const FORBIDDEN_RUN_ARGS: Record<string, string> = {
  '--cpus': 'use the cpu option',
  '--memory': 'use the mem option',
  '--network': 'Caisson manages container networking',
};

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
  for (const arg of args) {
    const flag = arg.split('=')[0]!;
    if (FORBIDDEN_RUN_ARGS[flag]) return refuse(`"${arg}" is not allowed (${FORBIDDEN_RUN_ARGS[flag]})`);
  }
  return { ok: true, value: Object.freeze([...args]) };
}
