/**
 * The Swarm runtime on two nodes for real (test/helpers/two-node-swarm.ts: a manager and a worker dockerd
 * in their own network namespaces, and a registry both reach). `caisson run --runtime swarm` runs in the
 * manager's namespace, as a runner on the manager machine would, with DOCKER_HOST at the manager and
 * CAISSON_REGISTRY at the swarm's registry. A Parallel's tasks land on both nodes, a `reuse: "new"`
 * Serial shares one task's file system wherever it landed, an artifact and a data-store value cross
 * from the nodes to a reducer, the worker pulled the task image from the registry (it had none), and the
 * run leaves no service. Then everything is torn down.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CAISSON_BIN } from '../helpers/cli.ts';
import { requireDocker } from '../helpers/docker.ts';
import { TwoNodeSwarm, type TwoNodeSwarmInfo } from '../helpers/two-node-swarm.ts';

const ROOT = join(import.meta.dirname, '../..');
const FANOUT = 6;

const PIPELINE = `import { pipeline } from 'caisson';
export default pipeline('two', { image: 'busybox:latest' })
  .parallel('spread', (p) => {
    for (let i = 1; i <= ${FANOUT}; i++) {
      p = p.exec('n' + i, 'echo "on $CAISSON_SWARM_NODE_ID"; mkdir -p out && echo ' + i + ' > out/' + i + '.txt; echo x | caisson-data put seen/' + i, { reuse: 'new', outputs: 'out/' + i + '.txt' });
    }
    return p;
  })
  .serial('shared', (s) => s.exec('write', 'echo kept > /tmp/f').exec('read', 'cat /tmp/f'), { reuse: 'new' })
  .exec('reduce', 'echo "sum $(cat in/out/*.txt | awk \\'{ s += $1 } END { print s }\\')"; caisson-data list | wc -l', { inputs: { from: '/two/spread', to: 'in' } });
`;

describe('Swarm runtime on a two-node swarm', function () {
  this.timeout(300_000);
  const swarm = new TwoNodeSwarm();
  let info: TwoNodeSwarmInfo;
  let dir: string;

  before(async function () {
    await requireDocker(this);
    info = await swarm.start();
    // Under the checkout's tmp/, so the file's `import 'caisson'` finds this package.
    mkdirSync(join(ROOT, 'tmp'), { recursive: true });
    dir = mkdtempSync(join(ROOT, 'tmp', 'swarm-two-'));
    writeFileSync(join(dir, 'pipeline.ts'), PIPELINE);
  });
  after(async () => {
    await swarm.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('spreads a Parallel over both nodes, moves files between them, and the worker pulls from the registry', async () => {
    const workerImages = async () => (await swarm.worker!.docker.listImages()).flatMap((i) => [...(i.RepoTags ?? []), ...(i.RepoDigests ?? [])]);
    assert.deepEqual(await workerImages(), [], 'the worker starts with no image at all');

    // The runner in the manager's network namespace: the tasks call it back on the manager's swarm address.
    const r = spawnSync('nsenter', [`--net=/proc/${swarm.managerPid}/ns/net`, process.execPath, CAISSON_BIN, 'run', 'pipeline.ts', '--runtime', 'swarm', '--no-typecheck', '--cpu', '16', '--mem', '64'], {
      cwd: dir, encoding: 'utf8', timeout: 240_000,
      env: { ...process.env, NO_COLOR: '1', DOCKER_HOST: info.managerHost, CAISSON_REGISTRY: info.registry, CAISSON_CACHE_DIR: join(dir, 'cache') },
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const lines = r.stdout.split('\n').filter((l) => / \| /.test(l)).map((l) => l.replace(/^\S+\s+/, ''));
    const printed = (path: string) => lines.filter((l) => l.startsWith(`${path} `)).map((l) => l.replace(/^\S+\s+\| /, ''));

    const nodes = new Set(Array.from({ length: FANOUT }, (_, i) => printed(`/two/spread/n${i + 1}`)[0]?.replace(/^on /, '')));
    assert.deepEqual([...nodes].sort(), [info.managerNodeId, info.workerNodeId].sort(), `the fan-out ran on both nodes: ${r.stdout}`);
    assert.deepEqual(printed('/two/shared/read'), ['kept'], 'the reuse "new" Serial shared one task\'s file system');
    assert.deepEqual(printed('/two/reduce'), [`sum ${(FANOUT * (FANOUT + 1)) / 2}`, String(FANOUT)], 'every output and data-store name reached the reducer');
    assert.match(r.stdout, /DONE\s+P 0\s+Q 0\s+R 0\s+D \d+\s+E 0\s+K 0/);

    assert.ok((await workerImages()).some((ref) => ref.startsWith(`${info.registry}/caisson/busybox@sha256:`)), `the worker pulled the task image from ${info.registry}`);
    const left = (await swarm.manager!.docker.listServices()) as unknown[];
    assert.equal(left.length, 0, 'the run removed its services');
  });
});
