/**
 * Conducto's container_reuse example (examples/container-reuse.ts), five scenarios, on a real container
 * engine: the same assertions for every real runtime (Docker, Podman, Swarm). Every Exec
 * increments /tmp/count and prints it, so the printed numbers prove which nodes shared a filesystem.
 */
import assert from 'node:assert/strict';
import type Docker from 'dockerode';
import reuseExample from '../../../examples/container-reuse.ts';
import type { RunEvent, RuntimeProvider } from '../../../core/index.ts';
import { runOnDocker, type DockerRun } from './engine-run.ts';

const R = '/container-reuse';

/**
 * Defines the scenarios' suite. `ready` runs first (skip or fail there when the engine is missing);
 * `provider` makes the runtime; `leftovers` lists what the engine still holds of a run afterwards
 * (containers on Docker, services on Swarm).
 */
export function describeReuseScenarios(title: string, ready: (ctx: Mocha.Context) => Promise<void>, provider: () => RuntimeProvider, leftovers: (runId: string) => Promise<string[]>): void {
  describe(title, function () {
    this.timeout(180_000);
    let run: DockerRun;
    const count = (path: string) => Number(/count=(\d+)/.exec(run.stdoutOf(`${R}/${path}`))?.[1]);
    const box = (path: string) => run.containerOf(`${R}/${path}`);

    before(async function () {
      await ready(this);
      // Capacity for every node at once: the only thing serialising parallel-new is its reuse group.
      run = await runOnDocker(reuseExample, { capacity: { cpu: 64, mem: 256 }, provider: provider() });
    });

    it('runs every node to done', () => {
      assert.equal(run.result.state, 'done', JSON.stringify(run.result.failed));
    });

    it('default-serial: global reuse puts consecutive compatible nodes in the same container', () => {
      assert.deepEqual([count('default-serial/first'), count('default-serial/second'), count('default-serial/third')], [1, 2, 3]);
      assert.equal(box('default-serial/second'), box('default-serial/first'));
      assert.equal(box('default-serial/third'), box('default-serial/first'));
    });

    it('new-serial: one fresh container for the Serial, shared by its three Execs', () => {
      assert.deepEqual([count('new-serial/first'), count('new-serial/second'), count('new-serial/third')], [1, 2, 3]);
      const c = box('new-serial/first');
      assert.notEqual(c, box('default-serial/first'));
      assert.equal(box('new-serial/second'), c);
      assert.equal(box('new-serial/third'), c);
    });

    it('new-per-exec: each Exec gets its own fresh container', () => {
      assert.deepEqual([count('new-per-exec/first'), count('new-per-exec/second'), count('new-per-exec/third')], [1, 1, 1]);
      assert.equal(new Set(['first', 'second', 'third'].map((n) => box(`new-per-exec/${n}`))).size, 3);
    });

    it('global-escape: the escaped node lands in the global container, the others share the group one', () => {
      assert.equal(count('global-escape/inside'), 1);
      assert.equal(count('global-escape/inside-again'), 2, 'inside and inside-again share a filesystem');
      assert.equal(box('global-escape/inside-again'), box('global-escape/inside'));
      // The global container is the idle one default-serial left, with its count of 3.
      assert.equal(box('global-escape/escaped/outside'), box('default-serial/first'));
      assert.equal(count('global-escape/escaped/outside'), 4);
    });

    it('parallel-new: the Parallel\'s children share one container and run one at a time', () => {
      const names = ['first', 'second', 'third'];
      assert.deepEqual(names.map((n) => count(`parallel-new/${n}`)).sort(), [1, 2, 3]);
      assert.equal(new Set(names.map((n) => box(`parallel-new/${n}`))).size, 1);
      const spans = names.map((n) => spanOf(run.events, `${R}/parallel-new/${n}`)).sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < spans.length; i++) assert.ok(spans[i]![0] >= spans[i - 1]![1], `overlap: ${JSON.stringify(spans)}`);
    });

    it('leaves nothing of the run behind', async () => {
      assert.deepEqual(await leftovers(run.runId), []);
    });
  });
}

/** The leftovers function for an engine that speaks the Docker API: containers with the run's label. */
export const containersOfRun = (client: () => Docker) => async (runId: string): Promise<string[]> =>
  (await client().listContainers({ all: true, filters: { label: [`dev.caisson.run=${runId}`] } })).map((c) => c.Id);

/** [start, end] of a node's running state, from its state events. */
const spanOf = (events: RunEvent[], path: string): [number, number] => {
  const s = events.filter((e) => e.type === 'state' && e.path === path) as Extract<RunEvent, { type: 'state' }>[];
  const start = s.find((e) => e.state === 'running')!.at;
  const end = s.find((e) => e.state === 'done' || e.state === 'error' || e.state === 'killed')!.at;
  return [start, end];
};
