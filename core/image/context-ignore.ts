/**
 * The ignore rules a build context is sent with: the user's own, then Caisson's, last, so no `!` line
 * of the user's can bring back what Caisson keeps out. At any depth, `.caisson/` (run records, the 0600
 * secrets file) and the git files that hold credentials (remote URLs with tokens, extraheaders) never
 * enter an image. Hashing uses the very same text, so what is not copied is not hashed either (a new run
 * record does not make a new image).
 */
import type { RequirementFields } from '../ir/codecs.ts';
import { GIT_CREDENTIAL_FILES } from './git-config.ts';

/** What Caisson always keeps out of a build context: its own folder and git's credential files, wherever they are. */
export const ALWAYS_IGNORED = ['.caisson', '**/.caisson', ...GIT_CREDENTIAL_FILES.flatMap((f) => [f, `**/${f}`])];

/** `userIgnore` followed by `extra` rules and Caisson's own, as .dockerignore text. */
export function contextIgnore(userIgnore: string, extra: readonly string[] = []): string {
  return [userIgnore.trimEnd(), ...extra, ...ALWAYS_IGNORED].filter(Boolean).join('\n') + '\n';
}

/**
 * The rules code copied to /mnt/caisson is sent with: the context's .dockerignore (an explicit `.git`
 * there keeps .git out, even of a git source), node_modules left out when npm installs there.
 */
export function copyIgnore(userIgnore: string, spec: Pick<RequirementFields, 'installNpm'>): string {
  return contextIgnore(userIgnore, spec.installNpm ? ['node_modules'] : []);
}
