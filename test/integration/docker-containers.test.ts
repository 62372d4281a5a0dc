/**
 * How containers are created: limits, labels, requiresDocker, dockerRunArgs, and the errors a user sees
 * for a missing image, a refused option or an unreachable daemon.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, symlinkSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { rejectsCode } from '../helpers/errors.ts';
import { DockerRuntimeProvider } from '../../plugins/runtime-docker/index.ts';
import { docker, listLabelled, requireDocker } from '../helpers/docker.ts';
import { BUSYBOX, DEBIAN, openRun, runIn } from './support/lease-fixture.ts';
import { importShellessImage } from './support/tiny-image.ts';

/** Perl: GET /containers/<hostname>/json on the Unix socket ARGV[0]; prints the container's full Id. */
const SOCKET_GET = [
  'my $s = IO::Socket::UNIX->new(Peer => $ARGV[0]) or die "connect: $!";',
  'chomp(my $h = `hostname`);',
  'print $s "GET /containers/$h/json HTTP/1.0\\r\\nHost: docker\\r\\n\\r\\n";',
  'local $/; my $r = <$s>;',
  'print $r =~ /"Id":"([0-9a-f]{64})"/ ? "$1\\n" : "no id in: $r";',
].join(' ');

describe('Docker runtime: containers', function () {
  this.timeout(120_000);
  let env: Awaited<ReturnType<typeof openRun>>;

  before(async function () {
    await requireDocker(this);
    env = await openRun();
  });
  after(async () => { await env?.done(); });

  it('creates the container with the cpu and mem limits, labels and a recognisable name', async () => {
    const lease = await env.acquire(BUSYBOX, { cpu: 0.5, mem: 0.25, group: '/ci/build', labels: { 'dev.caisson.node': '/ci/build' } });
    const info = await docker.getContainer(lease.id).inspect();
    assert.equal(info.HostConfig.NanoCpus, 0.5e9);
    assert.equal(info.HostConfig.Memory, 0.25 * 1024 ** 3);
    const labels = info.Config.Labels;
    assert.equal(labels['dev.caisson.run'], env.run.runId);
    assert.equal(labels['dev.caisson.owner-pid'], String(process.pid));
    assert.equal(labels['dev.caisson.owner-host'], hostname());
    assert.equal(labels['dev.caisson.managed'], '1');
    assert.match(labels['dev.caisson.owner-pidns'] ?? '', /^\d+$/, 'the owner\'s PID namespace');
    assert.equal(labels['dev.caisson.owner-start'], readFileSync('/proc/self/stat', 'latin1').split(') ')[1]!.split(' ')[19]);
    assert.equal(labels['dev.caisson.node'], '/ci/build');
    assert.ok(info.Name.startsWith(`/caisson-${env.run.runId}-ci-build-`), info.Name);
    await lease.dispose();
  });

  it("replaces the image's entrypoint but keeps its WORKDIR and ENV (node env wins)", async () => {
    // An image whose entrypoint would exit at once, with its own working dir and env.
    const c = await docker.createContainer({ Image: BUSYBOX, Cmd: ['true'], Labels: { 'dev.caisson.test': '1' } });
    const img: unknown = await c.commit({
      repo: 'caisson-test-entrypoint', tag: 'latest',
      changes: ['ENTRYPOINT ["false"]', 'WORKDIR /opt', 'ENV IMG_ONLY=image IMG_BOTH=image'],
    });
    await c.remove({ force: true });
    try {
      const lease = await env.acquire('caisson-test-entrypoint:latest');
      const r = await runIn(lease, 'pwd; echo "$IMG_ONLY $IMG_BOTH $NODE_ONLY"', { env: { IMG_BOTH: 'node', NODE_ONLY: 'node' } });
      assert.equal(r.stdout, '/opt\nimage node node\n');
      assert.equal((await env.provider.resolveImage!('caisson-test-entrypoint:latest')).workdir, '/opt');
      await lease.dispose();
    } finally {
      await docker.getImage((img as { Id: string }).Id).remove({ force: true }).catch(() => {});
    }
  });

  it('mounts the host Docker socket for requiresDocker, and only then', async () => {
    const withDocker = await env.acquire(DEBIAN, { requiresDocker: true });
    assert.equal((await runIn(withDocker, 'test -S /var/run/docker.sock && echo socket')).stdout, 'socket\n');
    // A round trip to the daemon through the socket, with no Docker client in the image (Debian's perl-base
    // speaks HTTP over a Unix socket): the command asks the daemon about its own container by hostname.
    const r = await runIn(withDocker, ['perl', '-MIO::Socket::UNIX', '-e', SOCKET_GET, '/var/run/docker.sock']);
    assert.equal(r.stdout.trim(), withDocker.id, `the command does not see its own container through the socket: ${r.stdout}${r.stderr}`);
    const without = await env.acquire(DEBIAN);
    assert.equal((await runIn(without, 'test -e /var/run/docker.sock && echo present || echo absent')).stdout, 'absent\n');
    await Promise.all([withDocker.dispose(), without.dispose()]);
  });

  it('maps supported dockerRunArgs onto the container', async () => {
    const lease = await env.acquire(DEBIAN, {
      dockerRunArgs: ['-e', 'RUNARG=1', '--env=SHARED=from-run-args', '--label', 'team=ci', '--workdir', '/srv',
        '--tmpfs', '/scratch:size=8m', '--add-host', 'db.local:10.1.2.3', '--cap-drop=NET_RAW', '--shm-size', '16m',
        '--ulimit', 'nofile=512:1024', '--read-only', '--user', '1000:1000'],
    });
    const info = await docker.getContainer(lease.id).inspect();
    assert.equal(info.Config.Labels.team, 'ci');
    assert.deepEqual(info.HostConfig.CapDrop, ['NET_RAW']);
    assert.equal(info.HostConfig.ShmSize, 16 * 1024 ** 2);
    assert.equal(info.HostConfig.ReadonlyRootfs, true);
    const r = await runIn(lease, 'echo "$RUNARG $SHARED"; pwd; id -u; ulimit -n; grep db.local /etc/hosts | cut -f1; touch /scratch/ok && echo tmpfs-writable; touch /nope 2>/dev/null || echo rootfs-read-only',
      { env: { SHARED: 'from-node' } });
    assert.equal(r.stdout, '1 from-node\n/srv\n1000\n512\n10.1.2.3\ntmpfs-writable\nrootfs-read-only\n');
    await lease.dispose();
  });

  it('refuses dockerRunArgs an IR made without compile() may still hold, before creating anything', async () => {
    const e = await rejectsCode(env.acquire(BUSYBOX, { dockerRunArgs: ['--net=host'] }), 'RUNTIME_OPTION', { flag: '--network' });
    assert.equal(e.message, 'dockerRunArgs: "--net=host" is not allowed (Caisson manages container networking)');
    assert.deepEqual(await listLabelled(`dev.caisson.run=${env.run.runId}`), [], 'a refused container leaves nothing');
  });

  it('says the image needs /bin/sh when it has none, and leaves no container', async () => {
    const ref = 'caisson-test-noshell:latest';
    await importShellessImage(docker, ref);
    try {
      const e = await rejectsCode(env.acquire(ref), 'RUNTIME_OPTION', { image: ref });
      assert.match(e.message, /the Docker runtime needs \/bin\/sh in the image$/);
      assert.deepEqual(await listLabelled(`dev.caisson.run=${env.run.runId}`), []);
    } finally {
      await docker.getImage(ref).remove({ force: true }).catch(() => {});
    }
  });

  it('says which image is missing when it is neither present nor pullable', async () => {
    const missing = 'caisson-no-such-image:never';
    await rejectsCode(env.provider.resolveImage!(missing), 'IMAGE_NOT_FOUND', { image: missing });
    await rejectsCode(env.acquire(missing), 'IMAGE_NOT_FOUND', { image: missing });
  });

  it('resolves a present image to its id', async () => {
    const resolved = await env.provider.resolveImage!(BUSYBOX);
    assert.equal(resolved.id, (await docker.getImage(BUSYBOX).inspect()).Id);
  });

  it('names the socket and what to do when the daemon does not answer', async () => {
    const provider = new DockerRuntimeProvider({ socketPath: '/tmp/caisson-no-daemon.sock' });
    const e = await rejectsCode(provider.open({ runId: 'x', labels: {} }), 'RUNTIME_UNAVAILABLE', { endpoint: 'socket /tmp/caisson-no-daemon.sock' });
    assert.match(e.message, /start the Docker engine \(in a checkout of Caisson, `bash scripts\/setup-docker\.sh` installs and starts one\), or point DOCKER_HOST at a running daemon/);
  });

  it('prepare() against a daemon that does not answer never rejects; the open() after it reports the daemon', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const provider = new DockerRuntimeProvider({ socketPath: '/tmp/caisson-no-daemon.sock' });
      provider.prepare();
      await new Promise((done) => setTimeout(done, 200));
      await rejectsCode(provider.open({ runId: 'x', labels: {} }), 'RUNTIME_UNAVAILABLE', { endpoint: 'socket /tmp/caisson-no-daemon.sock' });
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('honours DOCKER_HOST', async () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///tmp/caisson-no-daemon.sock';
    try {
      await rejectsCode(new DockerRuntimeProvider().open({ runId: 'x', labels: {} }), 'RUNTIME_UNAVAILABLE', { endpoint: 'DOCKER_HOST=unix:///tmp/caisson-no-daemon.sock' });
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST; else process.env.DOCKER_HOST = saved;
    }
    // The daemon at a socket path other than the default: the provider opens on it and answers from it.
    const link = join(tmpdir(), `caisson-docker-host-${process.pid}.sock`);
    symlinkSync('/var/run/docker.sock', link);
    process.env.DOCKER_HOST = `unix://${link}`;
    try {
      const ok = new DockerRuntimeProvider();
      const run = { runId: `dh-${process.pid}`, labels: {} };
      const session = await ok.open(run);
      assert.equal((await ok.resolveImage(BUSYBOX)).id, (await docker.getImage(BUSYBOX).inspect()).Id);
      await session.close();
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST; else process.env.DOCKER_HOST = saved;
      rmSync(link, { force: true });
    }
  });
});
