/**
 * dockerRunArgs → Engine API options, without a daemon: what each flag maps to. (The grammar itself is
 * core's, tested in test/unit/runtime/run-args.test.ts; docker-run-args-daemon.test.ts checks flags on
 * real containers.)
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACCEPTED_RUN_ARGS } from '../../core/plugin-kit.ts';
import { mapRunArgs, RUN_ARG_MAPPING } from '../../plugins/runtime-docker/index.ts';
import { buildCreateOptions } from '../../plugins/runtime-docker/container-options.ts';
import { readEnvFiles } from '../../plugins/runtime-docker/env-files.ts';
import { specFor } from './support/lease-fixture.ts';
import { throwsCode } from '../helpers/errors.ts';

const map = (...args: string[]) => mapRunArgs(args, { baseDir: '/pipelines/ci' });

describe('Docker runtime: dockerRunArgs mapping (no daemon needed)', () => {
  it('maps every flag the grammar accepts, and nothing else', () => {
    assert.deepEqual([...ACCEPTED_RUN_ARGS].sort(), Object.keys(RUN_ARG_MAPPING).sort());
  });

  it('env and labels: -e KEY=VALUE, -e KEY from the runner, --label; every spelling', () => {
    process.env.CAISSON_TEST_FROM_RUNNER = 'runner-value';
    try {
      const o = map('--env', 'A=1', '--env=B=2', '-e', 'C=3', '-eD=4', '-e', 'CAISSON_TEST_FROM_RUNNER', '-e', 'CAISSON_TEST_UNSET', '-l', 'team=ci', '--label=solo');
      assert.deepEqual(o.config.Env, ['A=1', 'B=2', 'C=3', 'D=4', 'CAISSON_TEST_FROM_RUNNER=runner-value']);
      assert.deepEqual(o.config.Labels, { team: 'ci', solo: '' });
    } finally {
      delete process.env.CAISSON_TEST_FROM_RUNNER;
    }
  });

  it('ports: -p with host ports, addresses, ranges and protocols; --expose; -P', () => {
    const o = map('-p', '8080:80', '-p', '127.0.0.1::53/udp', '-p', '[::1]:9000:90', '-p', '7000-7001:70-71', '-p', '443', '--expose', '5000-5001', '-P');
    assert.deepEqual(o.config.ExposedPorts, {
      '80/tcp': {}, '53/udp': {}, '90/tcp': {}, '70/tcp': {}, '71/tcp': {}, '443/tcp': {}, '5000/tcp': {}, '5001/tcp': {},
    });
    assert.deepEqual(o.host.PortBindings, {
      '80/tcp': [{ HostIp: '', HostPort: '8080' }], '53/udp': [{ HostIp: '127.0.0.1', HostPort: '' }],
      '90/tcp': [{ HostIp: '::1', HostPort: '9000' }], '70/tcp': [{ HostIp: '', HostPort: '7000' }],
      '71/tcp': [{ HostIp: '', HostPort: '7001' }], '443/tcp': [{ HostIp: '', HostPort: '' }],
    });
    assert.equal(o.host.PublishAllPorts, true);
    assert.match(throwsCode(() => map('-p', '7000-7002:70-71'), 'RUNTIME_OPTION', { flag: '--publish' }).message, /ranges differ in size/);
  });

  it('mounts: -v (host paths relative to the pipeline folder, named and anonymous volumes) and --mount', () => {
    const o = map('-v', './data:/data:ro', '-v', '/abs:/abs', '-v', 'named:/cache', '-v', '/anon',
      '--mount', 'type=bind,src=../shared,dst=/shared,readonly', '--mount', 'type=volume,source=v1,target=/v1,volume-nocopy,volume-opt=o=size=1m',
      '--mount', 'type=tmpfs,target=/t,tmpfs-size=1048576,tmpfs-mode=1770', '--tmpfs', '/run:size=8m');
    assert.deepEqual(o.host.Binds, ['/pipelines/ci/data:/data:ro', '/abs:/abs', 'named:/cache']);
    assert.deepEqual(o.config.Volumes, { '/anon': {} });
    assert.deepEqual(o.host.Mounts, [
      { Type: 'bind', Source: '/pipelines/shared', Target: '/shared', ReadOnly: true },
      { Type: 'volume', Source: 'v1', Target: '/v1', VolumeOptions: { NoCopy: true, DriverConfig: { Options: { o: 'size=1m' } } } },
      { Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 1048576, Mode: 0o1770 } },
    ]);
    assert.deepEqual(o.host.Tmpfs, { '/run': 'size=8m' });
    assert.match(throwsCode(() => map('--mount', 'type=bind,target=/x'), 'RUNTIME_OPTION', { flag: '--mount' }).message, /needs a source/);
    assert.match(throwsCode(() => map('--mount', 'target=/x,colour=red'), 'RUNTIME_OPTION', { flag: '--mount' }).message, /unknown key "colour"/);
  });

  it('GPUs: --gpus all, a count, device IDs (quoted or not), capabilities', () => {
    const gpus = (v: string) => (map('--gpus', v).host.DeviceRequests as unknown[])[0];
    assert.deepEqual(gpus('all'), { Driver: '', Count: -1, DeviceIDs: [], Capabilities: [['gpu']], Options: {} });
    assert.deepEqual(gpus('2'), { Driver: '', Count: 2, DeviceIDs: [], Capabilities: [['gpu']], Options: {} });
    assert.deepEqual(gpus('device=0,1'), { Driver: '', Count: 0, DeviceIDs: ['0', '1'], Capabilities: [['gpu']], Options: {} });
    assert.deepEqual(gpus('"device=GPU-3a",capabilities=compute,driver=nvidia'),
      { Driver: 'nvidia', Count: 0, DeviceIDs: ['GPU-3a'], Capabilities: [['gpu', 'compute']], Options: {} });
  });

  it('--gpus takes precedence over the gpu option; the gpu option alone asks for a count', () => {
    const ctx = { runId: 'r', runLabels: {}, hostCpus: 2, socketPath: () => '/s' };
    assert.deepEqual(buildCreateOptions(specFor('img', { gpu: 1 }), ctx).options.HostConfig!.DeviceRequests, [{ Count: 1, Capabilities: [['gpu']] }]);
    const both = buildCreateOptions(specFor('img', { gpu: 1, dockerRunArgs: ['--gpus', 'device=3'] }), ctx);
    assert.deepEqual((both.options.HostConfig!.DeviceRequests as Array<{ DeviceIDs: string[] }>).map((r) => r.DeviceIDs), [['3']]);
  });

  it('entrypoint wraps the driver; platform goes to the create query; env files are read per command, not put in the container', () => {
    const ctx = { runId: 'r', runLabels: {}, hostCpus: 2, socketPath: () => '/s', baseDir: '/pipelines/ci' };
    const plain = buildCreateOptions(specFor('img'), ctx);
    assert.equal(plain.options.Entrypoint![0], '/bin/sh');
    assert.deepEqual(plain.options.Cmd, []);
    const wrapped = buildCreateOptions(specFor('img', { dockerRunArgs: ['--entrypoint', '/wrap.sh', '--platform=linux/amd64', '--env-file', '.env', '-e', 'X=1'] }), ctx);
    assert.deepEqual(wrapped.options.Entrypoint, ['/wrap.sh']);
    assert.equal((wrapped.options.Cmd as string[])[0], '/bin/sh', 'the driver is the entrypoint\'s arguments');
    assert.equal(wrapped.platform, 'linux/amd64');
    assert.deepEqual(wrapped.envFiles, ['/pipelines/ci/.env']);
    assert.deepEqual(wrapped.options.Env, ['X=1']);
    assert.deepEqual([...wrapped.containerEnvKeys], ['X']);
    assert.deepEqual(buildCreateOptions(specFor('img', { dockerRunArgs: ['--entrypoint='] }), ctx).options.Entrypoint, plain.options.Entrypoint);
  });

  it('env files as docker reads them: KEY=VALUE as is, # and blank lines skipped, a bare KEY from the runner', () => {
    const dir = mkdtempSync(join(tmpdir(), 'caisson-envfile-'));
    try {
      writeFileSync(join(dir, 'a.env'), '# a comment\n\nA=1\n  B= spaced \nQUOTED="kept"\nEMPTY=\nFROM_RUNNER\nUNSET_ONE\n');
      writeFileSync(join(dir, 'b.env'), 'A=2\n');
      writeFileSync(join(dir, 'bad.env'), 'GOOD=1\nBAD KEY=2\n');
      process.env.FROM_RUNNER = 'yes';
      assert.deepEqual(readEnvFiles([join(dir, 'a.env'), join(dir, 'b.env')]), { A: '2', B: ' spaced ', QUOTED: '"kept"', EMPTY: '', FROM_RUNNER: 'yes' });
      assert.match(throwsCode(() => readEnvFiles([join(dir, 'bad.env')]), 'RUNTIME_OPTION', { flag: '--env-file', file: join(dir, 'bad.env') }).message, /bad\.env:2: "BAD KEY" is not a valid name/);
    } finally {
      delete process.env.FROM_RUNNER;
      rmSync(dir, { recursive: true, force: true });
    }
    const unreadable = throwsCode(() => readEnvFiles(['/nonexistent/caisson.env']), 'RUNTIME_OPTION', { flag: '--env-file', file: '/nonexistent/caisson.env' });
    assert.match(unreadable.message, /cannot read it \(ENOENT\); a relative path is taken from the pipeline file's folder/);
  });

  it('host options onto HostConfig and the rest onto the container config', () => {
    const o = map('--privileged', '--init', '--read-only=false', '--cap-add', 'SYS_PTRACE', '--add-host=h:1.2.3.4', '--shm-size=1g',
      '--ulimit', 'nproc=10', '--device', '/dev/fuse', '--device', '/dev/sda:rw', '--security-opt', 'seccomp=unconfined', '--pids-limit', '50',
      '--sysctl', 'net.ipv4.ip_forward=1', '--user', '1:2', '-w', '/src', '-h', 'box', '--dns', '1.1.1.1', '--dns-opt', 'ndots:1',
      '--dns-search', 'example.com', '--ipc', 'private', '--cpu-shares', '512', '--cpuset-cpus', '0', '--memory-reservation', '64m',
      '--oom-score-adj', '5', '--stop-signal', 'SIGINT', '--stop-timeout', '3', '--health-cmd', 'true', '--health-interval', '1m30s',
      '--log-driver', 'json-file', '--log-opt', 'max-size=1m', '--device-read-bps', '/dev/sda:1mb', '--blkio-weight-device', '/dev/sda:200',
      '--group-add', 'audio', '--cgroupns', 'private', '--domainname', 'example.com');
    assert.deepEqual(o.host, {
      Privileged: true, Init: true, CapAdd: ['SYS_PTRACE'], ExtraHosts: ['h:1.2.3.4'], ShmSize: 1024 ** 3,
      Ulimits: [{ Name: 'nproc', Soft: 10, Hard: 10 }],
      Devices: [
        { PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' },
        { PathOnHost: '/dev/sda', PathInContainer: '/dev/sda', CgroupPermissions: 'rw' },
      ],
      SecurityOpt: ['seccomp=unconfined'], PidsLimit: 50, Sysctls: { 'net.ipv4.ip_forward': '1' }, Dns: ['1.1.1.1'], DnsOptions: ['ndots:1'],
      DnsSearch: ['example.com'], IpcMode: 'private', CpuShares: 512, CpusetCpus: '0', MemoryReservation: 64 * 1024 ** 2, OomScoreAdj: 5,
      LogConfig: { Type: 'json-file', Config: { 'max-size': '1m' } }, BlkioDeviceReadBps: [{ Path: '/dev/sda', Rate: 1024 ** 2 }],
      BlkioWeightDevice: [{ Path: '/dev/sda', Weight: 200 }], GroupAdd: ['audio'], CgroupnsMode: 'private',
    });
    assert.deepEqual(o.config, {
      User: '1:2', WorkingDir: '/src', Hostname: 'box', StopSignal: 'SIGINT', StopTimeout: 3, Domainname: 'example.com',
      Healthcheck: { Test: ['CMD-SHELL', 'true'], Interval: 90e9 },
    });
  });

  it('refuses, with one RuntimeOptionError naming the argument and its flag, what an IR made without compile() may still hold', () => {
    const cases: Array<[string[], string | undefined]> = [
      [['-it'], '--interactive'], [['--rm'], '--rm'], [['--net=host'], '--network'], [['--memory', '1g'], '--memory'],
      [['--privileged=maybe'], '--privileged'], [['--shm-size'], '--shm-size'], [['--frobnicate'], undefined],
    ];
    for (const [bad, flag] of cases) {
      const e = throwsCode(() => map(...bad), 'RUNTIME_OPTION', { flag });
      assert.ok(e.message.startsWith(`dockerRunArgs: "${bad[0]}"`), e.message);
    }
  });
});
