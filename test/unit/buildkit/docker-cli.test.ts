// What a user reads when the docker CLI fails under the image builder.
import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, createCaisson, image, ImageBuildError, pipeline, RuntimeUnavailableError, Tokens, type BuildPlan } from '../../../core/index.ts';
import { dockerFailed } from '../../../plugins/buildkit/docker-cli.ts';
import { dockerfileImages } from '../../../plugins/image-dockerfile/index.ts';
import { fakeRuntime } from '../../../plugins/runtime-fake/index.ts';
import { FakeImageBuilder } from '../image/support/fake-image-builder.ts';

describe('buildkit: docker CLI failures', () => {
  it('a daemon that does not answer is a RuntimeUnavailableError naming the socket and the setup script', () => {
    const stderr = 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?';
    assert.throws(() => dockerFailed('app', 'docker image inspect', stderr), (e: unknown) =>
      e instanceof RuntimeUnavailableError &&
      /no Docker daemon answers at unix:\/\/\/var\/run\/docker\.sock/.test(e.message) &&
      e.message.includes('bash scripts/setup-docker.sh') && e.message.includes('"app"'));
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
    const { images } = createCaisson({ plugins: [fakeRuntime(), dockerfileImages(), { name: 'b', register: (c) => c.register(Tokens.ImageBuilder, { useValue: new FailingBuild() }) }] });
    const ir = compile(pipeline('p', { image: image({ dockerfileText: 'FROM busybox:latest\nRUN false\n', name: 'app' }) }).exec('a', 'true'));
    await assert.rejects(images.resolveAll(ir), (e: unknown) =>
      e instanceof ImageBuildError && e.message === 'image "app": docker buildx build failed:\nfatal: https://bob:***@git.example/x.git not found');
  });
});
