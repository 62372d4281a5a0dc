/**
 * Imports a user's pipeline file the way its own project would run it: an ES module through import(),
 * a CommonJS file through require(). `.mjs`/`.mts` are ES modules, `.cjs`/`.cts` CommonJS, and
 * `.js`/`.ts` follow the nearest package.json's "type" (CommonJS when it says nothing, as Node does).
 *
 * CommonJS goes through require() rather than import() because a CommonJS file loaded by the ES module
 * loader while loader hooks (tsx's) are active cannot require() an ES module such as caisson itself
 * ("request for … is not in cache"); Node's own require() can.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** "module" or "commonjs": how Node treats `abs`. */
export function moduleFormatOf(abs: string): 'module' | 'commonjs' {
  if (/\.m(j|t)s$/.test(abs)) return 'module';
  if (/\.c(j|t)s$/.test(abs)) return 'commonjs';
  for (let dir = dirname(abs); ; dir = dirname(dir)) {
    const type = packageType(join(dir, 'package.json'));
    if (type !== undefined) return type === 'module' ? 'module' : 'commonjs';
    if (dirname(dir) === dir) return 'commonjs';
  }
}

function packageType(file: string): string | null | undefined {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { type?: string }).type ?? null;
  } catch {
    return undefined; // no package.json here (or an unreadable one): keep looking up
  }
}

/**
 * The module's exports by name. For CommonJS, `default` is `exports.default` when the file sets one
 * (`export default` compiled to CommonJS) and `module.exports` itself otherwise (`module.exports = …`).
 */
export async function importModule(abs: string): Promise<Record<string, unknown>> {
  if (moduleFormatOf(abs) === 'module') return (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
  const exported: unknown = createRequire(abs)(abs);
  const exports = (typeof exported === 'object' && exported !== null) || typeof exported === 'function' ? (exported as Record<string, unknown>) : {};
  const names: Record<string, unknown> = { ...exports };
  delete names.__esModule;
  names.default = Object.hasOwn(exports, 'default') ? exports.default : exported;
  return names;
}
