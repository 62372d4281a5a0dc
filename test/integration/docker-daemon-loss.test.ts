/**
 * The Docker daemon going away mid-run, on a second dockerd of the test's own (the shared one is never
 * stopped): the run ends cleanly (a reason on the nodes, the summary, exit 1, no stack trace), and once
 * the daemon is back, the next start sweeps what the lost run left in it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCaisson } from '../helpers/cli.ts';
import { requireDocker } from '../helpers/docker.ts';
import { SecondDaemon } from '../helpers/second-daemon.ts';
import { isDaemonGone } from '../../plugins/runtime-docker/connection.ts';

const CORE = join(import.meta.dirname, '../../core/index.ts');

describe('Docker runtime: the daemon goes away mid-run', function () {
  this.timeout(180_000);
  let daemon: SecondDaemon | undefined;
  let dir: string;

  before(async function () {
    await requireDocker(this);
    daemon = await SecondDaemon.start();
    daemon.loadImage('busybox:latest');
    dir = mkdtempSync(join(tmpdir(), 'caisson-daemon-loss-'));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    writeFileSync(join(dir, 'lost.ts'), `
import { pipeline } from ${JSON.stringify(CORE)};
export default pipeline('lost', { image: 'busybox:latest' })
  .parallel('wait', (p) => p.exec('a', 'echo started-a; sleep 120').exec('b', 'echo started-b; sleep 120'))
  .exec('after', 'echo never');
`);
    writeFileSync(join(dir, 'next.ts'), `
import { pipeline } from ${JSON.stringify(CORE)};
export default pipeline('next', { image: 'busybox:latest' }).exec('hi', 'echo hello again');
`);
  });
  after(async () => {
    await daemon?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ends the run with a reason, the summary and exit 1, no stack trace; the next start sweeps the leftovers', async () => {
    const d = daemon!;
    const runner = startCaisson(['run', '--no-typecheck', 'lost.ts'], dir, { ...d.env(), NO_COLOR: '1' });
    await runner.waitFor((out) => out.includes('started-a') && out.includes('started-b'), 'nodes never started');
    const runId = /run (\S+) of lost started/.exec(runner.stdout())![1]!;
    assert.equal((await d.docker.listContainers({ filters: { label: [`dev.caisson.run=${runId}`] } })).length, 2);

    await d.stop();
    const code = await runner.exited;
    const stdout = runner.stdout();
    const stderr = runner.stderr();
    const both = `stdout:\n${stdout}\nstderr:\n${stderr}`;
    assert.equal(code, 1, both);
    assert.doesNotMatch(stderr, /^\s+at /m, `no stack trace\n${both}`);
    assert.doesNotMatch(stderr, /ENOENT|Uncaught|Error:/, both);
    for (const node of ['a', 'b']) {
      assert.match(stdout, new RegExp(`/lost/wait/${node} {2}error: .*Docker daemon .*went away`), both);
    }
    assert.match(stdout, /^ERROR .*P 1 .*E 4/m, `the summary: after stays pending; a, b and their parents in error\n${both}`);

    await d.resume();
    const left = await d.docker.listContainers({ all: true, filters: { label: [`dev.caisson.run=${runId}`] } });
    assert.equal(left.length, 2, 'the lost run could not remove its containers while the daemon was gone');
    const next = startCaisson(['run', '--no-typecheck', 'next.ts'], dir, { ...d.env(), NO_COLOR: '1' });
    assert.equal(await next.exited, 0, next.stdout() + next.stderr());
    assert.match(next.stdout(), /\/next\/hi {2}\| hello again/);
    assert.deepEqual(await d.docker.listContainers({ all: true, filters: { label: [`dev.caisson.run=${runId}`] } }), []);
  });
});

describe('Docker runtime: telling a lost daemon from its answers (no daemon needed)', () => {
  const sys = (code: string, message = `connect ${code} /x.sock`) => Object.assign(new Error(message), { code, syscall: 'connect' });
  it('socket errors mean the daemon is gone; HTTP answers (404, 409, 500) do not', () => {
    for (const code of ['ENOENT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE']) assert.ok(isDaemonGone(sys(code)), code);
    assert.ok(isDaemonGone(new Error('socket hang up')));
    for (const statusCode of [404, 409, 500]) assert.ok(!isDaemonGone(Object.assign(new Error('(HTTP code)'), { statusCode })));
    assert.ok(!isDaemonGone(new Error('no such image')));
    assert.ok(!isDaemonGone(undefined));
  });
});

