/**
 * Asserts errors by code and data, so a test keeps passing when only the wording of a message changes:
 * `throwsCode(() => compile(p), 'DSL', { path: '/ci/a', option: 'cpu' })`. Only the fields given are
 * compared; the message is shown when the assertion fails.
 */
import { strict as assert } from 'node:assert';
import { isUserError, type CaissonError, type ErrorCode } from '../../core/index.ts';

/** Checks that `e` is a CaissonError with `code` and the fields of `data`; returns it. */
export function expectCode(e: unknown, code: ErrorCode, data: Record<string, unknown> = {}): CaissonError {
  assert.ok(isUserError(e), `expected a CaissonError ${code}, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  assert.equal(e.code, code, `code of: ${e.message}`);
  const fields = e as unknown as Record<string, unknown>;
  assert.deepEqual(Object.fromEntries(Object.keys(data).map((k) => [k, fields[k]])), data, `data of: ${e.message}`);
  return e;
}

/** `fn` throws a CaissonError with `code` and `data`; returns the error for further checks. */
export function throwsCode(fn: () => unknown, code: ErrorCode, data: Record<string, unknown> = {}): CaissonError {
  let thrown: unknown;
  assert.throws(fn, (e: unknown) => { thrown = e; return true; });
  return expectCode(thrown, code, data);
}

/** `promise` rejects with a CaissonError with `code` and `data`; resolves to the error. */
export async function rejectsCode(promise: Promise<unknown>, code: ErrorCode, data: Record<string, unknown> = {}): Promise<CaissonError> {
  let thrown: unknown;
  await assert.rejects(promise, (e: unknown) => { thrown = e; return true; });
  return expectCode(thrown, code, data);
}
