/**
 * A run keeps the images it recorded (Conducto: reset never rebuilds). On the real engine, through the
 * CLI: after a copied file changes, reset + resume runs the recorded image, by id (a re-tag of its ref
 * changes nothing) and builds nothing; `caisson rebuild` replaces it; a recorded image gone from the
 * daemon is one clear error that says to rebuild.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCaisson } from '../helpers/cli.ts';
import { requireDocker } from '../helpers/docker.ts';
import { removeProject, tempProject } from '../helpers/temp-project.ts';

const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

describe('a run keeps its recorded images (real engine)', function () {
  this.timeout(180_000);
  let dir: string;
  before(async function () { await requireDocker(this); });
  beforeEach(() => {
    dir = tempProject('run-images');
  });
  afterEach(() => removeProject(dir));

  it('reset + resume after a copied file changed runs the recorded image by id; rebuild replaces it; a gone image is one error', () => {
    mkdirSync(join(dir, 'code'));
    writeFileSync(join(dir, 'code', 'f.txt'), `v1 ${dir}\n`);
    writeFileSync(join(dir, 'app.ts'), [
      "import { image, pipeline } from 'caisson';",
      "const app = image({ ref: 'busybox:latest', copyDir: './code', name: 'app' });",
      "export default pipeline('app', { image: app }).exec('show', 'cat f.txt');",
      '',
    ].join('\n'));
    const run = runCaisson(dir, 'run', 'app.ts');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const runId = run.stdout.match(/run (\S+) of app started/)![1]!;
    const meta = JSON.parse(readFileSync(join(dir, '.caisson', 'runs', runId, 'meta.json'), 'utf8')) as { images: Record<string, { ref: string; id: string }> };
    const recorded = meta.images.app!;
    assert.match(recorded.ref, /^caisson\/app:[0-9a-f]{12}$/);
    assert.equal(recorded.id, docker('image', 'inspect', '--format', '{{.Id}}', recorded.ref));
    const tags = [recorded.ref];
    try {
      writeFileSync(join(dir, 'code', 'f.txt'), `v2 ${dir}\n`);
      // Point the recorded tag at another image: the run must not follow it.
      docker('tag', 'busybox:latest', recorded.ref);
      assert.equal(runCaisson(dir, 'reset', runId, '/app/show').code, 0);
      const resume = runCaisson(dir, 'resume', runId);
      assert.equal(resume.code, 0, resume.stdout + resume.stderr);
      assert.doesNotMatch(resume.stdout, /image app: building/, 'resume built an image');
      assert.equal(runCaisson(dir, 'logs', runId, '/app/show').stdout, `v1 ${dir}\n`, 'resume did not run the recorded image');

      const rebuilt = runCaisson(dir, 'rebuild', runId);
      assert.equal(rebuilt.code, 0, rebuilt.stdout + rebuilt.stderr);
      const after = (JSON.parse(readFileSync(join(dir, '.caisson', 'runs', runId, 'meta.json'), 'utf8')) as typeof meta).images.app!;
      tags.push(after.ref);
      assert.notEqual(after.id, recorded.id);
      assert.equal(runCaisson(dir, 'resume', runId).code, 0);
      assert.equal(runCaisson(dir, 'logs', runId, '/app/show').stdout, `v2 ${dir}\n`);

      docker('image', 'rm', '-f', after.ref);
      assert.equal(runCaisson(dir, 'reset', runId, '/app/show').code, 0);
      const gone = runCaisson(dir, 'resume', runId);
      assert.equal(gone.code, 1, gone.stdout + gone.stderr);
      assert.equal(gone.stderr.trim().split('\n').length, 1, gone.stderr);
      assert.match(gone.stderr, new RegExp(`image "app" \\(${after.ref.replace(/[/.]/g, '\\$&')}, ${after.id.slice(0, 19)}…\\) is no longer in the Docker daemon; caisson rebuild ${runId} app builds it again`));
    } finally {
      execFileSync('docker', ['image', 'rm', '-f', ...tags, recorded.id], { stdio: 'ignore' });
    }
  });
});
