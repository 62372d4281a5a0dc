/**
 * The base of every error a user can cause, and the brand that recognises it. `instanceof CaissonError`
 * (and `instanceof` any subclass) checks a `Symbol.for` marker rather than the class identity, so an
 * error thrown by a second copy of the package (a plugin with its own node_modules, the same file loaded
 * under another URL) is still recognised, as core/dsl/defs.ts does for builders.
 */
import type { ErrorCode } from './codes.ts';

/** Every error's optional underlying cause, kept as `cause` for debugging (never shown to users). */
export interface ErrorOptions {
  /** The error this one explains (a daemon's answer, a failed read). */
  cause?: unknown;
}

// Each branded class's marker; the markers live on the prototypes, so a subclass's errors carry its
// ancestors' markers too (an ImageSpecError is a DslError).
const markers = new WeakMap<object, symbol>();

/**
 * Base class: `code` for programs, `message` for people, and per class the data a program needs
 * (node path, image, option, file, run id…) as fields. The CLI prints the message, never a stack.
 */
export class CaissonError extends Error {
  /** Which kind of error this is; stable across releases, unlike the message. */
  readonly code: ErrorCode;

  /**
   * @param code the error's code (each subclass passes its own)
   * @param message shown to the user as is: one actionable line first, details after
   * @param data the class's fields (copied onto the error; undefined ones are left out) and `cause`
   */
  constructor(code: ErrorCode, message: string, data: object = {}) {
    const { cause, ...fields } = data as ErrorOptions & Record<string, unknown>;
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) Object.defineProperty(this, key, { value, enumerable: true });
  }

  /** Brand check: true for errors of this class (or a subclass) from any copy of the package. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    const marker = markers.get(this);
    if (marker === undefined) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }
}

/**
 * Brands `cls` under `name`: its errors are named `name` and recognised by `instanceof cls` across
 * copies of the package. Called once after each error class.
 */
export function brandError(cls: abstract new (...args: never[]) => CaissonError, name: string): void {
  const marker = Symbol.for(`caisson.error.${name}`);
  markers.set(cls, marker);
  Object.defineProperty(cls.prototype, marker, { value: true });
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true });
}
brandError(CaissonError, 'CaissonError');

/** True for errors a user caused (print the message, no stack): any CaissonError, from any copy of the package. */
export const isUserError = (e: unknown): e is CaissonError => e instanceof CaissonError;
