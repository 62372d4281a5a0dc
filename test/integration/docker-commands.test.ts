/**
 * Commands in a Docker container through the driver: exit codes, exact output, env, working dir, shells,
 * per-node kill and out-of-memory kills, on busybox (sh) and Debian (bash).
 */
import assert from 'node:assert/strict';
import type { ContainerLease } from '../../core/index.ts';
import { requireDocker } from '../helpers/docker.ts';
import { BUSYBOX, DEBIAN, openRun, runIn } from './support/lease-fixture.ts';

describe('Docker runtime: commands', function () {
  this.timeout(120_000);
  let env: Awaited<ReturnType<typeof openRun>>;
  const leases: Record<string, ContainerLease> = {};

  before(async function () {
    await requireDocker(this);
    env = await openRun();
    leases[BUSYBOX] = await env.acquire(BUSYBOX);
    leases[DEBIAN] = await env.acquire(DEBIAN);
  });
  after(async () => { await env?.done(); });

  for (const image of [BUSYBOX, DEBIAN]) {
    describe(image, () => {
      const lease = () => leases[image]!;

      it('reports exact exit codes, non-zero included', async () => {
        assert.equal((await runIn(lease(), 'true')).result.exitCode, 0);
        assert.equal((await runIn(lease(), 'exit 3')).result.exitCode, 3);
        assert.equal((await runIn(lease(), 'exit 255')).result.exitCode, 255);
        assert.deepEqual((await runIn(lease(), 'kill -TERM $$')).result, { exitCode: 143 });
      });

      it('keeps stdout and stderr separate and byte-exact', async () => {
        const r = await runIn(lease(), 'printf "out1\\n"; printf "err1" >&2; printf "out2 no newline"; printf "\\n\\nerr2\\n" >&2');
        assert.equal(r.stdout, 'out1\nout2 no newline');
        assert.equal(r.stderr, 'err1\n\nerr2\n');
        const empty = await runIn(lease(), 'true');
        assert.equal(empty.stdout, '');
        assert.equal(empty.stderr, '');
      });

      it('passes control bytes, CR, tabs and multi-byte UTF-8 through unchanged', async () => {
        const r = await runIn(lease(), String.raw`printf 'a\000b\001\033[31m\r\t\303\251\342\202\254\360\237\230\200'`);
        assert.equal(r.stdout, 'a\u0000b\u0001\u001b[31m\r\té€😀');
      });

      it('streams large output completely, in order', async () => {
        const r = await runIn(lease(), 'i=0; while [ $i -lt 20000 ]; do echo "line $i"; i=$((i+1)); done');
        const lines = r.stdout.split('\n');
        assert.equal(lines.length, 20001);
        assert.equal(lines[0], 'line 0');
        assert.equal(lines[19999], 'line 19999');
        assert.equal(lines[20000], '');
      });

      it('is not fooled by output that imitates the driver protocol', async () => {
        const r = await runIn(lease(), 'echo "caisson-driver sh"; echo cz0123456789abcdef01234567 0 0; echo cz >&2; echo after');
        assert.equal(r.stdout, 'caisson-driver sh\ncz0123456789abcdef01234567 0 0\nafter\n');
        assert.equal(r.stderr, 'cz\n');
        assert.equal(r.result.exitCode, 0);
        assert.equal((await runIn(lease(), 'echo next')).stdout, 'next\n');
      });

      it('runs scripts without an implicit set -e', async () => {
        const r = await runIn(lease(), 'false\necho still running\nexit 0');
        assert.equal(r.stdout, 'still running\n');
        assert.equal(r.result.exitCode, 0);
      });

      it('gives commands /dev/null as stdin, so a reader does not hang or eat the protocol', async () => {
        const r = await runIn(lease(), 'cat; echo "read done"');
        assert.equal(r.stdout, 'read done\n');
      });

      it("merges the node's env over the image's, per command, without leaking into the next", async () => {
        const r = await runIn(lease(), 'echo "$FOO|$QUOTE|$PATH"', { env: { FOO: 'bar baz', QUOTE: `it's "q" $x` } });
        assert.match(r.stdout, /^bar baz\|it's "q" \$x\|.*\/bin.*\n$/);
        const next = await runIn(lease(), 'echo "[$FOO]"');
        assert.equal(next.stdout, '[]\n');
      });

      it('runs in the image working dir by default and honours a per-command workdir', async () => {
        assert.equal((await runIn(lease(), 'pwd')).stdout, '/\n');
        assert.equal((await runIn(lease(), 'pwd', { workdir: '/tmp' })).stdout, '/tmp\n');
        assert.equal((await runIn(lease(), 'cd /etc; pwd')).stdout, '/etc\n');
        assert.equal((await runIn(lease(), 'pwd')).stdout, '/\n', 'a cd in one command does not move the next');
      });

      it('runs argv commands without a shell', async () => {
        const r = await runIn(lease(), ['echo', 'a  b', '$HOME', '*']);
        assert.equal(r.stdout, 'a  b $HOME *\n');
      });

      it('runs a script with an explicit shell when asked', async () => {
        const r = await runIn(lease(), 'echo "$0"', { shell: '/bin/sh' });
        assert.equal(r.stdout, '/bin/sh\n');
      });

      it('kills a running command and its children on abort, and keeps the container usable', async () => {
        const ac = new AbortController();
        const started = Date.now();
        const running = runIn(lease(), 'sleep 300 & echo started; sleep 300', { signal: ac.signal });
        await new Promise((r) => setTimeout(r, 300));
        ac.abort('max time exceeded');
        const r = await running;
        assert.deepEqual(r.result, { exitCode: null, killed: 'signal' });
        assert.ok(Date.now() - started < 20_000);
        const ps = await runIn(lease(), 'ps -o comm 2>/dev/null || ps');
        assert.doesNotMatch(ps.stdout, /sleep/, 'no sleep survives the kill');
        assert.equal((await runIn(lease(), 'echo alive')).stdout, 'alive\n');
      });
    });
  }

  it('uses bash as the script shell when the image has it, else sh', async () => {
    assert.equal((await runIn(leases[DEBIAN]!, 'echo "${BASH_VERSION:+bash}"; [[ 1 == 1 ]] && echo ok')).stdout, 'bash\nok\n');
    const bb = await runIn(leases[BUSYBOX]!, 'echo "[${BASH_VERSION:-}]"; readlink -f "$0" || echo "$0"');
    assert.match(bb.stdout, /^\[\]\n/);
    assert.doesNotMatch(bb.stdout, /bash/);
  });

  it('reports an out-of-memory kill with the memory limit', async () => {
    const lease = await env.acquire(BUSYBOX, { mem: 0.05 });
    const r = await runIn(lease, 'head -c 200m /dev/zero | tail');
    assert.equal(r.result.killed, 'oom');
    assert.equal(r.result.exitCode, null);
    assert.equal(r.result.message, 'killed: out of memory (mem=0.05 GB)');
    await lease.dispose();
  });
});
