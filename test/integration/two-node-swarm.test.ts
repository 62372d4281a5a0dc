/**
 * Two Swarm nodes on one machine (test/helpers/two-node-swarm.ts): a replicated job constrained to the
 * worker runs an image that only the registry has (the worker starts with no images and cannot pull
 * from anywhere else), completes, its task log is readable through the manager, and afterwards the
 * worker's daemon has the image: it pulled it from the registry. Caisson's push step (resolveAll with
 * `publish`, DOCKER_HOST at the manager) builds an image there and publishes it to the swarm's registry
 * by digest, and that reference runs on the worker. Then everything is torn down.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { compile, createCaisson, image, pipeline, type ImageEvent } from '../../core/index.ts';
import { buildkit } from '../../plugins/buildkit/index.ts';
import { dockerfileImages } from '../../plugins/image-dockerfile/index.ts';
import { fakeRuntime } from '../../plugins/runtime-fake/index.ts';
import { requireDocker } from '../helpers/docker.ts';
import { tempCacheDir, tempDirs } from '../helpers/temp-project.ts';
import { TwoNodeSwarm, type TwoNodeSwarmInfo } from '../helpers/two-node-swarm.ts';

interface Task { ID: string; NodeID?: string; Status: { State: string; Err?: string; ContainerStatus?: { ExitCode?: number } } }

/** Polls the service's one task until it is in a terminal state. */
async function finishedTask(docker: Docker, serviceId: string, timeoutMs = 60_000): Promise<Task> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const [task] = (await docker.listTasks({ filters: { service: [serviceId] } })) as Task[];
    if (task && ['complete', 'failed', 'rejected', 'shutdown'].includes(task.Status.State)) return task;
    if (Date.now() > end) throw new Error(`the job's task did not finish within ${timeoutMs} ms: ${JSON.stringify(task?.Status)}`);
    await sleep(250);
  }
}

/** A task's log as text (multiplexed frames: 8-byte headers stripped). */
function demux(buffer: Buffer): string {
  let out = '';
  for (let i = 0; i + 8 <= buffer.length;) {
    const size = buffer.readUInt32BE(i + 4);
    out += buffer.subarray(i + 8, i + 8 + size).toString('utf8');
    i += 8 + size;
  }
  return out;
}

