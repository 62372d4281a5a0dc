// Hooks on the fake runtime: which events fire which hooks, once per node attempt (retries, reset, and a
// resume from the record's hook events), inherited hooks, a failing hook changing no state, the payload,
// host commands, and the IR (effective hooks, resolved at compile time).
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, defineHook, Engine, hostCommand, pipeline, webhook } from '../../../core/index.ts';
import type { HookFiredEvent, HookPayload, RunEvent } from '../../../core/index.ts';
import { FakeRuntimeProvider, runFake } from '../../../plugins/runtime-fake/index.ts';
import { RunProjection } from '../../../core/store/index.ts';
import { decodeLogEntry } from '../../../core/store/record-codecs.ts';

const calls: HookPayload[] = [];
// Defined at first use inside a test, not at load or in a before hook: DSL code run outside a test is static
// to mutation testing, and each static mutant reruns the whole suite.
let recordHook: ReturnType<typeof defineHook<{ tag: string }>> | undefined;
let boomHook: ReturnType<typeof defineHook> | undefined;
const record = (args: { tag: string }) => (recordHook ??= defineHook<{ tag: string }>('test-record', (payload, a) => { calls.push({ ...payload, from: `${payload.from}#${a.tag}` }); }))(args);
const boom = () => (boomHook ??= defineHook('test-boom', () => { throw new Error('the chat service is down'); }))();
const hookEvents = (events: RunEvent[]) => events.filter((e): e is HookFiredEvent => e.type === 'hook');

