/**
 * secret("NAME"): an env value read when the command runs, never written into the IR, a run record or
 * an image. The IR keeps only the reference (node.secrets: env var → secret name).
 */
import { DslError } from '../errors.ts';

const SECRET = Symbol.for('caisson.secret');
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A reference to a secret, usable as a whole env value: `env: { TOKEN: secret('API_TOKEN') }`. */
export interface SecretRef {
  /** Brand that tells a secret reference apart from a plain value (see `isSecret`). */
  readonly [SECRET]: true;
  /** The secret's name: looked up in the runner's environment, then in `.caisson/secrets`. */
  readonly name: string;
}

/**
 * Refers to the secret `name` (letters, digits and _, not starting with a digit). The value is read at
 * run time from the runner's environment or the pipeline folder's `.caisson/secrets` file (mode 0600),
 * injected into the command's env, and masked as `***` in all output.
 * @throws DslError for a name that is not a valid environment variable name.
 */
export function secret(name: string): SecretRef {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new DslError(`secret(${JSON.stringify(name)}): expected a name of letters, digits and _ (not starting with a digit), like "API_TOKEN"`, { path: `secret(${JSON.stringify(name)})` });
  }
  const ref = {
    [SECRET]: true as const,
    name,
    // Joining a secret into a string would put a placeholder (or worse, the value) in the IR.
    [Symbol.toPrimitive](): never {
      throw new DslError(`secret("${name}") cannot be part of a longer string; use it as a whole env value, e.g. env: { TOKEN: secret("${name}") }, and build the string in the command ("Bearer $TOKEN")`, { path: `secret("${name}")` });
    },
    toJSON: () => ({ secret: name }),
  };
  return Object.freeze(ref);
}

/** True for a value made by secret(). */
export const isSecret = (v: unknown): v is SecretRef => typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[SECRET] === true;
