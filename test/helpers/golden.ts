/**
 * Golden files: a test compares what it made with a checked-in file. With UPDATE_GOLDEN set, a file that
 * differs is rewritten and the test FAILS, saying so: a test that wrote its expectation and then compared
 * against it could never fail, and an update run must not look like a passing one.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ROOT } from './temp-project.ts';

/** Asserts `actual` equals the content of `file`; in update mode, rewrites a differing file and fails. */
export function assertGolden(file: string, actual: string): void {
  const name = relative(ROOT, file);
  const expected = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  if (process.env.UPDATE_GOLDEN && actual !== expected) {
    writeFileSync(file, actual);
    assert.fail(`UPDATE_GOLDEN: rewrote ${name}; review the diff, then run again without UPDATE_GOLDEN`);
  }
  assert.ok(expected !== undefined, `${name} does not exist: run with UPDATE_GOLDEN=1 to write it, then review it`);
  assert.equal(actual, expected, `differs from ${name}: if that is intended, run with UPDATE_GOLDEN=1 and review the diff`);
}
