/**
 * The driver shell's own state on a real container: commands can neither read nor overwrite it, whatever
 * the container's or the node's env is called, so a command cannot forge the end of itself.
 */
import assert from 'node:assert/strict';
import { pipeline, type RunEvent } from '../../core/index.ts';
import { DriverSession } from '../../plugins/runtime-docker/driver-session.ts';
import { requireDocker } from '../helpers/docker.ts';
import { runOnDocker } from './support/engine-run.ts';
import { BUSYBOX, DEBIAN, openRun, runIn } from './support/lease-fixture.ts';

/** Every name the driver used for its variables before they were made private (and a few more). */
const SHORT_NAMES = ['N', 'L', 'P', 'X', 'I', 'K', 'K0', 'C', 'S', 'B', 'O', 'a', 'b', 'f', 'k'];
const asEnv = (value: string) => Object.fromEntries(SHORT_NAMES.map((n) => [n, value]));

/** A command that tries to end itself as "done" with every value it can find under those names. */
const FORGER = `for v in ${SHORT_NAMES.join(' ')}; do eval "x=\\$$v"; printf '%s 0 0\\n' "$x"; printf '%s\\n' "$x" >&2; done; echo forger-ran; exit 1`;

const stateOf = (events: RunEvent[], path: string) =>
  events.filter((e): e is Extract<RunEvent, { type: 'state' }> => e.type === 'state' && e.path === path).pop();

describe('Docker runtime: the driver keeps its state to itself', function () {
  this.timeout(120_000);
  before(async function () { await requireDocker(this); });

  for (const image of [BUSYBOX, DEBIAN]) {
    it(`${image}: container env (-e N=1 …) named like driver variables cannot forge a command's end`, async () => {
      const env = await openRun();
      try {
        const lease = await env.acquire(image, { dockerRunArgs: SHORT_NAMES.flatMap((n) => ['-e', `${n}=1`]) });
        const out = await runIn(lease, FORGER);
        assert.deepEqual(out.result, { exitCode: 1 }, out.stdout);
        assert.match(out.stdout, /^forger-ran$/m, 'the whole output arrived: nothing in it ended the command early');
        // The container is still usable, and its variables are still the command's.
        const next = await runIn(lease, 'echo "N=$N S=$S"');
        assert.deepEqual(next.result, { exitCode: 0 });
        assert.equal(next.stdout, 'N=1 S=1\n');
      } finally {
        await env.done();
      }
    });
  }

  it('node env named like driver variables reaches the command and cannot change how it runs', async () => {
    const p = pipeline('drvenv', { image: BUSYBOX, stopOnError: false, env: asEnv('1') })
      .exec('fails', FORGER)
      .exec('sees', 'echo "N=$N S=$S P=$P"');
    const run = await runOnDocker(p);
    const failed = stateOf(run.events, '/drvenv/fails')!;
    assert.equal(failed.state, 'error', JSON.stringify(failed));
    assert.equal(failed.exitCode, 1);
    assert.equal(stateOf(run.events, '/drvenv/sees')?.state, 'done');
    assert.equal(run.stdoutOf('/drvenv/sees'), 'N=1 S=1 P=1\n');
  });

  it('a command cannot print its own nonce: not in its env, not in the driver\'s', async () => {
    const nonces: string[] = [];
    const original = DriverSession.prototype.run;
    DriverSession.prototype.run = function (this: DriverSession, nonce, ...rest) {
      nonces.push(nonce);
      return original.call(this, nonce, ...rest);
    };
    const env = await openRun();
    try {
      const lease = await env.acquire(BUSYBOX, { dockerRunArgs: ['-e', 'N=1'] });
      const dump = 'set; env; for f in /proc/[0-9]*/environ; do tr "\\0" "\\n" < $f; done; echo end-of-dump; exit 4';
      const out = await runIn(lease, dump, { env: { L: '2' } });
      assert.deepEqual(out.result, { exitCode: 4 });
      assert.match(out.stdout, /^end-of-dump$/m, 'the dump was not cut short by a nonce in it');
      assert.equal(nonces.length, 1);
      assert.ok(!out.stdout.includes(nonces[0]!) && !out.stderr.includes(nonces[0]!));
    } finally {
      DriverSession.prototype.run = original;
      await env.done();
    }
  });

  for (const image of [BUSYBOX, DEBIAN]) {
    it(`${image}: processes a command left running are killed when it ends; none of their output reaches the next node`, async () => {
      // A leaves a printing loop, a sleeper and a setsid'ed loop behind, and records their pids.
      const a = [
        '(while :; do echo A-tick; sleep 0.1; done) & echo $! > /tmp/a.pids',
        'sleep 100 & echo $! >> /tmp/a.pids',
        'setsid sh -c "while :; do echo A-detached >&2; sleep 0.1; done" & echo $! >> /tmp/a.pids',
        'sleep 0.5; echo A-done',
      ].join('\n');
      // B waits long enough for A's loops to have printed many times over, then looks for A's processes.
      const b = [
        'sleep 1',
        'for p in $(cat /tmp/a.pids); do',
        '  if [ -r /proc/$p/stat ] && ! grep -q "^[0-9]* ([^)]*) Z" /proc/$p/stat; then echo "alive $p"; fi',
        'done',
        'echo B-done',
      ].join('\n');
      const p = pipeline('leftover', { image }).exec('a', a).exec('b', b);
      const run = await runOnDocker(p);
      assert.equal(run.result.state, 'done', JSON.stringify(run.result.statuses));
      assert.equal(run.containerOf('/leftover/b'), run.containerOf('/leftover/a'), 'B reused A\'s container');
      // A's loop may still print between A's last line and its kill: that output is A's.
      assert.match(run.stdoutOf('/leftover/a'), /^A-tick\n[\s\S]*A-done\n/);
      const bOut = run.events.filter((e) => e.type === 'output' && e.path === '/leftover/b').map((e) => (e as { data: string }).data).join('');
      assert.equal(bOut, 'B-done\n', 'B printed only its own line: no A output, no A process alive');
    });
  }
});
