/**
 * `caisson debug` on Docker with its input and output as pipes (no terminal): from a run record it runs
 * the image that run built and recorded (not the base the IR names) with the node's secrets read from the
 * pipeline folder's .caisson/secrets; `--export` picks the export; SIGTERM removes the container before
 * the process ends; a SIGKILLed debug leaves a container that the next `caisson run` sweeps.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CAISSON_BIN, runCaisson } from '../helpers/cli.ts';
import { docker, listLabelled, requireDocker } from '../helpers/docker.ts';
import { removeProject, tempProject } from '../helpers/temp-project.ts';
import { removeCaissonTags } from './support/image-files.ts';

const nonce = () => `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** A debug session in the background: its output so far, a wait for a pattern in it, its exit. */
function startDebug(cwd: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [CAISSON_BIN, 'debug', ...args], { cwd, env: { ...env, NO_COLOR: '1' } });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const waitFor = async (pattern: RegExp, what: string) => {
    for (let i = 0; i < 600 && !pattern.test(out); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(out, pattern, what);
  };
  return { child, output: () => out, exited, waitFor };
}

describe('caisson debug sessions on Docker (pipes, signals, records)', function () {
  this.timeout(180_000);
  let dir: string;
  const refs: string[] = [];
  before(async function () { await requireDocker(this); });
  beforeEach(() => { dir = tempProject('debug'); });
  afterEach(() => removeProject(dir));
  after(() => removeCaissonTags(refs));

  /** Removes the debug containers made for `path` (unique to each test) that a failing test left. */
  const removeLeft = async (path: string) => {
    for (const id of await listLabelled(`dev.caisson.debug=${path}`)) await docker.getContainer(id).remove({ force: true }).catch(() => {});
  };

  it('from a run record: the image that run built (not its base), and the node\'s secrets from .caisson/secrets', async () => {
    const id = nonce();
    const secret = `dbg-secret-${id}`;
    mkdirSync(join(dir, 'code'));
    writeFileSync(join(dir, 'code', 'marker.txt'), `built-${id}\n`);
    mkdirSync(join(dir, '.caisson'));
    writeFileSync(join(dir, '.caisson', 'secrets'), `DBG_RECORD_SECRET=${secret}\n`, { mode: 0o600 });
    writeFileSync(join(dir, 'pipe.ts'), `
import { image, pipeline, secret } from 'caisson';
const app = image({ ref: 'busybox:latest', copyDir: './code', name: 'app' });
export default pipeline('dbgrec', { image: app, env: { TOKEN: secret('DBG_RECORD_SECRET') } })
  .exec('show', 'cat marker.txt; [ -n "$TOKEN" ] && echo has-token');
`);
    const env = { ...process.env };
    delete env.DBG_RECORD_SECRET;
    const run = spawnSync(process.execPath, [CAISSON_BIN, 'run', 'pipe.ts'], { cwd: dir, encoding: 'utf8', env: { ...env, NO_COLOR: '1' } });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const runId = /run (\S+) of dbgrec started/.exec(run.stdout)![1]!;
    const recorded = (JSON.parse(readFileSync(join(dir, '.caisson', 'runs', runId, 'meta.json'), 'utf8')) as { images: Record<string, { ref: string; id: string }> }).images.app!;
    refs.push(recorded.ref);
    // The folder changes after the run: the record's image still has what the run saw.
    writeFileSync(join(dir, 'code', 'marker.txt'), 'changed after the run\n');

    const session = startDebug(dir, [runId.slice(0, 17), '/dbgrec/show'], env);
    session.child.stdin.end('/caisson/cmd.sh; echo "code=$?"; echo "token=$TOKEN"; exit 5\n');
    const { code } = await session.exited;
    const out = session.output();
    assert.equal(code, 5, out);
    assert.match(out, new RegExp(`^Debugging /dbgrec/show \\(run ${runId}\\) in image ${recorded.id}`, 'm'));
    assert.match(out, new RegExp(`^built-${id}$`, 'm'), 'not the image the run recorded');
    assert.match(out, /^has-token\ncode=0$/m);
    assert.match(out, new RegExp(`^token=${secret}$`, 'm'), 'the shell lacks the secret from .caisson/secrets');
    assert.deepEqual(await listLabelled('dev.caisson.debug=/dbgrec/show'), []);
  });

  it('--export NAME debugs a node of that export, in its image and with its env', async () => {
    writeFileSync(join(dir, 'pipe.ts'), `
import { pipeline } from 'caisson';
export default pipeline('main-export', { image: 'busybox:latest' }).exec('only', 'echo from-default');
export const other = pipeline('other-export', { image: 'debian:bookworm-slim', env: { WHO: 'the named export' } })
  .exec('greet', 'echo "hello from $WHO"; grep -o bookworm /etc/os-release | head -1');
`);
    const session = startDebug(dir, ['pipe.ts', '/other-export/greet', '--export', 'other']);
    session.child.stdin.end('/caisson/cmd.sh\nexit\n');
    const { code } = await session.exited;
    const out = session.output();
    assert.equal(code, 0, out);
    assert.match(out, /^Debugging \/other-export\/greet .* in image debian:bookworm-slim$/m);
    assert.match(out, /^hello from the named export\nbookworm$/m);
    const wrong = spawnSync(process.execPath, [CAISSON_BIN, 'debug', 'pipe.ts', '/main-export/only', '--export', 'other'], { cwd: dir, encoding: 'utf8' });
    assert.equal(wrong.status, 2, wrong.stdout + wrong.stderr);
    assert.match(wrong.stderr, /^caisson: pipe\.ts: export "other" \(pipeline "other-export"\) has no node \/main-export\/only; the default export is pipeline "main-export": caisson debug pipe\.ts \/main-export\/only$/m);
    // And the other way round: a named export's node asked of the default export points at --export.
    const named = spawnSync(process.execPath, [CAISSON_BIN, 'debug', 'pipe.ts', '/other-export/greet'], { cwd: dir, encoding: 'utf8' });
    assert.equal(named.status, 2, named.stdout + named.stderr);
    assert.match(named.stderr, /^caisson: pipe\.ts: the default export \(pipeline "main-export"\) has no node \/other-export\/greet; export "other" is pipeline "other-export": caisson debug pipe\.ts \/other-export\/greet --export other$/m);
    // A path that export lacks as well: the closest paths there, not a command that would fail too.
    const neither = spawnSync(process.execPath, [CAISSON_BIN, 'debug', 'pipe.ts', '/other-export/nope'], { cwd: dir, encoding: 'utf8' });
    assert.equal(neither.status, 2, neither.stdout + neither.stderr);
    assert.match(neither.stderr, /^caisson: pipe\.ts: the default export \(pipeline "main-export"\) has no node \/other-export\/nope; export "other" is pipeline "other-export", which has no node \/other-export\/nope either; closest there: \/other-export\/greet, \/other-export$/m);
  });

  it('SIGTERM removes the debug container before caisson exits (143)', async () => {
    const path = `/dbgterm-${process.pid}/sit`;
    writeFileSync(join(dir, 'pipe.ts'), `
import { pipeline } from 'caisson';
export default pipeline(${JSON.stringify(path.split('/')[1])}, { image: 'busybox:latest' }).exec('sit', 'sleep 1');
`);
    try {
      const session = startDebug(dir, ['pipe.ts', path]);
      await session.waitFor(/Execute the node's command by running \/caisson\/cmd\.sh/, 'the debug shell never opened');
      assert.equal((await listLabelled(`dev.caisson.debug=${path}`)).length, 1, 'one debug container while the shell is open');
      session.child.kill('SIGTERM');
      const end = await session.exited;
      assert.deepEqual(end, { code: 143, signal: null }, session.output());
      // Checked as soon as the process is gone: nothing else (a sweep) has had reason to run.
      assert.deepEqual(await listLabelled(`dev.caisson.debug=${path}`), [], 'SIGTERM left the debug container behind');
    } finally {
      await removeLeft(path);
    }
  });

  it('a SIGKILLed debug leaves its container to the next caisson run, which sweeps it', async () => {
    const path = `/dbgkill-${process.pid}/sit`;
    writeFileSync(join(dir, 'pipe.ts'), `
import { pipeline } from 'caisson';
export default pipeline(${JSON.stringify(path.split('/')[1])}, { image: 'busybox:latest' }).exec('sit', 'sleep 1');
`);
    writeFileSync(join(dir, 'other.ts'), `
import { pipeline } from 'caisson';
export default pipeline('unrelated', { image: 'busybox:latest' }).exec('x', 'true');
`);
    try {
      const session = startDebug(dir, ['pipe.ts', path]);
      await session.waitFor(/Execute the node's command by running \/caisson\/cmd\.sh/, 'the debug shell never opened');
      const [container] = await listLabelled(`dev.caisson.debug=${path}`);
      assert.ok(container, 'a debug container while the shell is open');
      const labels = (await docker.getContainer(container).inspect()).Config.Labels;
      assert.equal(labels['dev.caisson.owner-pid'], String(session.child.pid), 'the debug container names its owner');
      session.child.kill('SIGKILL');
      await session.exited;
      const next = runCaisson(dir, 'run', 'other.ts');
      assert.equal(next.code, 0, next.stdout + next.stderr);
      assert.deepEqual(await listLabelled(`dev.caisson.debug=${path}`), [], 'the next run did not sweep the dead debug session\'s container');
    } finally {
      await removeLeft(path);
    }
  });
});
