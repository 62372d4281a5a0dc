/**
 * The content an image depends on beyond its spec: the copyDir tree and the dockerfile's context tree
 * (each filtered by the very ignore rules its build sends the context with), the dockerfile's text,
 * the commit of a git source. Part of the content address.
 */
import { readFileSync } from 'node:fs';
import type { ImageSpec } from '../ir/codecs.ts';
import { ImageBuildError } from '../errors.ts';
import type { GitCheckoutResult } from './contract.ts';
import { hashFile, hashTree, readDockerignore } from './tree-hash.ts';
import { contextIgnore, copyIgnore } from './context-ignore.ts';
import { gitConfigToCopy } from './git-config.ts';
import { hashCanonical } from './hash.ts';

/** Hashes the inputs of `spec`; `checkout` fetches a git source (memoised by the caller). */
export async function hashInputs(spec: ImageSpec, checkout: () => Promise<GitCheckoutResult>): Promise<Record<string, unknown>> {
  const inputs: Record<string, unknown> = {};
  if (spec.kind === 'ref' || spec.kind === 'custom') return inputs;
  const read = <T>(option: string, fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      // An unreadable file is the user's to fix: one line naming it, not a stack.
      throw new ImageBuildError(spec.name, `${option}: cannot read what the image copies: ${(e as Error).message}`);
    }
  };
  if (spec.copyDir) inputs.copyDir = read('copyDir', () => hashTree(spec.copyDir!, copyIgnore(readDockerignore(spec.copyDir!), spec)).hash);
  // .git/config is not sent, but its credential-free copy is written into the image.
  const gitConfig = spec.copyDir ? read('copyDir', () => gitConfigToCopy(spec.copyDir!, readDockerignore(spec.copyDir!))) : undefined;
  if (gitConfig !== undefined) inputs.gitConfig = hashCanonical(gitConfig);
  if (spec.copyUrl) inputs.gitSha = (await checkout()).sha;
  if (spec.kind === 'dockerfile') {
    if (spec.dockerfile) inputs.dockerfile = read('dockerfile', () => hashFile(spec.dockerfile!));
    if (spec.context) inputs.context = read('context', () => hashTree(spec.context!, contextIgnore(dockerfileIgnore(spec.dockerfile, spec.context!))).hash);
  }
  return inputs;
}

/** The ignore rules BuildKit applies to a dockerfile build: `<Dockerfile>.dockerignore` if present, else the context's. */
export function dockerfileIgnore(dockerfile: string | undefined, context: string): string {
  if (dockerfile) {
    try { return readFileSync(`${dockerfile}.dockerignore`, 'utf8'); } catch { /* fall through */ }
  }
  return readDockerignore(context);
}