describe('hooks', () => {
  beforeEach(() => { calls.length = 0; });

  it('done, error and killed fire on the node ending so, with the payload; stateChange on every change', async () => {
    const ir = compile(pipeline('p', { maxTime: 5 })
      .serial('s', (s) => s.exec('ok', 'x').exec('bad', 'x').exec('hung', 'x'), { stopOnError: false })
      .on('error', record({ tag: 'err' }), { inherited: true })
      .on('done', record({ tag: 'done' }), { inherited: true })
      .on('killed', record({ tag: 'killed' }), { inherited: true }));
    const { events } = await runFake(ir, { scripts: { '/p/s/bad': { exitCode: 3 }, '/p/s/hung': { hang: true } }, runId: 'r1' });
    const fired = calls.map((c) => `${c.path} ${c.event} ${c.from}`).sort();
    assert.deepEqual(fired, [
      '/p error /p#err', '/p/s error /p#err', '/p/s/bad error /p#err', '/p/s/hung killed /p#killed', '/p/s/ok done /p#done',
    ]);
    const bad = calls.find((c) => c.path === '/p/s/bad')!;
    assert.deepEqual({ ...bad, at: undefined }, {
      event: 'error', runId: 'r1', pipeline: 'p', path: '/p/s/bad', attempt: 1, state: 'error', previous: 'running',
      reason: 'exit code 3', exitCode: 3, failure: 'exit', at: undefined, from: '/p#err',
    });
    assert.equal(hookEvents(events).length, 5);
    assert.ok(hookEvents(events).every((e) => e.ok && e.hook === 'function test-record'));
    // Every hook event comes before run-finished: the run waits for its hooks.
    assert.equal(events[events.length - 1]!.type, 'run-finished');
  });

  it('not inherited: a hook on a group fires for that group only', async () => {
    await runFake(pipeline('p').serial('s', (s) => s.exec('a', 'x').on('done', record({ tag: 'g' }))));
    assert.deepEqual(calls.map((c) => c.path), ['/p/s']);
  });

  it('on an Exec value (exec().on()), and stateChange once per state of each attempt', async () => {
    const { exec } = await import('../../../core/index.ts');
    const p = pipeline('p').add('a', exec('x').on('stateChange', record({ tag: 's' })));
    await runFake(p);
    assert.deepEqual(calls.map((c) => `${c.previous}→${c.state}`), ['pending→queued', 'queued→running', 'running→done']);
  });

  it('retry fires once per failed attempt, and done once for the attempt that passed', async () => {
    const p = pipeline('p').exec('t', 'x', { retry: { attempts: 3, backoff: { initial: 1, jitter: 0 } } })
      .on('retry', record({ tag: 'r' }), { inherited: true }).on('done', record({ tag: 'd' }), { inherited: true });
    await runFake(p, { scripts: { '/p/t': [{ exitCode: 1 }, { exitCode: 1 }, {}] } });
    assert.deepEqual(calls.filter((c) => c.path === '/p/t').map((c) => `${c.event}@${c.attempt}${c.retry ? ` next ${c.retry.attempt}/${c.retry.of}` : ''}`),
      ['retry@1 next 2/3', 'retry@2 next 3/3', 'done@3']);
  });

  it('a failing hook changes no state: it is a hook event with its error', async () => {
    const { result, events, status } = await runFake(pipeline('p').exec('a', 'x').on('done', boom(), { inherited: true }));
    assert.equal(result.state, 'done');
    assert.equal(status('/p/a').state, 'done');
    const failed = hookEvents(events).filter((e) => !e.ok);
    assert.deepEqual(failed.map((e) => [e.path, e.error]), [['/p/a', 'the chat service is down'], ['/p', 'the chat service is down']]);
  });

  it('an unregistered function, an unreachable webhook and a failing host command fail, recorded, and change nothing', async () => {
    const ir = compile(pipeline('p').exec('a', 'x')
      .on('done', webhook('http://127.0.0.1:9/nothing-listens'))
      .on('done', hostCommand('echo "no luck" >&2; exit 4')));
    ir.root.hooks!.push({ on: 'done', hook: { kind: 'function', name: 'never-registered', args: null }, inherited: false, from: '/p' });
    const { result, events } = await runFake(ir);
    assert.equal(result.state, 'done');
    const errors = hookEvents(events).map((e) => `${e.hook}: ${e.error}`).sort((x, y) => x.localeCompare(y)).reverse();
    assert.equal(errors.length, 3);
    assert.match(errors[0]!, /^webhook http:\/\/127\.0\.0\.1:9\/nothing-listens: /);
    assert.equal(errors[1], 'host echo "no luck" >&2; exit 4: exit code 4: no luck');
    assert.match(errors[2]!, /^function never-registered: no hook function is registered as "never-registered"/);
  });

  it('a host command gets the payload on stdin and in CAISSON_HOOK_* variables', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'caisson-hook-'));
    try {
      const out = join(dir, 'out');
      await runFake(pipeline('p').exec('a', 'x').on('done', hostCommand(`{ echo "$CAISSON_HOOK_PATH $CAISSON_HOOK_EVENT $CAISSON_HOOK_ATTEMPT"; cat; } > ${out}`)));
      const [line, json] = readFileSync(out, 'utf8').split('\n');
      assert.equal(line, '/p done 1');
      assert.equal((JSON.parse(json!) as HookPayload).path, '/p');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fires once per node attempt across resume: the record\'s fired keys are not fired again', async () => {
    const ir = compile(pipeline('p').exec('a', 'x').exec('b', 'x').on('done', record({ tag: 'd' }), { inherited: true }));
    const first = await runFake(ir, { scripts: { '/p/b': { exitCode: 1 } } });
    const fired = hookEvents(first.events).map((e) => e.key);
    assert.deepEqual(calls.map((c) => c.path), ['/p/a']);
    calls.length = 0;
    // What resume reads: the record's log lines, decoded and folded, give back the same keys.
    const projection = new RunProjection();
    for (const e of first.events) if (e.type !== 'output') projection.apply(decodeLogEntry(JSON.parse(JSON.stringify(e)), 'events.jsonl'));
    assert.deepEqual([...projection.firedHooks], fired);
    // A resume: statuses and fired keys from the first run; b is reset and runs again as attempt 2.
    const fake = new FakeRuntimeProvider();
    const again = new Engine(fake, fake.clock).createRun(ir, { initial: first.result.statuses, firedHooks: fired });
    again.reset('/p/b');
    await again.start();
    assert.deepEqual(calls.map((c) => `${c.path}@${c.attempt}`), ['/p/b@2', '/p@2'], 'a is not notified again; b and the root once for their new attempts');
    // And replaying a done event of an attempt that already fired does nothing: only the key counts.
    calls.length = 0;
    const third = new Engine(fake, fake.clock).createRun(ir, { firedHooks: [...fired, '/p/a|1|done|0', '/p/b|1|done|0', '/p|1|done|0'] });
    await third.start();
    assert.deepEqual(calls, []);
  });

  it('the IR holds each node\'s effective hooks with where they were declared; decode keeps them', async () => {
    const ir = compile(pipeline('p').on('error', webhook('https://hooks.example/x', { headers: { authorization: 'Bearer t' } }), { inherited: true })
      .serial('s', (s) => s.exec('a', 'x').on('done', record({ tag: 'own' }))));
    const s = ir.root.kind === 'serial' ? ir.root.children[0]! : undefined;
    const a = s?.kind === 'serial' ? s.children[0]! : undefined;
    assert.deepEqual(a?.hooks?.map((h) => [h.on, h.hook.kind, h.from, h.inherited]), [['error', 'webhook', '/p', true]]);
    assert.deepEqual(s?.hooks?.map((h) => [h.on, h.hook.kind, h.from]), [['error', 'webhook', '/p'], ['done', 'function', '/p/s']]);
    const { decodePipeline } = await import('../../../core/index.ts');
    assert.deepEqual(decodePipeline(JSON.parse(JSON.stringify(ir))), ir);
    assert.throws(() => pipeline('p').on('finished' as never, webhook('http://x')), /\/p: on\(\): event: expected one of "done", "error", "killed", "retry", "stateChange", got "finished"/);
    assert.throws(() => pipeline('p').on('done', 'curl x' as never), /on\(\): hook: expected a hook made by webhook\(\)/);
  });
});
