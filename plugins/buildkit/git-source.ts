/**
 * Git sources cloned on the host (docs/conducto-semantics.md#git-sources): the first time `git clone
 * --single-branch`, later `git fetch` + `git reset --hard`, into the cache dir (git/<hash of url+branch>).
 * The credential never appears on a command line, in the clone's config or in output: the URL arrives
 * without userinfo, the credential goes to git as an `http.extraHeader` through GIT_CONFIG_* variables,
 * and git's error output is shown with it masked.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, debugLog, ImageBuildError, maskForms, scrubText, type GitCheckoutResult, type GitSource } from '../../core/plugin-kit.ts';

const log = debugLog('build');

// One clone per destination at a time: two images from the same repository and branch share it.
const locks = new Map<string, Promise<unknown>>();

/** The Authorization header value of a credential. */
const basic = (c: NonNullable<GitSource['credential']>): string => Buffer.from(`${c.username}:${c.password}`).toString('base64');

/** Environment for git: no prompts, and the credential (if any) as an Authorization header. */
function gitEnv(credential: GitSource['credential']): Record<string, string> {
  const env: Record<string, string> = { GIT_TERMINAL_PROMPT: '0' };
  if (!credential) return env;
  return { ...env, GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic(credential)}` };
}

async function git(args: string[], env: Record<string, string>, source: GitSource, signal?: AbortSignal): Promise<string> {
  // execa loads when a git source is first fetched, not with the plugin (see docker-cli.ts).
  const { execa } = await import('execa');
  const r = await execa('git', args, { env, reject: false, cancelSignal: signal, stripFinalNewline: true, maxBuffer: 16 * 1024 * 1024 });
  if (r.exitCode === 0) return r.stdout;
  const c = source.credential;
  const masked = c ? scrubText(String(r.stderr || r.message), [...maskForms(c.password), encodeURIComponent(c.password), basic(c)]) : String(r.stderr || r.message);
  const { image } = source;
  const tail = masked.trim().split('\n').slice(-5).join('\n');
  throw new ImageBuildError(image, `git ${args.filter((a) => !a.startsWith('http')).slice(0, 2).join(' ')} failed: ${tail}`);
}

/** Clones or updates the source's branch in the cache; resolves to the directory and commit. */
export async function fetchGitSource(source: GitSource, signal?: AbortSignal): Promise<GitCheckoutResult> {
  const { url, branch } = source;
  const dir = join(cacheDir('git'), createHash('sha256').update(`${url}\0${branch}`).digest('hex').slice(0, 20));
  const previous = locks.get(dir) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(async () => {
    const env = gitEnv(source.credential);
    log(existsSync(join(dir, '.git')) ? 'git update' : 'git clone', { image: source.image, url, branch, dir, credential: source.credential ? 'yes' : 'no' });
    if (!existsSync(join(dir, '.git'))) {
      await git(['clone', '--quiet', '--single-branch', '--branch', branch, '--', url, dir], env, source, signal);
    } else {
      await git(['-C', dir, 'fetch', '--quiet', '--', 'origin', branch], env, source, signal);
      await git(['-C', dir, 'reset', '--quiet', '--hard', 'FETCH_HEAD'], env, source, signal);
      await git(['-C', dir, 'clean', '-qfdx'], env, source, signal);
    }
    return { dir, sha: await git(['-C', dir, 'rev-parse', 'HEAD'], env, source, signal) };
  });
  locks.set(dir, next);
  return next;
}

/** The commit HEAD of a local checkout, or undefined when git cannot tell. */
export async function gitHead(dir: string): Promise<string | undefined> {
  const { execa } = await import('execa');
  const r = await execa('git', ['-C', dir, 'rev-parse', 'HEAD'], { reject: false, stripFinalNewline: true });
  return r.exitCode === 0 && r.stdout ? r.stdout : undefined;
}
