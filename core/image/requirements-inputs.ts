/**
 * The shared half of the built-in kinds' inputs and secrets: what installs and copied code (the
 * requirement fields, on any built-in kind) add to an image's content address and to the secrets its
 * build reads. A copyDir tree by the very ignore rules its build sends it with, the credential-free
 * `.git/config` written in its place, the commit of a git source; pip index secrets and copyCredentials.
 */
import type { RequirementFields } from '../ir/codecs.ts';
import { ImageBuildError, ImageSpecError } from '../errors.ts';
import type { GitSourceRef, InputsContext } from './kind.ts';
import { hashTree, readDockerignore } from './tree-hash.ts';
import { copyIgnore } from './context-ignore.ts';
import { gitConfigToCopy } from './git-config.ts';
import { hashCanonical } from './hash.ts';
import { requirePath } from './host-paths.ts';

/** Spec fields the requirement helpers read. */
export type RequirementsSpec = RequirementFields & { name: string; dir?: string; dockerAutoWorkdir: boolean };

/** The git branch `spec` copies (copyUrl + copyBranch), its token named by copyCredentials. */
export function gitSourceOf(spec: RequirementsSpec): GitSourceRef {
  if (spec.credentials) {
    throw new ImageSpecError(spec.name, 'copyUrl: this pipeline was compiled by an older Caisson, which kept the credential of the URL in the memory of the process that defined the image; give it as copyCredentials: secret("NAME") and compile the pipeline again');
  }
  if (!spec.copyUrl || !spec.copyBranch) throw new ImageBuildError(spec.name, 'has no copyUrl + copyBranch to check out');
  return { url: spec.copyUrl, branch: spec.copyBranch, ...(spec.copyCredentials ? { credentials: spec.copyCredentials } : {}) };
}

/**
 * What `spec`'s installs and copies add to its content address; checks that a copyDir exists.
 * @throws ImageSpecError for a copyDir that is no directory; ImageBuildError for one that cannot be read
 */
export async function requirementsInputs(spec: RequirementsSpec, ctx: InputsContext): Promise<Record<string, unknown>> {
  const inputs: Record<string, unknown> = {};
  if (spec.copyDir) {
    const dir = requirePath(spec.name, 'copyDir', spec.copyDir, 'directory', spec.dir);
    const read = <T>(fn: () => T): T => {
      try {
        return fn();
      } catch (e) {
        // An unreadable file is the user's to fix: one line naming it, not a stack.
        throw new ImageBuildError(spec.name, `copyDir: cannot read what the image copies: ${(e as Error).message}`);
      }
    };
    inputs.copyDir = read(() => hashTree(dir, copyIgnore(readDockerignore(dir), spec)).hash);
    // .git/config is not sent, but its credential-free copy is written into the image.
    const gitConfig = read(() => gitConfigToCopy(dir, readDockerignore(dir)));
    if (gitConfig !== undefined) inputs.gitConfig = hashCanonical(gitConfig);
  }
  if (spec.copyUrl) inputs.gitSha = (await ctx.checkout(gitSourceOf(spec))).sha;
  return inputs;
}

/** Secrets the installs and copies of `spec` read: secret package indexes, copyCredentials. */
export function requirementsSecretNames(spec: RequirementFields): string[] {
  const names = [spec.pipIndexUrl, ...(spec.pipExtraIndexUrls ?? [])].flatMap((u) => (typeof u === 'object' ? [u.secret] : []));
  if (spec.copyCredentials) names.push(spec.copyCredentials);
  return names;
}
