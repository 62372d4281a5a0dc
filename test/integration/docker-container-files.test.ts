/**
 * ContainerSpec.files and CommandSpec.probe on Docker: the driver creates the data store's files before
 * its first command (so a fresh container needs no archive call for them), says when it could not, and
 * reports after each command whether the probed path exists (so a container that wrote nothing to the
 * store is not read back).
 */
import assert from 'node:assert/strict';
import type { CommandSpec, ContainerLease } from '../../core/index.ts';
import { DATA_FILES } from '../../core/data/run-data.ts';
import { requireDocker } from '../helpers/docker.ts';
import { BUSYBOX, DEBIAN, openRun, runIn } from './support/lease-fixture.ts';

const run = (lease: ContainerLease, command: string, probe?: string) => {
  const spec: CommandSpec = { path: '/t', command, env: {}, signal: new AbortController().signal, onOutput: () => {}, ...(probe && { probe }) };
  return lease.run(spec);
};

describe('Docker runtime: files created with the container, probes after a command', function () {
  this.timeout(120_000);
  let env: Awaited<ReturnType<typeof openRun>>;

  before(async function () {
    await requireDocker(this);
    env = await openRun();
  });
  after(async () => { await env?.done(); });

  for (const image of [BUSYBOX, DEBIAN]) {
    it(`${image}: caisson-data is on PATH with modes as documented, before any archive call`, async () => {
      const lease = await env.acquire(image, { files: DATA_FILES });
      assert.equal(await lease.filesReady!(), true);
      const r = await runIn(lease, 'caisson-data list; echo "list=$?"; stat -c "%a %n" /caisson/data /caisson/data/0 /caisson/data/0/in /caisson/bin/caisson-data; cat /caisson/data/current');
      assert.equal(r.stderr, '');
      assert.equal(r.stdout, 'list=0\n1777 /caisson/data\n1777 /caisson/data/0\n755 /caisson/data/0/in\n755 /caisson/bin/caisson-data\n0\n');
    });
  }

  it('a probe says whether the command left something at the path', async () => {
    const lease = await env.acquire(BUSYBOX, { files: DATA_FILES });
    assert.equal((await run(lease, 'true', '/caisson/data/0/out')).probed, false);
    assert.equal((await run(lease, 'echo v | caisson-data put a', '/caisson/data/0/out')).probed, true);
    assert.equal((await run(lease, 'exit 3', '/caisson/data/0/out')).probed, true, 'still there, whatever the exit');
    assert.equal((await run(lease, 'true')).probed, undefined, 'no probe, no answer');
  });

  it('a user who cannot write to / gets filesReady false (the engine copies them in instead), and commands still run', async () => {
    const lease = await env.acquire(BUSYBOX, { files: DATA_FILES, dockerRunArgs: ['--user', '1000'] });
    assert.equal(await lease.filesReady!(), false);
    const r = await runIn(lease, 'id -u; test -e /caisson || echo no files');
    assert.equal(r.stdout, '1000\nno files\n');
  });

  it('a container without files says so, and its hello still carries the shell', async () => {
    const lease = await env.acquire(DEBIAN);
    assert.equal(await lease.filesReady!(), false);
    const r = await runIn(lease, 'echo $0');
    assert.equal(r.stdout, '/usr/bin/bash\n');
  });
});
