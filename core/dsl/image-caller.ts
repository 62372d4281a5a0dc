/**
 * Where an `image()` call came from: relative paths in image options resolve from the directory of the
 * file that called it (as Conducto's instantiation_directory), not from the process's cwd, so a
 * pipeline file behaves the same whichever directory `caisson run` is started in.
 */
import { dirname, resolve } from 'node:path';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DSL_DIR = dirname(fileURLToPath(import.meta.url));

/** The file of the first stack frame outside core/dsl (the user's file), or undefined (e.g. a REPL). */
export function callerFile(): string | undefined {
  const stack = new Error().stack ?? '';
  for (const line of stack.split('\n').slice(1)) {
    const m = /\(?((?:file:\/\/)?\/[^():]+):\d+:\d+\)?\s*$/.exec(line.trim());
    if (!m) continue;
    const file = m[1]!.startsWith('file://') ? fileURLToPath(m[1]!) : m[1]!;
    if (dirname(file) === DSL_DIR || file.includes('/node_modules/')) continue;
    return file;
  }
  return undefined;
}

/** The calling file's directory; the cwd when no file can be found. */
export const callerDir = (): string => {
  const file = callerFile();
  return file ? dirname(file) : process.cwd();
};

/** Git facts of the repository containing `dir`, read from its files (no git process). */
export interface GitCheckout { root: string; originUrl?: string; branch?: string }

/** The enclosing git checkout of `dir`, or undefined when `dir` is not inside one. */
export function findGitCheckout(dir: string): GitCheckout | undefined {
  for (let at = resolve(dir); ; at = dirname(at)) {
    const dotGit = resolve(at, '.git');
    if (existsSync(dotGit)) {
      const gitDir = statSync(dotGit).isDirectory() ? dotGit : resolve(at, readFileSync(dotGit, 'utf8').replace(/^gitdir:\s*/, '').trim());
      return { root: at, originUrl: readOrigin(gitDir), branch: readBranch(gitDir) };
    }
    if (dirname(at) === at) return undefined;
  }
}

function readOrigin(gitDir: string): string | undefined {
  const config = safeRead(resolve(gitDir, 'config'));
  const section = /\[remote "origin"\]([^[]*)/.exec(config)?.[1] ?? '';
  return /^\s*url\s*=\s*(.+)$/m.exec(section)?.[1]?.trim();
}

function readBranch(gitDir: string): string | undefined {
  return /^ref: refs\/heads\/(.+)$/m.exec(safeRead(resolve(gitDir, 'HEAD')))?.[1]?.trim();
}

function safeRead(file: string): string {
  try { return readFileSync(file, 'utf8'); } catch { return ''; }
}
