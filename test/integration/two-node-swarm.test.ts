/**
 * Two Swarm nodes on one machine (test/helpers/two-node-swarm.ts): a replicated job constrained to the
 * worker runs an image that only the registry has (the worker starts with no images and cannot pull
 * from anywhere else), completes, its task log is readable through the manager, and afterwards the
 * worker's daemon has the image: it pulled it from the registry. Then everything is torn down.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type Docker from 'dockerode';
import { requireDocker } from '../helpers/docker.ts';
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
  after(async () => {
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
    assert.match(logs, /^hello from [0-9a-f]{12}\n/);
    assert.match(logs, /oops\n/);
    assert.equal(await hasImage(), true, 'the worker pulled the image from the registry');
    await m.getService(service.id).remove();
  });
});
