// What a user reads when the docker CLI fails under the image builder.
import { strict as assert } from 'node:assert';
import { dockerFailed } from '../../../plugins/buildkit/docker-cli.ts';
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
});
