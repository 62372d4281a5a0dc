// requiresDocker mounts the daemon's unix socket: which one, and the error (with the group) when there is none.
import { strict as assert } from 'node:assert';
import { hostSocketPath } from '../../../plugins/runtime-docker/connection.ts';
import { throwsCode } from '../../helpers/errors.ts';

describe('docker runtime: the socket a requiresDocker node gets', () => {
  const saved = process.env.DOCKER_HOST;
  afterEach(() => { if (saved === undefined) delete process.env.DOCKER_HOST; else process.env.DOCKER_HOST = saved; });

  it('the socketPath option, else a unix:// DOCKER_HOST, else the default socket', () => {
    process.env.DOCKER_HOST = 'unix:///run/other.sock';
    assert.equal(hostSocketPath({ socketPath: '/tmp/mine.sock' }, '/ci'), '/tmp/mine.sock');
    assert.equal(hostSocketPath({}, '/ci'), '/run/other.sock');
    delete process.env.DOCKER_HOST;
    assert.equal(hostSocketPath({}, '/ci'), '/var/run/docker.sock');
  });

  it('a TCP DOCKER_HOST is a RuntimeOptionError naming the group and requiresDocker', () => {
    process.env.DOCKER_HOST = 'tcp://10.0.0.1:2375';
    const e = throwsCode(() => hostSocketPath({}, '/ci/build'), 'RUNTIME_OPTION', { path: '/ci/build', flag: 'requiresDocker' });
    assert.match(e.message, /DOCKER_HOST=tcp:\/\/10\.0\.0\.1:2375/);
  });
});
