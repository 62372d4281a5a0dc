/**
 * The ignore rules a build context is sent with: the user's own, then Caisson's, last, so no `!` line
 * of the user's can bring back what Caisson keeps out. `.caisson/` (run records, the 0600 secrets file)
 * at any depth never enters an image. Hashing uses the very same text, so what is not copied is not
 * hashed either (a new run record does not make a new image).
 */
import type { RequirementFields } from '../ir/codecs.ts';

/** What Caisson always keeps out of a build context: its own folder, wherever it is. */
export const ALWAYS_IGNORED = ['.caisson', '**/.caisson'];

/** `userIgnore` followed by `extra` rules and Caisson's own, as .dockerignore text. */
export function contextIgnore(userIgnore: string, extra: readonly string[] = []): string {
  return [userIgnore.trimEnd(), ...extra, ...ALWAYS_IGNORED].filter(Boolean).join('\n') + '\n';
}

/**
 * The rules code copied to /mnt/caisson is sent with: the context's .dockerignore, `.git` kept for git
 * sources, node_modules left out when npm installs there.
 */
export function copyIgnore(userIgnore: string, spec: Pick<RequirementFields, 'installNpm' | 'copyGit'>): string {
  return contextIgnore(userIgnore, [spec.copyGit ? '!**/.git' : '', spec.installNpm ? 'node_modules' : ''].filter(Boolean));
}
