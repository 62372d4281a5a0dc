import { strict as assert } from 'node:assert';
import { parseRunArgs, RUN_ARG_FLAGS, runArgFlag, type RunArg } from '../../../core/runtime/index.ts';

const parse = (...args: string[]): Array<[string, string]> =>
  parseRunArgs(args, (m) => { throw new Error(m); }).map((a: RunArg) => [a.flag, a.value]);
const problem = (...args: string[]): string => {
  try {
    parseRunArgs(args, (m) => { throw new Error(m); });
  } catch (e) {
    return (e as Error).message;
  }
  return 'no problem';
};

describe('dockerRunArgs grammar (core/runtime)', () => {
  it('the table: long names, every spelling once, a reason for every refusal', () => {
    const spellings = RUN_ARG_FLAGS.flatMap((f) => [f.name, ...(f.aliases ?? [])]);
    assert.equal(new Set(spellings).size, spellings.length, 'no spelling belongs to two flags');
    for (const f of RUN_ARG_FLAGS) {
      assert.match(f.name, /^--[a-z0-9-]+$/, f.name);
      for (const a of f.aliases ?? []) assert.match(a, /^(-[a-zA-Z]|--[a-z0-9-]+)$/, a);
      if (f.refused !== undefined) assert.ok(f.refused.length > 10, `${f.name} says why`);
    }
  });

  it('reads every spelling the docker CLI reads, and names each flag by its long name', () => {
    assert.deepEqual(parse('--env', 'A=1', '--env=B=2', '-e', 'C=3', '-eD=4', '-e=E=5'), [
      ['--env', 'A=1'], ['--env', 'B=2'], ['--env', 'C=3'], ['--env', 'D=4'], ['--env', 'E=5'],
    ]);
    assert.deepEqual(parse('-p', '8080:80', '-P', '--dns-opt', 'ndots:1', '-v/a:/b', '-c', '512'), [
      ['--publish', '8080:80'], ['--publish-all', 'true'], ['--dns-option', 'ndots:1'], ['--volume', '/a:/b'], ['--cpu-shares', '512'],
    ]);
  });

  it('switches: on by default, =true or =false (off is left out), bundled with a value flag last', () => {
    assert.deepEqual(parse('--init', '--privileged=true', '--read-only=false'), [['--init', 'true'], ['--privileged', 'true']]);
    assert.deepEqual(parse('-Pe', 'A=1'), [['--publish-all', 'true'], ['--env', 'A=1']]);
    assert.equal(problem('--init=maybe'), '"--init=maybe" takes no value (use --init or --init=false)');
  });

  it('maps an alias onto its flag before deciding: an alias of a refused flag is refused the same way', () => {
    assert.equal(runArgFlag('--net'), runArgFlag('--network'));
    for (const [arg, why] of [['--net=host', 'Caisson manages container networking'], ['--net-alias=x', 'Caisson manages container networking'], ['-m=1g', 'use the mem option']]) {
      assert.equal(problem(arg!), `"${arg}" is not allowed (${why})`);
    }
    assert.equal(problem('-it'), '"-it" is not allowed (Caisson runs the container and holds its input and output itself)');
    assert.equal(problem('-dit'), '"-dit" is not allowed (Caisson runs the container and holds its input and output itself)');
  });

  it('refuses what Caisson owns, saying what to use instead', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--cpus', '2'], /use the cpu option/], [['--cpu-quota', '5000'], /use the cpu option/], [['--memory', '1g'], /use the mem option/],
      [['--memory-swap', '2g'], /use the mem option/], [['--network', 'host'], /networking/], [['--ip', '10.0.0.2'], /networking/],
      [['--rm'], /removes its containers/], [['-d'], /input and output/], [['--name', 'x'], /names its containers/],
      [['--restart', 'always'], /removes it then/], [['--pull', 'always'], /image/], [['--cidfile', '/tmp/x'], /labels/],
    ];
    for (const [args, why] of cases) assert.match(problem(...args), why, args.join(' '));
  });

  it('checks values when it can: numbers, sizes, durations and the forms of ports, mounts, GPUs, ulimits…', () => {
    assert.deepEqual(parse('--shm-size', '1g', '--pids-limit', '50', '--health-interval', '1m30s', '--stop-timeout', '3'), [
      ['--shm-size', '1g'], ['--pids-limit', '50'], ['--health-interval', '1m30s'], ['--stop-timeout', '3'],
    ]);
    for (const ok of [['-p', '80'], ['-p', '8080:80/udp'], ['-p', '127.0.0.1:8080:80'], ['-p', '127.0.0.1::80'], ['-p', '[::1]:8080:80'], ['-p', '8000-8010:80-90'],
      ['--gpus', 'all'], ['--gpus', '2'], ['--gpus', 'device=0,1'], ['--gpus', '"device=0,1"'], ['--mount', 'type=bind,src=./x,dst=/x,ro'],
      ['--ulimit', 'nofile=1024:2048'], ['--device', '/dev/fuse:/dev/fuse:rwm'], ['--platform', 'linux/amd64'], ['--expose', '8000-8010/tcp']]) {
      assert.equal(problem(...ok), 'no problem', ok.join(' '));
    }
    assert.equal(problem('--pids-limit', 'many'), '"--pids-limit" many expects a whole number');
    assert.equal(problem('--health-timeout=soon'), '"--health-timeout=soon" expects a duration like 30s, 1m30s or 500ms');
    assert.match(problem('--gpus', 'lots'), /expects all, a count, or device=/);
    assert.match(problem('--ulimit', 'nofile'), /expects NAME=SOFT\[:HARD\]/);
    assert.match(problem('--add-host', 'nohost'), /expects HOST:IP/);
  });

  it('refuses anything that is not a docker run flag', () => {
    assert.equal(problem('--frobnicate'), '"--frobnicate" is not a docker run flag');
    assert.equal(problem('-Z'), '"-Z" is not a docker run flag');
    assert.equal(problem('-iZ'), '"-iZ" is not allowed (Caisson runs the container and holds its input and output itself)');
    assert.match(problem('--init', 'echo'), /"echo" is not a flag/);
    assert.equal(problem('--volume'), '"--volume" needs a value');
  });

  it('tells the caller which flag is at fault, by its long name, so the error can carry it', () => {
    const flagOf = (...args: string[]): string | undefined => {
      let got: string | undefined = 'none';
      try { parseRunArgs(args, (_m, flag) => { got = flag; throw new Error('stop'); }); } catch { /* got is set */ }
      return got;
    };
    assert.deepEqual([flagOf('--net=host'), flagOf('-it'), flagOf('--volume'), flagOf('--pids-limit', 'many'), flagOf('--frobnicate'), flagOf('true')],
      ['--network', '--interactive', '--volume', '--pids-limit', undefined, undefined]);
  });
});
