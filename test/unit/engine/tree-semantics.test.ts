// Serial / Parallel / Exec semantics (docs/conducto-semantics.md#tree-semantics): order, stopOnError, suppressErrors, exit codes.
import { strict as assert } from 'node:assert';
import type { NodeState, PipelineIR } from '../../../core/index.ts';
import { runFake } from '../../../plugins/runtime-fake/index.ts';
import type { ScriptSpec } from '../../../plugins/runtime-fake/index.ts';
import { exec, parallel, pipeline, serial } from '../../helpers/ir.ts';

interface Case {
  name: string;
  ir: () => PipelineIR;
  scripts?: Record<string, ScriptSpec>;
  ran: string[];
  states: Record<string, NodeState>;
  failed?: string[];
}

const fail = { exitCode: 1 };

const cases: Case[] = [
  {
    name: 'a Serial runs its children one after another in order',
    ir: () => pipeline(serial('ci', [exec('a'), exec('b'), exec('c')])),
    scripts: { '/ci/a': { duration: '5s' } },
    ran: ['/ci/a', '/ci/b', '/ci/c'],
    states: { '/ci': 'done', '/ci/a': 'done', '/ci/b': 'done', '/ci/c': 'done' },
  },
  {
    name: 'stopOnError (default): a failing child stops the Serial, later children stay pending',
    ir: () => pipeline(serial('ci', [exec('a'), exec('b'), exec('c')])),
    scripts: { '/ci/b': fail },
    ran: ['/ci/a', '/ci/b'],
    states: { '/ci': 'error', '/ci/a': 'done', '/ci/b': 'error', '/ci/c': 'pending' },
    failed: ['/ci/b'],
  },
  {
    name: 'stopOnError false runs every child, then ends in error',
    ir: () => pipeline(serial('ci', [exec('a'), exec('b'), exec('cleanup')], { stopOnError: false })),
    scripts: { '/ci/a': fail },
    ran: ['/ci/a', '/ci/b', '/ci/cleanup'],
    states: { '/ci': 'error', '/ci/a': 'error', '/ci/b': 'done', '/ci/cleanup': 'done' },
  },
  {
    name: 'a Parallel starts every child; a failure does not stop its siblings',
    ir: () => pipeline(parallel('p', [exec('a'), exec('b'), exec('c')])),
    scripts: { '/p/a': fail, '/p/b': { duration: '10s' } },
    ran: ['/p/a', '/p/b', '/p/c'],
    states: { '/p': 'error', '/p/a': 'error', '/p/b': 'done', '/p/c': 'done' },
  },
  {
    name: 'a failure deep in a Parallel stops the enclosing Serial',
    ir: () => pipeline(serial('ci', [exec('install'), parallel('checks', [exec('lint'), exec('unit')]), exec('deploy')])),
    scripts: { '/ci/checks/unit': fail },
    ran: ['/ci/install', '/ci/checks/lint', '/ci/checks/unit'],
    states: { '/ci': 'error', '/ci/checks': 'error', '/ci/checks/lint': 'done', '/ci/deploy': 'pending' },
    failed: ['/ci/checks/unit'],
  },
  {
    name: 'suppressErrors on a Serial turns its error into done (later children still stay pending)',
    ir: () => pipeline(serial('ci', [serial('s', [exec('a'), exec('b')], { suppressErrors: true }), exec('after')])),
    scripts: { '/ci/s/a': fail },
    ran: ['/ci/s/a', '/ci/after'],
    states: { '/ci': 'done', '/ci/s': 'done', '/ci/s/a': 'error', '/ci/s/b': 'pending', '/ci/after': 'done' },
  },
  {
    name: 'suppressErrors on a Parallel turns its error into done',
    ir: () => pipeline(serial('ci', [parallel('p', [exec('a'), exec('b')], { suppressErrors: true }), exec('after')])),
    scripts: { '/ci/p/b': fail },
    ran: ['/ci/p/a', '/ci/p/b', '/ci/after'],
    states: { '/ci': 'done', '/ci/p': 'done', '/ci/p/b': 'error' },
  },
  {
    name: 'suppressErrors on an Exec: a non-zero exit is done and the Serial goes on',
    ir: () => pipeline(serial('ci', [exec('flaky', 'x', { suppressErrors: true }), exec('next')])),
    scripts: { '/ci/flaky': { exitCode: 3 } },
    ran: ['/ci/flaky', '/ci/next'],
    states: { '/ci': 'done', '/ci/flaky': 'done', '/ci/next': 'done' },
  },
  {
    name: 'a killed child (maxTime) makes its parent end in error',
    ir: () => pipeline(serial('ci', [exec('slow', 'x', { maxTime: 5 }), exec('next')])),
    scripts: { '/ci/slow': { hang: true } },
    ran: ['/ci/slow'],
    states: { '/ci': 'error', '/ci/slow': 'killed', '/ci/next': 'pending' },
    failed: ['/ci/slow'],
  },
  {
    name: 'a killed child with suppressErrors on the parent leaves the parent done',
    ir: () => pipeline(parallel('p', [exec('slow', 'x', { maxTime: 5 }), exec('ok')], { suppressErrors: true })),
    scripts: { '/p/slow': { duration: '1m' } },
    ran: ['/p/slow', '/p/ok'],
    states: { '/p': 'done', '/p/slow': 'killed', '/p/ok': 'done' },
  },
  {
    name: 'an empty Serial or Parallel is done at once',
    ir: () => pipeline(serial('ci', [parallel('nothing', []), serial('neither', []), exec('a')])),
    ran: ['/ci/a'],
    states: { '/ci': 'done', '/ci/nothing': 'done', '/ci/neither': 'done' },
  },
  {
    name: 'a root Exec runs on its own',
    ir: () => pipeline(exec('only')),
    scripts: { '/only': { exitCode: 2 } },
    ran: ['/only'],
    states: { '/only': 'error' },
  },
];

