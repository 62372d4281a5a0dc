/**
 * The `outputs` and `inputs` node options (declared artifacts, docs/container-paths.md). Both are an
 * Exec's own (not inherited: a group's children produce and take different files). An output is a path
 * or glob relative to the node's working dir; an input names an upstream node, which of its outputs to
 * take (default: all) and where they land, relative to the consumer's working dir (default: ".").
 * Whether a producer finishes before its consumer starts is a tree rule (core/artifacts/input-order.ts).
 */
import * as t from 'io-ts';
import type { Checked } from './rules.ts';
import { check } from './rules.ts';

/** One input as users write it: `{ from: "/ci/build", output: "dist", to: "." }`, or just the path. */
export interface InputSpec {
  /** Path of the producing node ("/ci/build"): an Exec, or a group (every Exec under it that declares outputs). */
  from: string;
  /** Which of the producer's declared outputs, as written there ("dist"); default: all of them. */
  output?: string;
  /** Where the files land, relative to this node's working dir (or absolute); default ".". */
  to?: string;
}

/** An input as the IR holds it. */
export interface InputIr { from: string; output?: string; to?: string }

const isString = (u: unknown): u is string => typeof u === 'string';
const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);
const hasGlob = (s: string): boolean => /[*?[]/.test(s);

/** What is wrong with an output pattern, or undefined when it is usable. */
export function outputProblem(p: string): string | undefined {
  if (p === '' || p.startsWith('/')) return 'expected a path relative to the working dir ("dist", "reports/*.xml")';
  const parts = p.split('/');
  if (parts.some((s) => s === '..')) return 'a ".." segment leaves the working dir; give a path inside it';
  if (hasGlob(parts[0]!)) return 'a glob must start with a directory ("out/*.txt", "reports/**/*.xml"): that directory is copied out and the matching files kept';
  return undefined;
}

const OUTPUTS_EXPECTED = 'expected a list of paths or globs relative to the working dir';

/** Codec of the IR's `outputs` field: distinct relative paths or globs. */
export const Outputs = new t.Type<string[], string[], unknown>(
  'Outputs',
  (u): u is string[] => Array.isArray(u) && u.every((p) => isString(p) && outputProblem(p) === undefined),
  (u, c) => {
    if (!Array.isArray(u) || !u.every(isString)) return t.failure(u, c, OUTPUTS_EXPECTED);
    for (const p of u) {
      const problem = outputProblem(p);
      if (problem) return t.failure(p, c, problem);
    }
    if (new Set(u).size !== u.length) return t.failure(u, c, 'each output is listed once');
    return t.success([...u]);
  },
  t.identity,
);

function inputProblem(u: unknown): string | undefined {
  if (!isRecord(u)) return 'expected { from: "/path/of/producer", output?, to? } or the producer\'s path';
  for (const key of Object.keys(u)) if (!['from', 'output', 'to'].includes(key)) return `unknown field "${key}" (known: from, output, to)`;
  if (!isString(u.from) || !u.from.startsWith('/')) return 'from: expected the producing node\'s full path, like "/ci/build"';
  if (u.output !== undefined && !isString(u.output)) return 'output: expected one of the producer\'s outputs, as written there';
  if (u.to !== undefined && (!isString(u.to) || u.to === '' || u.to.split('/').includes('..'))) return 'to: expected a folder (relative to the working dir, or absolute) without ".."';
  return undefined;
}

/** Codec of the IR's `inputs` field. */
export const Inputs = new t.Type<InputIr[], InputIr[], unknown>(
  'Inputs',
  (u): u is InputIr[] => Array.isArray(u) && u.every((i) => inputProblem(i) === undefined),
  (u, c) => {
    if (!Array.isArray(u)) return t.failure(u, c, 'expected a list of inputs');
    for (const i of u) {
      const problem = inputProblem(i);
      if (problem) return t.failure(i, c, problem);
    }
    return t.success(u.map((i: InputIr) => ({ from: i.from, ...(i.output !== undefined ? { output: i.output } : {}), ...(i.to !== undefined ? { to: i.to } : {}) })));
  },
  t.identity,
);

/** The DSL's reader of `outputs`: one path or a list. */
export function readOutputs(value: unknown): Checked<string[]> {
  return check(Outputs, typeof value === 'string' ? [value] : value);
}

/** The DSL's reader of `inputs`: one input or a list; a string is `{ from: string }`. */
export function readInputs(value: unknown): Checked<InputIr[]> {
  const list = Array.isArray(value) ? value : [value];
  return check(Inputs, list.map((i: unknown) => (isString(i) ? { from: i } : i)));
}
