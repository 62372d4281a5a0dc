/**
 * The git checkout `copyRepo` means: the repository holding the defining file's folder, read from its
 * files (no git process). Read when the image is defined, because the definition is made of it: the
 * checkout's root is what the image copies and maps to /mnt/caisson (relpath() needs that when the
 * pipeline compiles), and with copyBranch its origin is the URL the image clones. This is the one host
 * access image() makes; every check of a path the definition names waits until the image resolves.
 */
import { dirname, resolve } from 'node:path';
import { existsSync, readFileSync, statSync } from 'node:fs';

/** Git facts of the repository containing `dir`, read from its files. */
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
  // A linked worktree's git dir names the shared one (`commondir`), which holds the config.
  const common = safeRead(resolve(gitDir, 'commondir')).trim();
  const config = safeRead(resolve(gitDir, common || '.', 'config'));
  const section = /\[remote "origin"\]([^[]*)/.exec(config)?.[1] ?? '';
  return /^\s*url\s*=\s*(.+)$/m.exec(section)?.[1]?.trim();
}

function readBranch(gitDir: string): string | undefined {
  return /^ref: refs\/heads\/(.+)$/m.exec(safeRead(resolve(gitDir, 'HEAD')))?.[1]?.trim();
}

function safeRead(file: string): string {
  try { return readFileSync(file, 'utf8'); } catch { return ''; }
}
