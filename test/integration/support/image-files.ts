/**
 * Looking at a whole image, not at a few folders of it: its filesystem as one tar stream (`docker
 * export` of a container created from it, never started), searched as bytes, so a leaked value is
 * found in any file, at any depth, binary or not; and its history and config.
 */
import { execFileSync } from 'node:child_process';

const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** How many lines of the image's exported filesystem contain `needle` (0: nowhere). */
export function exportCount(ref: string, needle: string): number {
  const id = sh('docker', ['create', ref, 'true']).trim();
  try {
    const out = execFileSync('sh', ['-c', 'docker export "$ID" | grep -a -c -F -e "$NEEDLE" || true'], {
      encoding: 'utf8', env: { ...process.env, ID: id, NEEDLE: needle }, maxBuffer: 64 * 1024 * 1024,
    });
    return Number(out.trim());
  } finally {
    sh('docker', ['rm', id]);
  }
}

/** The image's history (full commands) and its inspect JSON, as text. */
export const historyAndConfig = (ref: string): string => sh('docker', ['history', '--no-trunc', ref]) + sh('docker', ['image', 'inspect', ref]);

/** Removes the `caisson/…` tags among `refs` (never a shared base image, never by id). */
export function removeCaissonTags(refs: Iterable<string>): void {
  const tags = [...new Set(refs)].filter((r) => r.startsWith('caisson/'));
  if (tags.length) execFileSync('docker', ['image', 'rm', '-f', ...tags], { stdio: 'ignore' });
}
