// `caisson debug` driven through a real terminal (tmux) on Docker: the node's script, its env, live
// mounts that follow host edits, and no debug container left behind however the session ends.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { docker, listLabelled, requireDocker } from '../helpers/docker.ts';
import { Terminal } from '../helpers/tmux.ts';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/caisson.js');
const CORE = join(ROOT, 'core/index.ts');

/** Debug containers made for `path` (by this test's pipelines, whose names are unique to it). */
const debugContainers = (path: string) => listLabelled(`dev.caisson.debug=${path}`);

async function gone(path: string): Promise<string[]> {
  for (let i = 0; i < 100; i++) {
    const left = await debugContainers(path);
    if (left.length === 0) return left;
    await sleep(100);
  }
  return debugContainers(path);
}

describe('caisson debug on Docker', function () {
  this.timeout(120_000);
  let dir: string;
  let term: Terminal | undefined;
  before(async function () { await requireDocker(this); });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'caisson-debug-'));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    writeFileSync(join(dir, 'notes.txt'), 'first version\n');
    writeFileSync(join(dir, 'pipe.ts'), `
import { image, pipeline } from ${JSON.stringify(CORE)};
const live = image({ ref: 'busybox:latest', name: 'live', pathMap: { '.': '/src' } });
export default pipeline('dbgtest', { image: 'busybox:latest', env: { GREETING: 'hi from env' } })
  .exec('hello', 'echo "$GREETING" > /tmp/out; cat /tmp/out; exit 3')
  .exec('edit', 'cat /src/notes.txt', { image: live });
`);
  });
  afterEach(() => {
    term?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('from a run record: the script runs the node\'s command with its env; exit removes the container', async () => {
    const run = spawnSync(process.execPath, [BIN, 'run', 'pipe.ts'], { cwd: dir, encoding: 'utf8' });
    assert.equal(run.status, 1, run.stdout + run.stderr); // hello fails on purpose: the reason to debug it
    term = new Terminal(`node ${BIN} debug latest /dbgtest/hello; echo "DEBUG-EXIT=$?"; sleep 60`, { cwd: dir });
    await term.waitFor(/Execute the node's command by running \/caisson\/cmd\.sh[\s\S]*[#$]\s*$/);
    assert.equal((await debugContainers('/dbgtest/hello')).length, 1);
    term.type('/caisson/cmd.sh; echo "code=$?"; head -1 /caisson/cmd.sh');
    // Until the last command's line too: `code=3` can be on the screen before `head` has printed.
    const screen = await term.waitFor(/code=3[\s\S]*^#!\/bin\/(ash|sh|bash)$/m);
    assert.match(screen, /^hi from env$/m);
    term.type('exit');
    await term.waitFor(/DEBUG-EXIT=0/);
    assert.deepEqual(await gone('/dbgtest/hello'), []);
  });

  it('--live from the pipeline file: host edits show inside at once; closing the terminal removes the container', async () => {
    term = new Terminal(`node ${BIN} debug pipe.ts /dbgtest/edit --live`, { cwd: dir });
    await term.waitFor(/Execute the node's command[\s\S]*[#$]\s*$/);
    term.type('/caisson/cmd.sh');
    await term.waitFor(/^first version$/m);
    writeFileSync(join(dir, 'notes.txt'), 'edited on the host\n');
    term.type('cat /src/notes.txt');
    await term.waitFor(/^edited on the host$/m);
    term.type('echo made inside > /src/inside.txt');
    await sleep(300);
    assert.equal(spawnSync('cat', [join(dir, 'inside.txt')], { encoding: 'utf8' }).stdout, 'made inside\n'); // read-write
    term.close(); // the terminal goes away: SIGHUP
    term = undefined;
    assert.deepEqual(await gone('/dbgtest/edit'), []);
  });

  it("a node's secrets reach the shell at exec time and never the container's config (docker inspect)", async () => {
    const value = `s3cr3t-${process.pid}-value`;
    writeFileSync(join(dir, 'secret.ts'), `
import { pipeline, secret } from ${JSON.stringify(CORE)};
export default pipeline('dbgsecret', { image: 'busybox:latest', env: { PLAIN: 'plain-value', TOKEN: secret('DBG_TOKEN') } })
  .exec('use', 'echo "token=$TOKEN plain=$PLAIN"');
`);
    term = new Terminal(`node ${BIN} debug secret.ts /dbgsecret/use`, { cwd: dir, env: { DBG_TOKEN: value } });
    await term.waitFor(/Execute the node's command by running \/caisson\/cmd\.sh[\s\S]*[#$]\s*$/);
    const [id] = await debugContainers('/dbgsecret/use');
    assert.ok(id, 'a debug container exists');
    const inspected = JSON.stringify(await docker.getContainer(id).inspect());
    assert.ok(!inspected.includes(value), 'docker inspect shows no secret value');
    assert.match(inspected, /PLAIN=plain-value/, 'plain env stays in the container config');
    term.type('/caisson/cmd.sh; echo "direct=$TOKEN"');
    const screen = await term.waitFor(/^direct=/m);
    assert.match(screen, new RegExp(`^token=${value} plain=plain-value$`, 'm'));
    assert.match(screen, new RegExp(`^direct=${value}$`, 'm'));
    term.type('exit');
    assert.deepEqual(await gone('/dbgsecret/use'), []);
  });

  it('--live on an image without copyDir or pathMap: one clear error, exit 2, nothing created', () => {
    const r = spawnSync(process.execPath, [BIN, 'debug', 'pipe.ts', '/dbgtest/hello', '--live'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.equal(r.stderr.trim(), 'caisson: cannot live-debug /dbgtest/hello: image busybox-latest has no copyDir or pathMap');
  });

  it('a container node or an unknown path: one clear error, exit 2', () => {
    const container = spawnSync(process.execPath, [BIN, 'debug', 'pipe.ts', '/dbgtest'], { cwd: dir, encoding: 'utf8' });
    assert.equal(container.status, 2, container.stderr);
    assert.match(container.stderr, /\/dbgtest is a serial node; debug one of its Exec nodes/);
    const unknown = spawnSync(process.execPath, [BIN, 'debug', 'pipe.ts', '/dbgtest/nope'], { cwd: dir, encoding: 'utf8' });
    assert.equal(unknown.status, 2, unknown.stderr);
    assert.match(unknown.stderr, /has no node \/dbgtest\/nope/);
  });
});
