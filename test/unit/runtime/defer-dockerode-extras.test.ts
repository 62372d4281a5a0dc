/**
 * The Docker client loads without dockerode's BuildKit session (gRPC) and docker-modem's SSH transport
 * (ssh2), which Caisson does not use on its common path; each still works when called: an `ssh://`
 * DOCKER_HOST gets the real transport.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Agent } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createDockerClient } from '../../../plugins/runtime-docker/connection.ts';

const here = createRequire(import.meta.url);
const loaded = (pattern: RegExp) => Object.keys(here.cache).filter((k) => pattern.test(k));

describe('Docker client: dockerode extras load when used', () => {
  it('a client for the local socket loads neither ssh2 nor gRPC (in a fresh process)', () => {
    const script = [
      "const { createRequire } = await import('node:module');",
      `const { createDockerClient } = await import(${JSON.stringify(join(import.meta.dirname, '../../../plugins/runtime-docker/connection.ts'))});`,
      'createDockerClient({});',
      "console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache).filter((k) => /node_modules\\/(ssh2|@grpc|protobufjs)\\//.test(k))));",
    ].join('\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), []);
    createDockerClient({});
  });

  it('an ssh:// daemon gets the real SSH transport, loaded at its first use', () => {
    const modem = createRequire(createRequire(here.resolve('dockerode')).resolve('docker-modem'));
    const ssh = modem('./ssh.js') as (opt: Record<string, unknown>) => unknown;
    const agent = ssh({ host: 'example.invalid', port: 22, username: 'nobody' });
    assert.ok(agent instanceof Agent);
    assert.ok(loaded(/node_modules\/ssh2\//).length > 0);
  });
});
