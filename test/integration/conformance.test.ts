/**
 * The runtime conformance suite: the same IR (test/conformance/fixtures.ts, each compiled once) on the
 * fake, Docker and Swarm runtimes, with the same assertions: every node's final state, each Exec's exit
 * code and the output of its last attempt, stdout and stderr apart, which Execs shared a container, and
 * nothing of the run left on the engine. The fake plays each Exec from its expectation (it runs no shell):
 * the documented exception, see the fixtures' header.
 */
import { strict as assert } from 'node:assert';
import { Engine, compile, type NodeStatus, type PipelineIR, type RunEvent, type RuntimeProvider, type StateEvent } from '../../core/index.ts';
import { DockerRuntimeProvider, SwarmRuntimeProvider } from '../../plugins/runtime-docker/index.ts';
import { FakeRuntimeProvider, placeholderImages, type Script } from '../../plugins/runtime-fake/index.ts';
import { docker, requireDocker, uniqueRunId } from '../helpers/docker.ts';
import { requireSwarm, servicesOfRun } from '../helpers/swarm.ts';
import { FIXTURES, type Expected, type Fixture } from '../conformance/fixtures.ts';

/** A runtime under test: how to get one, check it is there, and list what a run left on it. */
interface Target {
  name: string;
  ready(ctx: Mocha.Context): Promise<void>;
  provider(fixture: Fixture): RuntimeProvider & { clock?: FakeRuntimeProvider['clock'] };
  leftovers(runId: string): Promise<string[]>;
}

/** The fake, scripted from the fixture's expectations. */
const fakeFor = (fixture: Fixture): FakeRuntimeProvider => {
  const fake = new FakeRuntimeProvider();
  fake.placeholderOutputs = true;
  for (const [path, e] of Object.entries(fixture.expect)) fake.script(path, scriptOf(e));
  return fake;
};

const scriptOf = (e: Expected): Script => ({
  ...(e.stdout !== undefined && { stdout: e.stdout }),
  ...(e.stderr !== undefined && { stderr: e.stderr }),
  ...(e.state === 'error' && { exitCode: e.exitCode ?? 1 }),
  ...(e.state === 'killed' && { hang: true as const }),
});

const TARGETS: Target[] = [
  { name: 'fake', ready: () => Promise.resolve(), provider: fakeFor, leftovers: () => Promise.resolve([]) },
  {
    name: 'docker', ready: requireDocker, provider: () => new DockerRuntimeProvider({ handleSignals: false }),
    leftovers: async (runId) => (await docker.listContainers({ all: true, filters: { label: [`dev.caisson.run=${runId}`] } })).map((c) => c.Id),
  },
  { name: 'swarm', ready: requireSwarm, provider: () => new SwarmRuntimeProvider({ handleSignals: false }), leftovers: servicesOfRun },
];

/** What a run showed, in the terms the assertions use. */
interface Observed {
  runId: string;
  finalState(path: string): NodeStatus;
  /** Output of the node's last attempt on one stream. */
  output(path: string, stream: 'stdout' | 'stderr'): string;
  containerOf(path: string): string | undefined;
}

const runOn = async (target: Target, fixture: Fixture, ir: PipelineIR): Promise<Observed> => {
  const provider = target.provider(fixture);
  const engine = new Engine(provider, provider.clock, { capacity: { cpu: 64, mem: 256 } });
  const runId = uniqueRunId(`conf-${target.name}`);
  const run = engine.createRun(structuredClone(ir), { runId, ...(target.name === 'fake' && { images: placeholderImages(ir) }) });
  const events: RunEvent[] = [];
  run.on((e) => events.push(e));
  await run.start();
  const states = events.filter((e): e is StateEvent => e.type === 'state');
  const lastAttempt = (path: string) => Math.max(0, ...states.filter((e) => e.path === path).map((e) => e.attempt ?? 0));
  return {
    runId,
    finalState: (path) => run.status(path),
    output: (path, stream) => events.filter((e) => e.type === 'output' && e.path === path && e.stream === stream && e.attempt === lastAttempt(path))
      .map((e) => (e as { data: string }).data).join(''),
    containerOf: (path) => events.filter((e) => e.type === 'container' && e.path === path).map((e) => (e as { containerId: string }).containerId).at(-1),
  };
};

for (const fixture of FIXTURES) {
  describe(`conformance: ${fixture.name}`, function () {
    this.timeout(180_000);
    const ir = compile(fixture.pipeline);
    for (const target of TARGETS) {
      describe(`on ${target.name}`, () => {
        let seen: Observed;
        before(async function () {
          await target.ready(this);
          seen = await runOn(target, fixture, ir);
        });

        it('every node ends in its expected state (skipped or not), with its exit code', () => {
          for (const [path, e] of Object.entries(fixture.expect)) {
            const final = seen.finalState(path);
            assert.equal(final.state, e.state, `${path} on ${target.name}: ${JSON.stringify(final)}`);
            assert.equal(final.skipped, e.skipped ?? false, `${path} skipped on ${target.name}`);
            if (e.exitCode !== undefined) assert.equal(final.exitCode, e.exitCode, `${path}'s exit code on ${target.name}`);
          }
        });

        it('each Exec printed what it prints everywhere, stdout and stderr apart', () => {
          for (const [path, e] of Object.entries(fixture.expect)) {
            if (e.stdout !== undefined) assert.equal(seen.output(path, 'stdout'), e.stdout, `${path} stdout on ${target.name}`);
            if (e.stderr !== undefined) assert.equal(seen.output(path, 'stderr'), e.stderr, `${path} stderr on ${target.name}`);
          }
        });

        if (fixture.shared) {
          it('the same Execs shared a container, and no others', () => {
            const groups = fixture.shared!.map((paths) => paths.map((p) => seen.containerOf(p)));
            for (const [i, ids] of groups.entries()) {
              assert.ok(ids.every((id) => id !== undefined), `every Exec of ${fixture.shared![i]!.join(', ')} got a container`);
              assert.equal(new Set(ids).size, 1, `${fixture.shared![i]!.join(', ')} share one container on ${target.name}`);
            }
            assert.equal(new Set(groups.map((ids) => ids[0])).size, groups.length, `each group has a container of its own on ${target.name}`);
          });
        }

        it('leaves nothing of the run on the engine', async () => {
          assert.deepEqual(await target.leftovers(seen.runId), []);
        });
      });
    }
  });
}
