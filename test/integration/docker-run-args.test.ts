/**
 * dockerRunArgs → Engine API options, without a daemon: the accepted spellings and what each maps to.
 * (docker-containers.test.ts checks the same flags on a real container.)
 */
import assert from 'node:assert/strict';
import { RuntimeOptionError } from '../../core/index.ts';
import { parseRunArgs, SUPPORTED_RUN_ARGS } from '../../plugins/runtime-docker/index.ts';

describe('Docker runtime: dockerRunArgs mapping (no daemon needed)', () => {
  it('accepts --flag value, --flag=value, -f value and -fVALUE', () => {
    const o = parseRunArgs(['--env', 'A=1', '--env=B=2', '-e', 'C=3', '-eD=4', '-v/src:/dst:ro', '--label=team=ci']);
    assert.deepEqual(o.env, ['A=1', 'B=2', 'C=3', 'D=4']);
    assert.deepEqual(o.host.Binds, ['/src:/dst:ro']);
    assert.deepEqual(o.labels, { team: 'ci' });
  });

  it('maps host options onto HostConfig fields', () => {
    const o = parseRunArgs([
      '--privileged', '--init', '--read-only=false', '--cap-add', 'SYS_PTRACE', '--add-host=h:1.2.3.4', '--shm-size=1g',
      '--tmpfs', '/run', '--ulimit', 'nproc=10', '--device', '/dev/fuse', '--security-opt', 'seccomp=unconfined',
      '--network', 'none', '--pids-limit', '50', '--sysctl', 'net.ipv4.ip_forward=1', '--user', '1:2', '-w', '/src',
    ]);
    assert.deepEqual(o.host, {
      Privileged: true, Init: true, CapAdd: ['SYS_PTRACE'], ExtraHosts: ['h:1.2.3.4'], ShmSize: 1024 ** 3,
      Tmpfs: { '/run': '' }, Ulimits: [{ Name: 'nproc', Soft: 10, Hard: 10 }],
      Devices: [{ PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' }],
      SecurityOpt: ['seccomp=unconfined'], NetworkMode: 'none', PidsLimit: 50, Sysctls: { 'net.ipv4.ip_forward': '1' },
    });
    assert.equal(o.user, '1:2');
    assert.equal(o.workdir, '/src');
  });

  it('rejects what the API cannot honour with one RuntimeOptionError naming the argument', () => {
    for (const bad of [['-it'], ['--rm'], ['--entrypoint', 'x'], ['--memory', '1g'], ['-p', '80:80'], ['--privileged=maybe']]) {
      assert.throws(() => parseRunArgs(bad), (e: unknown) => {
        assert.ok(e instanceof RuntimeOptionError, String(e));
        assert.ok(e.message.includes(`"${bad[0]}"`), e.message);
        return true;
      });
    }
    assert.ok(SUPPORTED_RUN_ARGS.includes('-v/--volume'));
  });
});
