/**
 * Which module a native function comes from, and under which export name. A native node runs its
 * function by importing that export in the container, so the function must be a named export of a
 * module file: an inline arrow, a local function or a bound one has nothing to import.
 *
 * Where a function was defined is asked of V8 through the inspector protocol (`[[FunctionLocation]]`
 * and the script's URL), synchronously and for any loader (tsx, plain Node, CommonJS). Its export name
 * is then looked up, by identity, in that module's exports when they are known (the caisson CLI and
 * runFake register the modules they load; CommonJS modules are in require.cache), and otherwise checked
 * against the module's source text.
 */
import { Session } from 'node:inspector';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const registry = new Map<string, Record<string, unknown>>();
const located = new WeakMap<object, string | undefined>();

/** Records a loaded module's exports (by its file URL), so export names are found by identity. */
export function registerModule(url: string, exports: Record<string, unknown>): void {
  registry.set(url, exports);
}

// Script id → URL, from Debugger.scriptParsed. Enabling the debugger reports every script parsed so far
// (the costly part, ~100 ms), so it is done again only for a function in a script not seen yet.
const scriptUrls = new Map<string, string>();

/** The file URL of the script that defines `fn`, or undefined when V8 knows of none (native code, eval). */
export function locateFunction(fn: (...args: never[]) => unknown): string | undefined {
  if (located.has(fn)) return located.get(fn);
  const session = new Session();
  session.connect();
  let url: string | undefined;
  try {
    // In-process sessions answer synchronously: every callback below has run when post() returns.
    let scriptId: string | undefined;
    const key = `__caissonLocate${process.pid}`;
    (globalThis as Record<string, unknown>)[key] = fn;
    session.post('Runtime.evaluate', { expression: `globalThis[${JSON.stringify(key)}]` }, (err, r) => {
      if (err || !r.result.objectId) return;
      session.post('Runtime.getProperties', { objectId: r.result.objectId, ownProperties: true }, (err2, p) => {
        const loc = p?.internalProperties?.find((x) => x.name === '[[FunctionLocation]]')?.value?.value as { scriptId?: string } | undefined;
        if (!err2) scriptId = loc?.scriptId;
      });
    });
    delete (globalThis as Record<string, unknown>)[key];
    if (scriptId !== undefined && !scriptUrls.has(scriptId)) {
      session.on('Debugger.scriptParsed', (m) => { scriptUrls.set(m.params.scriptId, m.params.url); });
      session.post('Debugger.enable', () => undefined);
      session.post('Debugger.disable', () => undefined);
    }
    if (scriptId !== undefined) url = scriptUrls.get(scriptId);
  } finally {
    session.disconnect();
  }
  // tsx may add a query to the URL it loads a file under.
  const clean = url?.startsWith('file:') ? url.replace(/[?#].*$/, '') : undefined;
  located.set(fn, clean);
  return clean;
}

/** The exports of the module at `url` when they are known: registered, or a CommonJS module already loaded. */
function knownExports(url: string): Record<string, unknown> | undefined {
  const registered = registry.get(url);
  if (registered) return registered;
  const file = fileURLToPath(url);
  const cached = createRequire(file).cache[file];
  const exported = cached?.exports as Record<string, unknown> | undefined;
  return exported && (typeof exported === 'object' || typeof exported === 'function') ? exported : undefined;
}

/** `name` is exported by the source text: `export function name`, `export const name`, `export { name }`, `exports.name =`. */
function sourceExports(source: string, name: string): boolean {
  const n = name.replace(/[$]/g, '\\$');
  return new RegExp(`export\\s+(?:default\\s+)?(?:async\\s+)?function\\s*\\*?\\s*${n}\\b|export\\s+(?:const|let|var)\\s+${n}\\b|export\\s*\\{[^}]*\\b${n}\\b[^}]*\\}|exports\\.${n}\\s*=|module\\.exports\\s*=\\s*\\{[^}]*\\b${n}\\b`).test(source);
}

/**
 * The export name of `fn` in the module at `url`, or why it has none (a sentence naming the function).
 * Prefers the function's own name when several exports hold it.
 */
export function exportNameOf(fn: (...args: never[]) => unknown, url: string, shown: string): { name: string } | { error: string } {
  const exports = knownExports(url);
  const hint = `export it from ${shown} (export function ${fn.name || 'name'}(…) { … }) and pass that`;
  if (exports) {
    let names = Object.keys(exports).filter((k) => exports[k] === fn);
    // The same file loaded twice (once by require, once by import: two instances) holds an equal function,
    // not the same one.
    const text = Function.prototype.toString.call(fn);
    if (!names.length) names = Object.keys(exports).filter((k) => typeof exports[k] === 'function' && Function.prototype.toString.call(exports[k]) === text);
    if (!names.length) return { error: `${describe(fn)} is not a named export of ${shown}; ${hint}` };
    return { name: names.includes(fn.name) ? fn.name : names.find((k) => k !== 'default') ?? names[0]! };
  }
  if (!fn.name) return { error: `${describe(fn)} is not a named export of ${shown}; ${hint}` };
  let source = '';
  try { source = readFileSync(fileURLToPath(url), 'utf8'); } catch { /* unreadable: the bundle's import will say */ }
  if (source && !sourceExports(source, fn.name)) return { error: `${describe(fn)} is not a named export of ${shown}; ${hint}` };
  return { name: fn.name };
}

/** "function build", "an inline arrow function", for messages. */
export function describe(fn: (...args: never[]) => unknown): string {
  if (!fn.name) return /^(async\s*)?(\(|[\w$]+\s*=>)/.test(Function.prototype.toString.call(fn)) ? 'an inline arrow function' : 'an anonymous function';
  return `function ${fn.name}`;
}
