/**
 * The value rules of node fields, each an io-ts codec with ONE message. The IR decoder runs them on
 * stored documents and the DSL runs the same codecs on what users pass (through `problemOf`), so one
 * rule reads the same wherever it fails: "<field>: <message>, got <value>".
 */
import * as t from 'io-ts';
import { parseDuration } from '../ir/duration.ts';
import { renderValue, toProblems } from '../ir/validation-errors.ts';

/** A codec for values that pass `test` unchanged; a failure carries `expected` as its message. */
export function rule<A>(name: string, expected: string, test: (u: unknown) => u is A): t.Type<A, A, unknown> {
  return new t.Type<A, A, unknown>(name, test, (u, c) => (test(u) ? t.success(u) : t.failure(u, c, expected)), t.identity);
}

const isNumber = (u: unknown): u is number => typeof u === 'number' && Number.isFinite(u);
const isString = (u: unknown): u is string => typeof u === 'string';
const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

/** true or false. */
export const Bool = rule('boolean', 'expected true or false', (u): u is boolean => typeof u === 'boolean');

/** Any string (doc, title, image table keys). */
export const Text = rule('string', 'expected a string', isString);

/** A list of strings (tags, docker run arguments as stored). */
export const StringList = rule('StringList', 'expected a list of strings', (u): u is string[] => Array.isArray(u) && u.every(isString));

/** CPUs: a number > 0, fractions allowed. */
export const Cpus = rule('Cpus', 'expected CPUs > 0', (u): u is number => isNumber(u) && u > 0);

/** Memory in GB: a number > 0. */
export const MemoryGb = rule('MemoryGb', 'expected GB > 0', (u): u is number => isNumber(u) && u > 0);

/** GPUs: a whole number >= 0. */
export const Gpus = rule('Gpus', 'expected a whole number of GPUs >= 0', (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 0);

/** A whole number >= 1 (maxConcurrent). */
export const PositiveInt = rule('PositiveInt', 'expected a whole number >= 1', (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 1);

/**
 * A time limit in seconds. Stored as a number; decoding also accepts a duration string ("90s",
 * "1h30m"), so users and hand-written IR can write it naturally. Encoding always yields seconds.
 */
export const Seconds = new t.Type<number, number, unknown>(
  'Seconds',
  (u): u is number => isNumber(u) && u > 0,
  (u, c) => {
    const seconds = typeof u === 'string' ? parseDuration(u) : u;
    return isNumber(seconds) && seconds > 0 ? t.success(seconds) : t.failure(u, c, 'expected seconds > 0 or a duration like "90s"');
  },
  t.identity,
);

/** Container reuse context as set on a node (Conducto's container_reuse_context). */
export type Reuse = 'new' | 'global';
/** Codec of Reuse. */
export const Reuse = rule('Reuse', 'expected "new" or "global" (leave it unset to inherit)', (u): u is Reuse => u === 'new' || u === 'global');

/** The rule's message for an environment variable name (EnvName). */
const ENV_NAME_EXPECTED = 'expected a variable name (not empty, no "=" or NUL)';

/**
 * An environment variable name. Only what cannot work is refused: an empty name, "=" (Docker and
 * execve pass variables as NAME=value, so the name would silently end at the "=") and NUL (which ends a
 * C string). Anything else reaches the program intact, and names a shell cannot expand ("my.var",
 * "2FA") are still read by programs, so they are allowed.
 */
export const EnvName = rule('EnvName', ENV_NAME_EXPECTED, (u): u is string => isString(u) && u !== '' && !u.includes('=') && !u.includes('\0'));

/** Environment variables (name → string value); also the shape of `secrets` (name → secret name). */
export type Env = Record<string, string>;

const isEnv = (u: unknown): u is Env => isRecord(u) && Object.entries(u).every(([k, v]) => EnvName.is(k) && isString(v));

/** Codec of Env: every name passes EnvName (reported at the field, with the name as the value), every value is a string. */
export const Env = new t.Type<Env, Env, unknown>(
  'Env',
  isEnv,
  (u, c) => {
    if (!isRecord(u)) return t.failure(u, c, 'expected an object of string values');
    if (isEnv(u)) return t.success(u);
    const errors: t.Errors = [];
    for (const [key, value] of Object.entries(u)) {
      if (!EnvName.is(key)) errors.push({ value: key, context: c, message: ENV_NAME_EXPECTED });
      else if (!isString(value)) errors.push({ value, context: [...c, { key, type: Text, actual: value }], message: 'expected a string' });
    }
    return t.failures(errors);
  },
  t.identity,
);

/** Longest node name, in UTF-16 code units. */
export const MAX_NAME_LENGTH = 255;

/** What is wrong with a node name (a string), or undefined when it is fine. */
function nameProblem(name: string): string | undefined {
  if (name === '') return 'must not be empty';
  if (name.includes('/')) return 'must not contain "/"';
  let control = false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    // A lone surrogate makes the string not well-formed (String.prototype.isWellFormed is false), and
    // encodeURIComponent (run records, log file names) throws "URI malformed" on it.
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = name.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return 'must be well-formed Unicode (it has a lone surrogate)';
    } else if (c >= 0xdc00 && c <= 0xdfff) return 'must be well-formed Unicode (it has a lone surrogate)';
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) control = true; // C0, DEL and C1 (\p{Cc})
  }
  if (control) return 'must not contain control characters (NUL, tab, newline, ...)';
  if (name.length > MAX_NAME_LENGTH) return `must be at most ${MAX_NAME_LENGTH} characters long`;
  return undefined;
}

/**
 * A node or pipeline name: a non-empty, well-formed string of at most 255 characters, without "/"
 * (it separates path segments) or control characters. Sibling uniqueness is checked on the tree.
 */
export const NodeName = new t.Type<string, string, unknown>(
  'NodeName',
  (u): u is string => isString(u) && nameProblem(u) === undefined,
  (u, c) => {
    if (!isString(u)) return t.failure(u, c, 'expected a string');
    const problem = nameProblem(u);
    return problem === undefined ? t.success(u) : t.failure(u, c, problem);
  },
  t.identity,
);

/** The outcome of checking a user's value with a rule: the decoded value, or the problem as the IR would word it. */
export type Checked<A> = { ok: true; value: A } | { ok: false; field: string; message: string };

/**
 * Runs `codec` on `value` as the IR decoder would and words a failure the same way: `field` is the part
 * below the checked value ("" for the value itself, "A" for an env entry), `message` "<rule>, got <value>".
 */
export function check<A>(codec: t.Decoder<unknown, A>, value: unknown): Checked<A> {
  const result = codec.validate(value, [{ key: '', type: codec, actual: value }]);
  if (result._tag === 'Right') return { ok: true, value: result.right };
  const first = toProblems(result.left, '')[0];
  return { ok: false, field: first?.field ?? '', message: first?.message ?? `invalid, got ${renderValue(value)}` };
}
