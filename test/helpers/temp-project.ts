/**
 * Pipeline folders for tests, under the OS temp dir and never in the checkout: `caisson run` records next
 * to the pipeline file (`.caisson/`), so a test that ran examples/ or test/fixtures/ in place would leave
 * records in the repository. In a temp project `import … from 'caisson'` still resolves to this checkout's
 * sources: node_modules/caisson links to it (the "caisson-source" condition does the rest), and
 * node_modules/@types/node to its @types/node, as an install would hoist it.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The root of this checkout. */
export const ROOT = join(import.meta.dirname, '../..');

/** A new folder `caisson-<prefix>-*` under the temp dir, an ES module project that can import 'caisson'. */
export function tempProject(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `caisson-${prefix}-`));
  mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules', 'caisson'), 'dir');
  // As npm would hoist it: caisson depends on @types/node (the pipeline type-check needs it).
  symlinkSync(join(ROOT, 'node_modules', '@types', 'node'), join(dir, 'node_modules', '@types', 'node'), 'dir');
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  return dir;
}

/** Copies files or folders of the checkout (paths relative to its root) into `dir` at the same relative paths. */
export function copyFromCheckout(dir: string, ...paths: string[]): void {
  for (const p of paths) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    cpSync(join(ROOT, p), join(dir, p), { recursive: true });
  }
}

/** Removes a temp project (the link to the checkout is removed, never followed). */
export function removeProject(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Temp folders a suite makes and removes: `make(prefix)` makes `caisson-<prefix>-*`, `removeAll()` (in after/afterEach) removes them all. */
export function tempDirs(): { make(prefix: string): string; removeAll(): void } {
  const made: string[] = [];
  return {
    make(prefix) {
      const dir = mkdtempSync(join(tmpdir(), `caisson-${prefix}-`));
      made.push(dir);
      return dir;
    },
    removeAll() {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Sets CAISSON_CACHE_DIR to a new temp folder; the returned function restores the variable and removes the folder. */
export function tempCacheDir(): () => void {
  const before = process.env.CAISSON_CACHE_DIR;
  const dir = mkdtempSync(join(tmpdir(), 'caisson-cache-'));
  process.env.CAISSON_CACHE_DIR = dir;
  return () => {
    if (before === undefined) delete process.env.CAISSON_CACHE_DIR;
    else process.env.CAISSON_CACHE_DIR = before;
    rmSync(dir, { recursive: true, force: true });
  };
}
