/**
 * Where an `image()` or `relpath()` call came from, when it does not say (`dir: import.meta.dirname`):
 * relative paths resolve from the folder of the file that called it (as Conducto's
 * instantiation_directory), not from the process's cwd, so a pipeline file behaves the same whichever
 * folder `caisson run` starts in. The file is read off V8's structured call sites (file names as paths or
 * file:// URLs, POSIX or Windows), not parsed out of `Error().stack` text.
 */
import { posix, win32 } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Caisson's own folder (core/, or dist/core/ when compiled): frames in it are never the caller. */
const LIB_DIR = posix.dirname(posix.dirname(fileURLToPath(import.meta.url).replaceAll('\\', '/')));

/** File names on the current stack, innermost first, as V8 reports them. */
function stackFileNames(): string[] {
  const { prepareStackTrace, stackTraceLimit } = Error;
  try {
    Error.stackTraceLimit = 64;
    Error.prepareStackTrace = (_e, sites) => sites;
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder, stackFileNames);
    return (holder.stack as NodeJS.CallSite[]).map((site) => site.getFileName() ?? '');
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/**
 * The first of `names` (call sites' file names, innermost first) that is a user's file: not Caisson's
 * own (under `libDir`), not in node_modules, not Node's internals. Undefined when there is none (a REPL).
 */
export function pickCallerFile(names: readonly string[], libDir: string, windows = process.platform === 'win32'): string | undefined {
  const lib = `${libDir.replaceAll('\\', '/').replace(/\/$/, '')}/`;
  for (const name of names) {
    if (!name || name.startsWith('node:') || name.startsWith('data:')) continue;
    const file = name.startsWith('file:') ? fileURLToPath(name, { windows }) : name;
    const slashed = file.replaceAll('\\', '/');
    if (!(windows ? win32 : posix).isAbsolute(file) || slashed.startsWith(lib) || slashed.includes('/node_modules/')) continue;
    return file;
  }
  return undefined;
}

/** The calling file's folder; the cwd when no file can be found. */
export function callerDir(): string {
  const file = pickCallerFile(stackFileNames(), LIB_DIR);
  return file ? (process.platform === 'win32' ? win32 : posix).dirname(file) : process.cwd();
}
