// What a user reads when the docker CLI fails under the image builder.
import { strict as assert } from 'node:assert';
import { docker, dockerFailed } from '../../../plugins/buildkit/docker-cli.ts';
import { debugOutput } from '../../helpers/debug-capture.ts';
import { throwsCode } from '../../helpers/errors.ts';

describe('buildkit: docker CLI failures', () => {
  it('a daemon that does not answer is a RuntimeUnavailableError naming the socket and the setup script', () => {
    const stderr = 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?';
    const e = throwsCode(() => dockerFailed('app', 'docker image inspect', stderr), 'RUNTIME_UNAVAILABLE', { endpoint: 'unix:///var/run/docker.sock' });
    assert.ok(e.message.includes('bash scripts/setup-docker.sh') && e.message.includes('"app"'), e.message);
  });

  it('any other failure is an ImageBuildError with the tail of stderr, secrets redacted', () => {
    const stderr = `${Array.from({ length: 12 }, (_, i) => `line ${i}`).join('\n')}\nfatal: https://bob:s3cr3t@git.example/x.git not found`;
    const e = throwsCode(() => dockerFailed('app', 'docker buildx build', stderr), 'IMAGE_BUILD', { image: 'app' });
    assert.ok(!e.message.includes('line 3') && e.message.includes('line 11') && !e.message.includes('s3cr3t'), e.message);
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
