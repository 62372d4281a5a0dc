/**
 * A host checkout's git config, made fit to copy into an image. Checkouts hold credentials: a token in
 * a remote URL (`https://bot:TOKEN@host/…`), the `http.<url>.extraheader` a CI checkout writes, a
 * `[credential]` section. Build contexts never send the config files themselves (context-ignore.ts);
 * when `.git` is copied, this credential-free copy of `.git/config` is written in their place, so
 * remotes and core settings survive.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDockerignore } from './dockerignore.ts';
import { removeUrlCredentials } from '../secrets/url-userinfo.ts';

/** Git files that may hold credentials, kept out of every build context (any depth). */
export const GIT_CREDENTIAL_FILES = ['.git/config', '.git/config.worktree', '.git/credentials', '.git/modules/**/config'];

const SECTION = /^\s*\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]/;
const KEY = /^\s*([A-Za-z][A-Za-z0-9-]*)\s*(?:[=#;]|$)/;

/** `text` (a git config file) without [credential] sections and extraheader entries, URLs without userinfo. */
export function sanitizeGitConfig(text: string): string {
  const out: string[] = [];
  let dropSection = false;
  let continuing = false; // the previous line ended in "\": this one belongs to the same entry
  let dropEntry = false;
  for (const line of text.split('\n')) {
    if (continuing) {
      continuing = /\\\r?$/.test(line);
      if (!dropEntry && !dropSection) out.push(removeUrlCredentials(line));
      continue;
    }
    const section = SECTION.exec(line);
    if (section) {
      dropSection = section[1]!.toLowerCase().split('.')[0] === 'credential';
      if (!dropSection) out.push(removeUrlCredentials(line));
      continue;
    }
    const key = KEY.exec(line)?.[1]?.toLowerCase();
    dropEntry = key === 'extraheader';
    continuing = /\\\r?$/.test(line);
    if (!dropSection && !dropEntry) out.push(removeUrlCredentials(line));
  }
  return out.join('\n');
}

/**
 * The credential-free `.git/config` to write into an image copying `dir`, or undefined when the copy
 * has none: no `.git/config` there, or the user's ignore rules leave `.git` (or its config) out.
 */
export function gitConfigToCopy(dir: string, userIgnore: string): string | undefined {
  const file = join(dir, '.git', 'config');
  if (!existsSync(file)) return undefined;
  const rules = parseDockerignore(userIgnore);
  if (rules.ignores('.git') || rules.ignores('.git/config')) return undefined;
  return sanitizeGitConfig(readFileSync(file, 'utf8'));
}
