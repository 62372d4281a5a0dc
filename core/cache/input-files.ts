/**
 * The declared input files of a cached Exec: its `inputs` patterns matched against the pipeline
 * folder with .dockerignore's matcher (`*` within a folder, `**` across, a folder for all of it, `!` to
 * leave files out again), each matched file hashed by its content, never its mtime. Only the folders a
 * pattern can reach are walked (the part of the pattern before its first wildcard), `.caisson/` and
 * `.git/` never. A symlink counts by its target's content; symlinked folders are not followed.
 * Synchronous, as hashTree is: for many small files sync reads beat promise round-trips.
 */
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseDockerignore } from '../image/dockerignore.ts';
import { hashFile } from '../image/tree-hash.ts';

const NEVER = new Set(['.caisson', '.git']);

/** The folder-relative path before the first segment with a wildcard ("src/**" → "src", "*.ts" → ""). */
function staticPrefix(pattern: string): string {
  const out: string[] = [];
  for (const seg of pattern.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (/[*?[\\]/.test(seg)) break;
    out.push(seg);
  }
  return out.join('/');
}

/**
 * Relative path (forward slashes) → hex sha256 of the content, for every file under `baseDir` the
 * patterns select, sorted by path. A pattern matching nothing adds nothing; an unreadable file is
 * hashed as "unreadable" so its coming back is a change.
 */
export function hashInputs(baseDir: string, patterns: readonly string[]): Record<string, string> {
  const rules = parseDockerignore(patterns.join('\n'));
  const found = new Map<string, string>();
  const visit = (rel: string): void => {
    if (found.has(rel) || rel.split('/').some((seg) => NEVER.has(seg))) return;
    const abs = join(baseDir, rel);
    let stat;
    try { stat = lstatSync(abs); } catch { return; }
    if (stat.isDirectory()) {
      for (const name of readdirSync(abs).sort()) visit(rel ? `${rel}/${name}` : name);
      return;
    }
    if (!rules.ignores(rel)) return;
    if (stat.isSymbolicLink()) {
      try { if (!statSync(abs).isFile()) return; } catch { found.set(rel, 'dangling symlink'); return; }
    }
    try { found.set(rel, hashFile(abs)); } catch { found.set(rel, 'unreadable'); }
  };
  for (const p of patterns) if (!p.startsWith('!')) visit(staticPrefix(p));
  return Object.fromEntries([...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