describe('engine: Serial / Parallel / Exec semantics', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const { result, fake, status } = await runFake(c.ir(), { scripts: c.scripts });
      assert.deepEqual(fake.ran(), c.ran);
      for (const [path, state] of Object.entries(c.states)) assert.equal(status(path).state, state, `state of ${path}`);
      assert.equal(result.state, status(Object.keys(result.statuses)[0]!).state);
      if (c.failed) assert.deepEqual(result.failed, c.failed);
    });
  }

  it('a Serial child starts only after the previous one ended (virtual clock)', async () => {
    const ir = pipeline(serial('ci', [exec('a'), exec('b'), exec('c')]));
    const { fake } = await runFake(ir, { defaultScript: { duration: '10s' } });
    const [a, b, c] = fake.calls;
    assert.deepEqual([b!.start - a!.end!, c!.start - b!.end!, c!.end! - a!.start], [0, 0, 30_000]);
  });

  it('exit 0 is done; a non-zero exit is error with its exit code', async () => {
    const { status } = await runFake(pipeline(parallel('p', [exec('ok'), exec('bad')])), { scripts: { '/p/bad': { exitCode: 42 } } });
    assert.deepEqual([status('/p/ok').state, status('/p/ok').exitCode], ['done', 0]);
    assert.deepEqual([status('/p/bad').state, status('/p/bad').exitCode, status('/p/bad').reason], ['error', 42, 'exit code 42']);
  });

  it('passes the Exec\'s command and effective env to the runtime', async () => {
    const ir = pipeline(serial('ci', [exec('a', ['make', 'test'], { env: { CI: '1', MODE: 'fast' } })]));
    const { fake } = await runFake(ir);
    assert.deepEqual(fake.calls.map((c) => [c.command, c.env, c.image]), [[['make', 'test'], { CI: '1', MODE: 'fast' }, 'img:latest']]);
  });

  it('runs with the image refs given to createRun, else the IR\'s', async () => {
    const ir = pipeline(serial('ci', [exec('a', 'x', { image: 'node' }), exec('b')]), { node: 'node:20' });
    const { fake } = await runFake(ir, { images: { img: 'sha256:abc' } });
    assert.deepEqual(fake.calls.map((c) => c.image), ['node:20', 'sha256:abc']);
  });
});
