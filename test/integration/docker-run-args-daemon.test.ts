/**
 * dockerRunArgs users pass every day, on the real daemon: a published port reachable from the host, bind
 * mounts (-v and --mount) and an --env-file relative to the pipeline's folder, an --entrypoint wrapping
 * the commands; and `caisson compile` refusing what cannot be honoured before anything runs.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCaisson } from '../helpers/cli.ts';
import { docker, requireDocker } from '../helpers/docker.ts';
import { BUSYBOX, openRun, runIn } from './support/lease-fixture.ts';

const ROOT = join(import.meta.dirname, '../..');
const CORE = join(ROOT, 'core/index.ts');

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
const freePort = (): Promise<number> => new Promise((resolve, reject) => {
  const server = createServer();
  server.once('error', reject);
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    server.close(() => resolve(port));
  });
});

describe('Docker runtime: dockerRunArgs on real containers', function () {
  this.timeout(120_000);
  let dir: string;
  before(async function () { await requireDocker(this); });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'caisson-runargs-'));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('-p: a port published on 127.0.0.1 answers from the host while the node serves it', async () => {
    const port = await freePort();
    const env = await openRun();
    const abort = new AbortController();
    try {
      const lease = await env.acquire(BUSYBOX, { dockerRunArgs: ['-p', `127.0.0.1:${port}:8000`] });
      const info = await docker.getContainer(lease.id).inspect();
      assert.deepEqual(info.HostConfig.PortBindings, { '8000/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] });
      const serving = runIn(lease, 'mkdir -p /www && echo served-by-caisson > /www/index.html && exec httpd -f -p 8000 -h /www', { signal: abort.signal });
      let body = '';
      for (let i = 0; i < 100 && body === ''; i++) {
        body = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text(), () => '');
        if (body === '') await sleep(100);
      }
      assert.equal(body, 'served-by-caisson\n');
      abort.abort('done');
      assert.equal((await serving).result.killed, 'signal');
    } finally {
      abort.abort('done');
      await env.done();
    }
  });

  it('-v, --mount, --env-file and --entrypoint through `caisson run`, host paths taken from the pipeline\'s folder', () => {
    mkdirSync(join(dir, 'data'));
    mkdirSync(join(dir, 'out'));
    mkdirSync(join(dir, 'wrap'));
    writeFileSync(join(dir, 'data', 'in.txt'), 'from the host\n');
    writeFileSync(join(dir, '.env'), '# for the node\nFROM_FILE=file value\nOVERRIDDEN=from file\n');
    writeFileSync(join(dir, 'wrap', 'entry.sh'), '#!/bin/sh\nexport WRAPPED="by the entrypoint"\nexec "$@"\n', { mode: 0o755 });
    writeFileSync(join(dir, 'args.ts'), `
import { pipeline } from ${JSON.stringify(CORE)};
export default pipeline('args', { image: 'busybox:latest' })
  .exec('use', 'cat /data/in.txt; echo "$FROM_FILE / $OVERRIDDEN / $WRAPPED"; echo written > /out/result.txt; touch /data/x 2>/dev/null || echo data-read-only', {
    env: { OVERRIDDEN: 'from the node' },
    dockerRunArgs: ['-v', './data:/data:ro', '--mount', 'type=bind,source=./out,target=/out', '--env-file', '.env',
      '-v', './wrap:/wrap:ro', '--entrypoint', '/wrap/entry.sh'],
  });
`);
    // Run from another folder: relative paths are the pipeline's, not the shell's.
    const r = runCaisson(ROOT, 'run', '--no-typecheck', join(dir, 'args.ts'));
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /\/args\/use {2}\| from the host$/m);
    assert.match(r.stdout, /\/args\/use {2}\| file value \/ from the node \/ by the entrypoint$/m);
    assert.match(r.stdout, /\/args\/use {2}\| data-read-only$/m);
    assert.equal(readFileSync(join(dir, 'out', 'result.txt'), 'utf8'), 'written\n');
  });

  it('--env-file values reach each command but never the container\'s config (docker inspect)', async () => {
    const file = join(dir, 'secret.env');
    writeFileSync(file, 'API_KEY=s3cr3t-from-env-file\n');
    const env = await openRun();
    try {
      const lease = await env.acquire(BUSYBOX, { dockerRunArgs: ['--env-file', file, '-e', 'PLAIN=1'] });
      assert.equal((await runIn(lease, 'echo "$API_KEY $PLAIN"')).stdout, 's3cr3t-from-env-file 1\n');
      const inspected = JSON.stringify(await docker.getContainer(lease.id).inspect());
      assert.ok(!inspected.includes('s3cr3t-from-env-file'), 'not in docker inspect');
      assert.match(inspected, /PLAIN=1/);
      // Read when each command starts: an edit reaches the next command in the same container.
      writeFileSync(file, 'API_KEY=rotated\n');
      assert.equal((await runIn(lease, 'echo "$API_KEY"')).stdout, 'rotated\n');
    } finally {
      await env.done();
    }
  });

  it('`caisson compile` refuses what cannot be honoured, naming the node and the flag and what to use instead', () => {
    const cases: Array<[string, RegExp]> = [
      ['--net=host', /\/refuse\/x: dockerRunArgs: "--net=host" is not allowed \(Caisson manages container networking\)/],
      ['--memory 1g', /\/refuse\/x: dockerRunArgs: "--memory" is not allowed \(use the mem option\)/],
      ['-it', /\/refuse\/x: dockerRunArgs: "-it" is not allowed \(Caisson runs the container and holds its input and output itself\)/],
      ['--rm', /\/refuse\/x: dockerRunArgs: "--rm" is not allowed \(Caisson removes its containers itself\)/],
      ['-p 80:80:80:80', /\/refuse\/x: dockerRunArgs: "-p" 80:80:80:80 expects \[IP:\]\[HOST-PORT:\]CONTAINER-PORT/],
    ];
    for (const [args, message] of cases) {
      writeFileSync(join(dir, 'refuse.ts'), `
import { pipeline } from ${JSON.stringify(CORE)};
export default pipeline('refuse', { image: 'busybox:latest' }).exec('x', 'true', { dockerRunArgs: ${JSON.stringify(args)} });
`);
      const compiled = runCaisson(dir, 'compile', '--no-typecheck', 'refuse.ts');
      assert.equal(compiled.code, 2, compiled.stdout + compiled.stderr);
      assert.match(compiled.stderr, message);
      assert.doesNotMatch(compiled.stderr, /^\s+at /m, 'no stack trace');
      const run = runCaisson(dir, 'run', '--no-typecheck', 'refuse.ts');
      assert.equal(run.code, 2, 'run refuses it the same way, before any container');
      assert.match(run.stderr, message);
    }
  });
});
