/**
 * A rebuild re-runs the image's own steps on the real engine: `RUN date +%s%N > /built-at` gives a new
 * file, through the library (rebuild option), `caisson run --rebuild` and `caisson rebuild` + `resume`,
 * for a Dockerfile image alone and for one with a generated stage on top (built through buildStage).
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, createCaisson, image, pipeline, type ImageEvent } from '../../core/index.ts';
import { buildkit } from '../../plugins/buildkit/index.ts';
import { dockerfileImages } from '../../plugins/image-dockerfile/index.ts';
import { baseReqsImages } from '../../plugins/image-base-reqs/index.ts';
import { fakeRuntime } from '../../plugins/runtime-fake/index.ts';
import { runCaisson } from '../helpers/cli.ts';
import { requireDocker } from '../helpers/docker.ts';
import { removeProject, tempCacheDir, tempDirs, tempProject } from '../helpers/temp-project.ts';
import { removeCaissonTags } from './support/image-files.ts';

const STAMP = 'FROM debian:bookworm-slim\nRUN date +%s%N > /built-at\n';
const builtAt = (ref: string) => execFileSync('docker', ['run', '--rm', ref, 'cat', '/built-at'], { encoding: 'utf8' }).trim();
const nonce = () => `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;

describe('rebuild re-runs the image\'s steps (real engine)', function () {
  this.timeout(180_000);
  const refs = new Set<string>();
  const temps = tempDirs();
  let restoreCache = () => {};
  before(async function () {
    await requireDocker(this);
    restoreCache = tempCacheDir();
  });
  after(() => { restoreCache(); temps.removeAll(); removeCaissonTags(refs); });

  it('resolveAll with rebuild: a Dockerfile image and one with a generated stage on top both get a new /built-at', async () => {
    const dir = temps.make('it-rb');
    writeFileSync(join(dir, 'code.txt'), nonce());
    // A unique ARG keeps this test's layers out of other runs' cache without changing what "rebuild" must do.
    const text = `${STAMP}ARG UNIQUE=${nonce()}\n`;
    const ir = compile(pipeline('p')
      .exec('a', 'true', { image: image({ dockerfileText: text, name: 'stamp' }) })
      .exec('b', 'true', { image: image({ dockerfileText: text, copyDir: dir, name: 'stamp-copy' }) }));
    const caisson = createCaisson({ plugins: [fakeRuntime(), buildkit(), dockerfileImages(), baseReqsImages()] });
    const first = await caisson.images.resolveAll(ir);
    const before = { stamp: builtAt(first.stamp!.ref), copy: builtAt(first['stamp-copy']!.ref) };
    const events: ImageEvent[] = [];
    const again = await caisson.images.resolveAll(ir, { rebuild: true, onEvent: (e) => events.push(e) });
    // Only what this test built: the default image (debian:bookworm-slim) is in the table too, and shared.
    for (const r of [...Object.values(first), ...Object.values(again)]) if (r.ref.startsWith('caisson/')) refs.add(r.ref);
    assert.notEqual(builtAt(again.stamp!.ref), before.stamp, 'the RUN step was answered from cache');
    assert.notEqual(builtAt(again['stamp-copy']!.ref), before.copy, 'the Dockerfile stage under the generated one was not rebuilt');
    const cached = events.filter((e) => e.type === 'image-step' && e.cached && /built-at/.test(e.step));
    assert.deepEqual(cached, []);
  });

  it('caisson run --rebuild, and caisson rebuild + resume, run the node on a freshly built image', () => {
    const dir = tempProject('rebuild-it');
    try {
      writeFileSync(join(dir, 'stamp.ts'), [
        "import { image, pipeline } from 'caisson';",
        `const stamp = image({ dockerfileText: ${JSON.stringify(`${STAMP}ARG UNIQUE=${nonce()}\n`)}, name: 'stamp' });`,
        "export default pipeline('stamp', { image: stamp }).exec('show', 'cat /built-at').exec('plain', 'true', { image: 'busybox:latest' });",
        '',
      ].join('\n'));
      const run = runCaisson(dir, 'run', 'stamp.ts');
      assert.equal(run.code, 0, run.stdout + run.stderr);
      const runId = run.stdout.match(/run (\S+) of stamp started/)![1]!;
      const first = runCaisson(dir, 'logs', runId, '/stamp/show').stdout;

      const rebuilt = runCaisson(dir, 'rebuild', runId);
      assert.equal(rebuilt.code, 0, rebuilt.stdout + rebuilt.stderr);
      assert.doesNotMatch(rebuilt.stdout, /CACHED .*built-at/);
      assert.match(rebuilt.stdout, /image "busybox-latest" is a plain reference \(busybox:latest\): nothing to rebuild/);
      assert.match(rebuilt.stdout, /rebuilt image "stamp"; reset 1 node using it: \/stamp\/show;/);
      const resume = runCaisson(dir, 'resume', runId);
      assert.equal(resume.code, 0, resume.stdout + resume.stderr);
      const second = runCaisson(dir, 'logs', runId, '/stamp/show').stdout;
      assert.match(second, /^\d+\n$/);
      assert.notEqual(second, first, 'resume ran on the old image');

      const again = runCaisson(dir, 'run', 'stamp.ts', '--rebuild');
      assert.equal(again.code, 0, again.stdout + again.stderr);
      assert.match(again.stdout, /rebuild requested/);
      assert.doesNotMatch(again.stdout, /CACHED .*built-at/);
      const third = runCaisson(dir, 'logs', 'latest', '/stamp/show').stdout;
      assert.ok(third !== first && third !== second, `${first} ${second} ${third}`);
      for (const m of (run.stdout + again.stdout).matchAll(/caisson\/stamp:[0-9a-f]{12}/g)) refs.add(m[0]);
    } finally {
      removeProject(dir);
    }
  });
});
