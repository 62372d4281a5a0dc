/**
 * Checks option values and merges them into a node's settings. One validator per option; each
 * returns the stored form or throws a DslError "<node path>: <option>: <what is wrong and what to do>".
 */
import { parseDuration } from '../ir/duration.ts';
import { DslError } from '../errors.ts';
import { image as makeImage, isImage, type Image } from './image.ts';
import { shellSplit } from './shell-split.ts';
import { isSecret, type SecretRef } from './secret.ts';
import type { NodeSettings } from './options.ts';

export type NodeKindName = 'exec' | 'serial' | 'parallel';

type Validator = (value: unknown, fail: (message: string) => never, kind: NodeKindName) => unknown;

const got = (v: unknown): string => {
  try { return JSON.stringify(v) ?? String(v); } catch { return String(v); }
};

const bool: Validator = (v, fail) => (typeof v === 'boolean' ? v : fail(`expected true or false, got ${got(v)}`));
const text: Validator = (v, fail) => (typeof v === 'string' ? v : fail(`expected a string, got ${got(v)}`));
const positive = (unit: string): Validator => (v, fail) =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fail(`expected ${unit} > 0, got ${got(v)}`);

const VALIDATORS: Record<keyof NodeSettings, Validator> = {
  env: (v, fail) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(`expected an object of string values, got ${got(v)}`);
    for (const [key, value] of Object.entries(v)) {
      if (typeof value !== 'string' && !isSecret(value)) fail(`${key}: expected a string value, got ${got(value)} (convert it with String())`);
    }
    return Object.freeze({ ...(v as Record<string, string | SecretRef>) });
  },
  image: (v, fail) => {
    if (isImage(v)) return v;
    if (typeof v === 'string' && v.trim() !== '') return makeImage({ ref: v });
    return fail(`expected a Docker reference like "node:20" or an image({...}) value, got ${got(v)}`);
  },
  imageName: (v, fail) => (typeof v === 'string' && v !== '' ? v : fail(`expected the name of a registered image, got ${got(v)}`)),
  cpu: positive('CPUs'),
  gpu: (v, fail) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : fail(`expected a whole number of GPUs >= 0, got ${got(v)}`)),
  mem: positive('GB'),
  requiresDocker: bool,
  dockerRunArgs: (v, fail) => {
    let args: unknown = v;
    if (typeof v === 'string') {
      const split = shellSplit(v);
      args = Array.isArray(split) ? split : fail(`cannot split ${got(v)}: ${split.error}`);
    }
    if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) return fail(`expected a string or a list of strings, got ${got(v)}`);
    // The flags themselves are checked when the pipeline compiles, where the node's path is known.
    return Object.freeze([...(args as string[])]);
  },
  skip: bool,
  suppressErrors: bool,
  stopOnError: (v, fail, kind) => (kind !== 'serial' ? fail(`only a Serial node has it (this is ${kind === 'exec' ? 'an Exec' : 'a Parallel'})`) : bool(v, fail, kind)),
  maxTime: (v, fail) => {
    const seconds = typeof v === 'string' ? parseDuration(v) : v;
    return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0
      ? seconds
      : fail(`expected seconds > 0 or a duration like "90s", got ${got(v)}`);
  },
  maxConcurrent: (v, fail, kind) => {
    if (kind === 'exec') return fail('only a Serial or Parallel node has it (this is an Exec)');
    return typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : fail(`expected a whole number >= 1, got ${got(v)}`);
  },
  reuse: (v, fail) => (v === 'new' || v === 'global' ? v : fail(`expected "new" or "global" (leave it unset to inherit), got ${got(v)}`)),
  doc: text,
  tags: (v, fail) => {
    if (typeof v === 'string') return Object.freeze([v]);
    if (Array.isArray(v) && v.every((t) => typeof t === 'string')) return Object.freeze([...v]);
    return fail(`expected a string or a list of strings, got ${got(v)}`);
  },
  title: text,
};

const KNOWN = Object.keys(VALIDATORS);

/**
 * Validates `given` for a node of `kind` at `where` and returns `current` with the options applied.
 * Undefined values are ignored (so options objects can be spread). `env` merges per key into the
 * node's env; `image` and `imageName` replace each other; everything else replaces.
 */
export function applyOptions(current: NodeSettings, given: unknown, kind: NodeKindName, where: string): NodeSettings {
  if (given === undefined) return current;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new DslError(`${where}: expected an options object, got ${got(given)}`);
  }
  const input = given as Record<string, unknown>;
  if (input.image !== undefined && input.imageName !== undefined) {
    throw new DslError(`${where}: image and imageName are both set; give one of them`);
  }
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const validate = VALIDATORS[key as keyof NodeSettings];
    if (!validate) throw new DslError(`${where}: unknown option "${key}"; known options: ${KNOWN.join(', ')}`);
    const fail = (message: string): never => { throw new DslError(`${where}: ${key}: ${message}`); };
    const stored = validate(value, fail, kind);
    if (key === 'env') next.env = Object.freeze({ ...(current.env ?? {}), ...(stored as Record<string, string | SecretRef>) });
    else next[key] = stored;
    if (key === 'image') delete next.imageName;
    if (key === 'imageName') delete next.image;
  }
  return Object.freeze(next) as NodeSettings;
}

export type { Image };
