// The RunEvent stream every consumer reads: shape, ordering, timestamps, attempts.
import { strict as assert } from 'node:assert';
import type { RunEvent, StateEvent } from '../../../core/index.ts';
import { VIRTUAL_EPOCH } from '../../../plugins/runtime-fake/index.ts';
import { exec, parallel, pipeline, serial } from '../../helpers/ir.ts';
import { setup } from './support.ts';

const ci = () => pipeline(serial('ci', [exec('build'), parallel('checks', [exec('lint'), exec('unit')])]));
const stateEvents = (events: RunEvent[]) => events.filter((e): e is StateEvent => e.type === 'state');

describe('engine: event stream', () => {
  it('brackets a start() with run-started and run-finished (with the root state)', async () => {
    const { run, events } = setup(ci());
    const result = await run.start();
    assert.deepEqual(events[0], { type: 'run-started', at: VIRTUAL_EPOCH, runId: 'run-1', pipeline: 'ci' });
    assert.deepEqual(events.at(-1), { type: 'run-finished', at: VIRTUAL_EPOCH, runId: 'run-1', state: result.state });
  });

  it('emits every state change of every node, each naming the state it left', async () => {
    const { run, events, states } = setup(ci());
    await run.start();
    const last = new Map<string, string>();
    for (const e of stateEvents(events)) {
      assert.equal(e.previous, last.get(e.path) ?? 'pending', `${e.path}: ${e.previous} → ${e.state}`);
      last.set(e.path, e.state);
    }
    assert.deepEqual(states('/ci/checks/unit'), ['queued', 'running', 'done']);
    assert.deepEqual(states('/ci'), ['running', 'done']); // no flicker between children
    assert.deepEqual(states('/ci/checks'), ['running', 'done']);
  });

  it('stamps events with the engine clock, attempts, exit codes and reasons', async () => {
    const { run, fake, events } = setup(pipeline(serial('ci', [exec('a'), exec('b')])));
    fake.script('/ci/a', { duration: '30s' }).script('/ci/b', { duration: '5s', exitCode: 3 });
    await run.start();
    const b = stateEvents(events).filter((e) => e.path === '/ci/b').map((e) => [e.state, e.at - VIRTUAL_EPOCH, e.attempt, e.exitCode, e.reason]);
    assert.deepEqual(b, [['queued', 30_000, 0, undefined, undefined], ['running', 30_000, 1, undefined, undefined], ['error', 35_000, 1, 3, 'exit code 3']]);
    assert.deepEqual([run.status('/ci/b').startedAt! - VIRTUAL_EPOCH, run.status('/ci/b').endedAt! - VIRTUAL_EPOCH], [30_000, 35_000]);
    assert.deepEqual([run.status('/ci').startedAt! - VIRTUAL_EPOCH, run.status('/ci').endedAt! - VIRTUAL_EPOCH], [0, 35_000]);
  });

  it('tags output with stream and attempt, after the container event of the same attempt', async () => {
    const { run, fake, events } = setup(pipeline(exec('a')));
    fake.script('/a', { stdout: 'out\n', stderr: 'err\n' });
    await run.start();
    const tail = events.filter((e) => e.type === 'container' || e.type === 'output').map((e) => e.type === 'output' ? [e.type, e.stream, e.data, e.attempt] : [e.type]);
    assert.deepEqual(tail, [['container'], ['output', 'stdout', 'out\n', 1], ['output', 'stderr', 'err\n', 1]]);
  });

  it('events() yields until the start() it covers finishes, then ends', async () => {
    const { run } = setup(ci());
    const seen: string[] = [];
    const consumer = (async () => { for await (const e of run.events()) seen.push(e.type); })();
    await run.start();
    await consumer;
    assert.equal(seen[0], 'run-started');
    assert.equal(seen.at(-1), 'run-finished');
    assert.equal(seen.filter((t) => t === 'container').length, 3);
  });

  it('an unsubscribed listener hears nothing more', async () => {
    const { run } = setup(ci());
    let heard = 0;
    const off = run.on(() => { heard++; });
    off();
    await run.start();
    assert.equal(heard, 0);
  });

  it('a second start() with nothing pending opens and closes the runtime and changes nothing', async () => {
    const { run, fake, events } = setup(ci());
    await run.start();
    const before = events.length;
    const again = await run.start();
    assert.equal(again.state, 'done');
    assert.deepEqual(events.slice(before).map((e) => e.type), ['run-started', 'run-finished']);
    assert.deepEqual([fake.opened.length, fake.closed.length, fake.calls.length], [2, 2, 3]);
  });
});
