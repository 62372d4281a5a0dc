/**
 * Git sources cloned on the host (§2.5 clone stage): the first time `git clone --single-branch`, later
 * `git fetch` + `git reset --hard`, into the cache dir (git/<hash of url+branch>). Credentials never
 * appear on a command line, in the clone's config or in output: the URL is cloned without userinfo and
 * the credential goes to git as an `http.extraHeader` through GIT_CONFIG_* environment variables.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ImageBuildError, ImageSpecError } from '../errors.ts';
import type { GitCheckoutResult } from './contract.ts';
import { cacheDir } from './cache-dir.ts';
import { lookupCredential, redactSecrets } from './credentials.ts';

const locks = new Map<string, Promise<unknown>>();

/** A URL with any userinfo removed (what git is given and what env values show). */
export const stripUserinfo = (url: string): string => url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');

function git(args: string[], env: NodeJS.ProcessEnv, image: string, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { env, signal, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout.trim());
      const tail = redactSecrets(String(stderr || error.message)).trim().split('\n').slice(-5).join('\n');
      reject(new ImageBuildError(image, `git ${args.filter((a) => !a.startsWith('http')).slice(0, 2).join(' ')} failed: ${tail}`, { cause: error }));
    });
  });
}

/** Environment for git: no prompts, and the credential (if any) as an Authorization header. */
function gitEnv(image: string, credentials: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0' };
  if (!credentials) return env;
  const cred = lookupCredential(credentials);
  if (!cred) throw new ImageSpecError(image, 'copyUrl: its credentials are only known to the process that defined the image; build images from the process that loads the pipeline file');
  env.GIT_CONFIG_COUNT = '1';
  env.GIT_CONFIG_KEY_0 = 'http.extraHeader';
  env.GIT_CONFIG_VALUE_0 = `Authorization: Basic ${Buffer.from(`${cred.username}:${cred.password}`).toString('base64')}`;
  return env;
}

/** Clones or updates `url`'s `branch` in the cache and returns the directory and commit. Serialised per destination. */
export async function fetchGitSource(image: string, url: string, branch: string, credentials?: string, signal?: AbortSignal): Promise<GitCheckoutResult> {
  const bare = stripUserinfo(url);
  const dir = join(cacheDir('git'), createHash('sha256').update(`${bare}\0${branch}`).digest('hex').slice(0, 20));
  const previous = locks.get(dir) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(async () => {
    const env = gitEnv(image, credentials);
    if (!existsSync(join(dir, '.git'))) {
      await git(['clone', '--quiet', '--single-branch', '--branch', branch, '--', bare, dir], env, image, signal);
    } else {
      await git(['-C', dir, 'fetch', '--quiet', 'origin', branch], env, image, signal);
      await git(['-C', dir, 'reset', '--quiet', '--hard', 'FETCH_HEAD'], env, image, signal);
      await git(['-C', dir, 'clean', '-qfdx'], env, image, signal);
    }
    return { dir, sha: await git(['-C', dir, 'rev-parse', 'HEAD'], env, image, signal) };
  });
  locks.set(dir, next);
  return next;
}

/** The commit HEAD of a local checkout (copyRepo in local mode), or undefined when git cannot tell. */
export async function localHeadSha(dir: string): Promise<string | undefined> {
  return git(['-C', dir, 'rev-parse', 'HEAD'], process.env, dir).catch(() => undefined);
}
