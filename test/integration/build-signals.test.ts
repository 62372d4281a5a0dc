/**
 * Ctrl-C (SIGINT) or SIGTERM while an image builds leaves no temp folder behind (the builder writes
 * the Dockerfile, and build secrets, under a caisson-build-* folder of the temp dir): through
 * `caisson run`, which cancels the build, and through `caisson debug FILE`, where the builder's own
 * signal handling cleans up before the process ends. TMPDIR points at a folder of the test's own.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CAISSON_BIN } from '../helpers/cli.ts';
import { requireDocker } from '../helpers/docker.ts';
import { removeProject, tempProject } from '../helpers/temp-project.ts';

const buildDirs = (tmp: string) => readdirSync(tmp).filter((f) => f.startsWith('caisson-build-'));

/** Starts caisson with TMPDIR=tmp, waits until a build folder exists, sends `signal`, resolves to the exit. */
async function interruptBuild(args: string[], cwd: string, tmp: string, signal: NodeJS.Signals) {
  const child = spawn(process.execPath, [CAISSON_BIN, ...args], { cwd, env: { ...process.env, TMPDIR: tmp, NO_COLOR: '1' } });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, sig) => resolve({ code, signal: sig })));
  const deadline = Date.now() + 120_000;
  while (buildDirs(tmp).length === 0) {
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`no build started; output:\n${out}`); }
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 1500)); // let buildx get going
  child.kill(signal);
  return { ...(await exited), out: () => out };
}

describe('a build interrupted by a signal leaves no temp folder (real engine)', function () {
  this.timeout(180_000);
  let dir: string;
  let tmp: string;
  before(async function () { await requireDocker(this); });
  beforeEach(() => {
    dir = tempProject('signals');
    tmp = mkdtempSync(join(dir, 'tmpdir-'));
    writeFileSync(join(dir, 'slow.ts'), [
      "import { image, pipeline } from 'caisson';",
      `const slow = image({ dockerfileText: 'FROM busybox:latest\\nARG U=${Date.now()}-${process.pid}\\nRUN sleep 60\\n', name: 'slow' });`,
      "export default pipeline('slow', { image: slow }).exec('a', 'true');",
      '',
    ].join('\n'));
  });
  afterEach(() => removeProject(dir));

  it('caisson run + SIGINT: the build is cancelled, exit 130, no caisson-build-* folder left', async () => {
    const r = await interruptBuild(['run', 'slow.ts', '--no-typecheck'], dir, tmp, 'SIGINT');
    assert.equal(r.code, 130, r.out());
    assert.match(r.out(), /cancel/i);
    assert.deepEqual(buildDirs(tmp), []);
  });

  it('caisson debug FILE + SIGTERM (no cancel handler of the CLI): no caisson-build-* folder left', async () => {
    const r = await interruptBuild(['debug', 'slow.ts', '/slow/a'], dir, tmp, 'SIGTERM');
    assert.ok(r.signal === 'SIGTERM' || r.code === 143, `${r.code} ${r.signal}\n${r.out()}`);
    assert.deepEqual(buildDirs(tmp), []);
  });
});
