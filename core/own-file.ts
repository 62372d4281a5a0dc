/**
 * Files that ship inside this copy of caisson (the web UI's app, the in-container entry of native
 * functions), found by their path inside it. Modules cannot find them beside themselves: the published
 * package is bundled, so a module's code may sit in a shared chunk (dist/chunks/) rather than at its
 * source path. Caisson's folder is the first one up from here that holds the file: the checkout's root
 * when run from the sources, dist/ when installed.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The absolute path of the first of `candidates` (paths inside caisson's folder, such as
 * `core/native/entry-runtime.ts` and `…js`) that exists; undefined when none does.
 */
export function ownFile(...candidates: string[]): string | undefined {
  // Not import.meta.dirname: native functions' bundles carry this module into containers with Node 18.
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    for (const c of candidates) if (existsSync(join(dir, c))) return join(dir, c);
  }
  return undefined;
}