describe('a two-node swarm: a manager and a worker in their own network namespaces, and a registry both reach', function () {
  this.timeout(240_000);
  const swarm = new TwoNodeSwarm();
  let info: TwoNodeSwarmInfo;

  before(async function () {
    await requireDocker(this);
    if (spawnSync('sh', ['-c', 'command -v docker-registry']).status !== 0) {
      const msg = 'docker-registry is not installed; run `bash scripts/setup-swarm.sh`';
      if (process.env.CI) throw new Error(`${msg}. CI is set, so the two-node swarm test must not be skipped.`);
      console.warn(`  skipping: ${msg}`);
      this.skip();
    }
    const started = Date.now();
    info = await swarm.start();
    console.log(`      (two-node swarm up in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  });
  const temps = tempDirs();
  after(async () => {
    temps.removeAll();
    const started = Date.now();
    await swarm.destroy();
    console.log(`      (torn down in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  });

  it('has two ready nodes, a manager and a worker, on two daemons', async () => {
    const nodes = (await swarm.manager!.docker.listNodes()) as Array<{ ID: string; Spec: { Role: string }; Status: { State: string; Addr: string } }>;
    const byId = Object.fromEntries(nodes.map((n) => [n.ID, n]));
    assert.equal(nodes.length, 2);
    assert.equal(byId[info.managerNodeId]?.Spec.Role, 'manager');
    assert.equal(byId[info.workerNodeId]?.Spec.Role, 'worker');
    assert.ok(nodes.every((n) => n.Status.State === 'ready'));
    assert.notEqual(info.managerNodeId, info.workerNodeId);
  });

  it('a replicated job constrained to the worker runs an image from the registry, completes, its log is readable, and the worker pulled the image', async () => {
    const image = swarm.pushImage('busybox:latest', 'two-node-it');
    assert.match(image, /^192\.168\.213\.1:5000\/caisson\/two-node-it@sha256:[0-9a-f]{64}$/);
    const worker = swarm.worker!.docker;
    const digest = image.split('@')[1]!;
    const hasImage = async () => ((await worker.listImages()) as Array<{ RepoDigests?: string[] | null }>).some((i) => (i.RepoDigests ?? []).some((d) => d.endsWith(`@${digest}`)));
    assert.equal(await hasImage(), false, 'precondition: the worker has no copy of the image');

    const m = swarm.manager!.docker;
    const service = await m.createService({
      Name: 'two-node-job',
      TaskTemplate: {
        ContainerSpec: { Image: image, Command: ['sh', '-c', 'echo "hello from $(hostname)"; echo oops >&2; exit 0'] },
        RestartPolicy: { Condition: 'none' },
        Placement: { Constraints: ['node.role==worker'] },
      },
      Mode: { ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 1 } },
    } as Docker.CreateServiceOptions);
    const task = await finishedTask(m, service.id);
    assert.equal(task.Status.State, 'complete', JSON.stringify(task.Status));
    assert.equal(task.Status.ContainerStatus?.ExitCode, 0);
    assert.equal(task.NodeID, info.workerNodeId, 'the task ran on the worker');

    const logs = demux(await (m.getTask(task.ID) as unknown as { logs(o: object): Promise<Buffer> }).logs({ stdout: true, stderr: true }));
    // Both lines, in either order: the task log interleaves stdout and stderr by arrival.
    assert.deepEqual(logs.split('\n').filter(Boolean).sort(), ['hello from ' + /hello from ([0-9a-f]{12})/.exec(logs)?.[1], 'oops'].sort(), logs);
    assert.equal(await hasImage(), true, 'the worker pulled the image from the registry');
    await m.getService(service.id).remove();
  });

  it("Caisson's push step, through the manager, builds and publishes an image by digest to the swarm's registry, and the worker runs it", async () => {
    const dir = temps.make('ctx');
    writeFileSync(join(dir, 'msg.txt'), 'built on the manager, run on the worker\n');
    const app = image({ dockerfileText: 'FROM busybox:latest\nCOPY msg.txt /msg.txt\n', context: dir, name: 'two-node-app' });
    const ir = compile(pipeline('p', { image: app }).exec('a', 'cat /msg.txt'));
    const caisson = createCaisson({ plugins: [fakeRuntime(), buildkit(), dockerfileImages()] });
    // The builder's docker CLI follows DOCKER_HOST, as `DOCKER_HOST=… caisson run` would.
    const saved = process.env.DOCKER_HOST;
    const restoreCache = tempCacheDir();
    process.env.DOCKER_HOST = info.managerHost;
    const events: ImageEvent[] = [];
    let ref: string;
    try {
      ref = (await caisson.images.resolveAll(ir, { publish: { registry: info.registry }, onEvent: (e) => events.push(e) }))['two-node-app']!.ref;
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST; else process.env.DOCKER_HOST = saved;
      restoreCache();
    }
    assert.match(ref, /^192\.168\.213\.1:5000\/caisson\/two-node-app@sha256:[0-9a-f]{64}$/);
    assert.deepEqual(events.filter((e) => e.type === 'image-built' || e.type === 'image-pushed').map((e) => e.type), ['image-built', 'image-pushed']);

    const m = swarm.manager!.docker;
    const service = await m.createService({
      Name: 'two-node-app-job',
      TaskTemplate: { ContainerSpec: { Image: ref, Command: ['cat', '/msg.txt'] }, RestartPolicy: { Condition: 'none' }, Placement: { Constraints: ['node.role==worker'] } },
      Mode: { ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 1 } },
    } as Docker.CreateServiceOptions);
    const task = await finishedTask(m, service.id);
    assert.equal(task.Status.State, 'complete', JSON.stringify(task.Status));
    assert.equal(task.NodeID, info.workerNodeId);
    const logs = demux(await (m.getTask(task.ID) as unknown as { logs(o: object): Promise<Buffer> }).logs({ stdout: true, stderr: true }));
    assert.equal(logs, 'built on the manager, run on the worker\n');
    await m.getService(service.id).remove();
  });
});
