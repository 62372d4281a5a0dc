/**
 * A git token as a secret, across processes: `caisson run` clones a private repository over HTTP with
 * `copyCredentials: secret("GIT_TOKEN")` read from the pipeline folder's `.caisson/secrets`, and
 * `caisson rebuild` of that run, another process that only has the run's ir.json, builds the image again
 * with the same secret (before, the credential lived in the defining process's memory and a rebuild
 * could only refuse). The token is in no output, record, IR or image.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCaisson } from '../helpers/cli.ts';
import { requireDocker } from '../helpers/docker.ts';
import { startGitHttpServer } from './support/git-http-server.ts';

const ROOT = join(import.meta.dirname, '../..');
const sh = (cmd: string, args: string[], cwd?: string) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const nonce = () => `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;

/**
 * `caisson ...args` to completion without blocking this process: the git server the command clones from
 * answers from this process's event loop (runCaisson's spawnSync would deadlock it).
 */
async function caisson(cwd: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const running = startCaisson(args, cwd, { ...process.env, NO_COLOR: '1' });
  // 'close', not 'exit': by then both streams have been read to the end.
  const code = await new Promise<number | null>((resolve) => running.child.on('close', resolve));
  return { code, stdout: running.stdout(), stderr: running.stderr() };
}

/** Every file's text under `dir`. */
const allText = (dir: string): string => readdirSync(dir, { recursive: true, encoding: 'utf8' })
  .map((f) => join(dir, f)).filter((f) => statSync(f).isFile()).map((f) => readFileSync(f, 'utf8')).join('\n');

describe('git credentials are a secret: another process can build the image', function () {
  this.timeout(600_000);
  const refs = new Set<string>();
  before(async function () { await requireDocker(this); });
  after(() => { if (refs.size) execFileSync('docker', ['image', 'rm', '-f', ...refs], { stdio: 'ignore' }); });

  it('caisson run clones with the token from .caisson/secrets, and caisson rebuild of the run does too', async () => {
    mkdirSync(join(ROOT, 'tmp'), { recursive: true });
    const root = mkdtempSync(join(ROOT, 'tmp', 'git-cred-it-'));
    const work = join(root, 'work');
    mkdirSync(work);
    sh('git', ['init', '-q', '-b', 'main', work]);
    writeFileSync(join(work, 'hello.sh'), `echo from-the-repo ${nonce()}\n`);
    sh('git', ['add', '.'], work);
    sh('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-q', '-m', 'code'], work);
    sh('git', ['clone', '-q', '--bare', work, join(root, 'repo.git')]);
    const token = `tok-${nonce()}`;
    const server = await startGitHttpServer(root, 'bot', token);
    const dir = join(root, 'pipeline');
    mkdirSync(join(dir, '.caisson'), { recursive: true });
    writeFileSync(join(dir, '.caisson', 'secrets'), `GIT_TOKEN=${token}\n`, { mode: 0o600 });
    writeFileSync(join(dir, 'p.ts'), [
      "import { image, pipeline, secret } from 'caisson';",
      `const code = image({ ref: 'busybox:latest', copyUrl: '${server.url.replace('http://', 'http://bot@')}/repo.git', copyBranch: 'main', copyCredentials: secret('GIT_TOKEN'), name: 'code-${process.pid}' });`,
      "export default pipeline('p', { image: code }).exec('show', 'sh hello.sh');",
      '',
    ].join('\n'));
    try {
      const run = await caisson(dir, 'run', 'p.ts', '--no-typecheck');
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /from-the-repo /);
      const runId = run.stdout.match(/run (\S+) of p started/)![1]!;
      const before = server.requests.length;
      const rebuilt = await caisson(dir, 'rebuild', runId);
      assert.equal(rebuilt.code, 0, rebuilt.stdout + rebuilt.stderr);
      assert.match(rebuilt.stdout, new RegExp(`rebuilt image "code-${process.pid}"`));
      assert.ok(server.requests.slice(before).some((r) => r.endsWith('auth=true')), 'the rebuild fetched with the token');
      for (const m of (run.stdout + rebuilt.stdout).matchAll(/caisson\/code-\d+:[0-9a-f]{12}/g)) refs.add(m[0]);
      const records = allText(join(dir, '.caisson', 'runs'));
      for (const [what, text] of [['run output', run.stdout + run.stderr], ['rebuild output', rebuilt.stdout + rebuilt.stderr], ['run record', records]] as const) {
        assert.ok(!text.includes(token), `the token appears in the ${what}`);
      }
      assert.match(records, /"copyCredentials": ?"GIT_TOKEN"/, 'the record names the secret');
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
