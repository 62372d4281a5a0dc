// What a user reads when the docker CLI fails under the image builder.
import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, createCaisson, image, ImageBuildError, pipeline, type BuildPlan } from '../../../core/index.ts';
import { docker, dockerFailed } from '../../../plugins/buildkit/docker-cli.ts';
import { debugOutput } from '../../helpers/debug-capture.ts';
import { throwsCode } from '../../helpers/errors.ts';
import { dockerfileImages } from '../../../plugins/image-dockerfile/index.ts';
import { fakeRuntime } from '../../../plugins/runtime-fake/index.ts';
import { FakeImageBuilder } from '../image/support/fake-image-builder.ts';

describe('buildkit: docker CLI failures', () => {
  it('a daemon that does not answer is a RuntimeUnavailableError naming the socket and the setup script', () => {
    const stderr = 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?';
    const e = throwsCode(() => dockerFailed('app', 'docker image inspect', stderr), 'RUNTIME_UNAVAILABLE', { endpoint: 'unix:///var/run/docker.sock' });
    assert.ok(e.message.includes('bash scripts/setup-docker.sh') && e.message.includes('"app"'), e.message);
  });

  it('any other failure is an ImageBuildError with the tail of stderr', () => {
    const stderr = `${Array.from({ length: 12 }, (_, i) => `line ${i}`).join('\n')}\nfatal: not found`;
    assert.throws(() => dockerFailed('app', 'docker buildx build', stderr), (e: unknown) =>
      e instanceof ImageBuildError && !e.message.includes('line 3') && e.message.includes('line 11') && e.message.endsWith('fatal: not found'));
  });

  it('the failure reaches the user through the image service, a URL password in it masked', async () => {
    class FailingBuild extends FakeImageBuilder {
      override async build(_plan: BuildPlan, opts: { tag: string; image?: string }): Promise<{ id: string }> {
        dockerFailed(opts.image ?? '', 'docker buildx build', 'fatal: https://bob:s3cr3t@git.example/x.git not found');
      }
    }
    process.env.CAISSON_CACHE_DIR = mkdtempSync(join(tmpdir(), 'caisson-cache-'));
    const { images } = createCaisson({ plugins: [fakeRuntime(), dockerfileImages(), { name: 'b', imageBuilder: new FailingBuild() }] });
    const ir = compile(pipeline('p', { image: image({ dockerfileText: 'FROM busybox:latest\nRUN false\n', name: 'app' }) }).exec('a', 'true'));
    await assert.rejects(images.resolveAll(ir), (e: unknown) =>
      e instanceof ImageBuildError && e.message === 'image "app": docker buildx build failed:\nfatal: https://bob:***@git.example/x.git not found');
  });

  it('CAISSON_DEBUG=build shows each docker call: its argv (long arguments cut) and how it ended', async () => {
    const saved = process.env.CAISSON_DOCKER_CLI;
    process.env.CAISSON_DOCKER_CLI = 'false'; // a "docker" that exits 1 at once
    try {
      const out = await debugOutput({ CAISSON_DEBUG: 'build' }, async () => { await docker(['image', 'inspect', '--', 'x'.repeat(200)]); });
      assert.match(out, /caisson:build docker argv=\["image","inspect","--","x{117}\.\.\."\]\n/);
      assert.match(out, /caisson:build docker exited command="image inspect" exitCode=1 ms=\d+\n/);
    } finally {
      if (saved === undefined) delete process.env.CAISSON_DOCKER_CLI; else process.env.CAISSON_DOCKER_CLI = saved;
    }
  });
});
