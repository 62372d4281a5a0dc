// Retries on the fake runtime's virtual clock: classification of every failure, the rules (first match,
// exit-code lists), attempts, backoff with its cap and deterministic jitter, the budget, what a parent
// sees during the wait, Parallel fan-outs, cancel/resume, kill, reset and skip during the wait, defaults.
import { strict as assert } from 'node:assert';
import { compile, pipeline, RAISE_MEM_HINT, secret } from '../../../core/index.ts';
import type { RetryEvent, RetryOptions, RunEvent, StateEvent } from '../../../core/index.ts';
import { FakeRuntimeProvider, runFake } from '../../../plugins/runtime-fake/index.ts';
import { Engine, ImageNotFoundError } from '../../../core/index.ts';
import { retryDelayMs } from '../../../core/engine/retry-policy.ts';
import { when } from './support.ts';

const retries = (events: RunEvent[]) => events.filter((e): e is RetryEvent => e.type === 'retry');
const states = (events: RunEvent[], path: string) => events.filter((e): e is StateEvent => e.type === 'state' && e.path === path);
const noJitter = (r: RetryOptions): RetryOptions => ({ ...r, backoff: { jitter: 0, ...r.backoff } });
/** One Exec /ci/t under `retry`, scripted by `script`. */
const one = (retry: RetryOptions | number | undefined, script: Parameters<FakeRuntimeProvider['script']>[1], extra = {}) =>
  runFake(pipeline('ci', retry === undefined ? {} : { retry }).exec('t', 'x', extra), { scripts: { '/ci/t': script }, runId: 'run-1' });

describe('retries: classification of failures', () => {
  const classOf = async (script: Parameters<FakeRuntimeProvider['script']>[1], extra = {}) => {
    const { status } = await one({ attempts: 1 }, script, extra);
    return status('/ci/t').failure;
  };

  it('a non-zero exit is exit, an OOM kill oom, a maxTime kill timeout, a runtime failure infra', async () => {
    assert.equal(await classOf({ exitCode: 3 }), 'exit');
    assert.equal(await classOf({ oom: true }), 'oom');
    assert.equal(await classOf({ hang: true }, { maxTime: 10 }), 'timeout');
    assert.equal(await classOf({ fail: new Error('daemon gone') }), 'infra');
  });

  it('a missing image (container create fails) is infra', async () => {
    const fake = new FakeRuntimeProvider().failImage('ghost:1');
    const { status } = await runFake(pipeline('ci', { image: 'ghost:1', retry: 1 }).exec('t', 'x'), { fake });
    assert.equal(status('/ci/t').failure, 'infra');
  });

  it('kill() by the user is killed; cancel is no failure at all and is never retried', async () => {
    const fake = new FakeRuntimeProvider().script('/ci/t', { hang: true });
    const engine = new Engine(fake, fake.clock, { capacity: { cpu: 8, mem: 64 } });
    const run = engine.createRun(compile(pipeline('ci', { retry: { rules: [{ failure: 'killed', action: 'fail' }] } }).exec('t', 'x')));
    const started = run.start();
    await when((l) => run.on(l), (e) => e.path === '/ci/t' && e.state === 'running');
    run.kill('/ci/t');
    await started;
    assert.deepEqual([run.status('/ci/t').state, run.status('/ci/t').failure], ['killed', 'killed']);

    const ac = new AbortController();
    const { status, fake: f2 } = await runFake(pipeline('ci', { retry: { attempts: 5, rules: [{ failure: 'killed', action: 'retry' }, { failure: 'infra', action: 'retry' }] } }).exec('t', 'x'),
      { scripts: { '/ci/t': { hang: true } }, signal: ac.signal, fake: (() => { const p = new FakeRuntimeProvider(); p.clock.setTimer(() => ac.abort(), 1000); return p; })() });
    assert.deepEqual([status('/ci/t').state, status('/ci/t').reason, status('/ci/t').failure, f2.calls.length], ['killed', 'cancelled', undefined, 1]);
  });

  it('an OOM failure fails by default with the raise-mem hint', async () => {
    const { status, fake } = await one(undefined, { oom: true }, { mem: 0.5 });
    assert.equal(fake.calls.length, 1);
    assert.equal(status('/ci/t').reason, `out of memory (mem=0.5 GB); ${RAISE_MEM_HINT}`);
  });

  it('failures the pipeline causes (a missing secret, a node that never fits) are never retried', async () => {
    const { status, fake } = await runFake(pipeline('ci', { retry: { attempts: 3, rules: [{ failure: 'infra', action: 'retry' }, { failure: 'exit', action: 'retry' }] } })
      .exec('t', 'x', { env: { TOKEN: secret('NOPE_NOT_SET') } }), { secrets: { get: () => undefined, howToSet: () => 'set it' } });
    assert.deepEqual([status('/ci/t').state, status('/ci/t').failure, fake.calls.length], ['error', undefined, 0]);
    const big = await runFake(pipeline('ci', { retry: 5 }).exec('t', 'x', { mem: 100 }), { capacity: { cpu: 8, mem: 4 } });
    assert.deepEqual([big.status('/ci/t').state, big.status('/ci/t').attempt, big.fake.calls.length], ['error', 0, 0]);
  });
});

describe('retries: rules', () => {
  it('defaults with no retry option: infra is tried 3 times in all, an exit is not retried', async () => {
    const infra = await one(undefined, { fail: new Error('daemon gone') });
    assert.deepEqual([infra.fake.calls.length, infra.status('/ci/t').state, infra.status('/ci/t').attempt], [3, 'error', 3]);
    const exit = await one(undefined, { exitCode: 1 });
    assert.equal(exit.fake.calls.length, 1);
    const passes = await one(undefined, [{ fail: new Error('daemon gone') }, {}]);
    assert.deepEqual([passes.status('/ci/t').state, passes.status('/ci/t').retry?.attempt], ['done', 2]);
  });

  it('a retry option without rules retries any non-zero exit, not oom or timeout', async () => {
    assert.equal((await one(3, { exitCode: 7 })).fake.calls.length, 3);
    assert.equal((await one(3, { oom: true })).fake.calls.length, 1);
    assert.equal((await one(3, { hang: true }, { maxTime: 5 })).fake.calls.length, 1);
  });

  it('first match wins, in order', async () => {
    const failFirst = await one({ attempts: 3, rules: [{ exitCode: 2, action: 'fail' }, { failure: 'exit', action: 'retry' }] }, { exitCode: 2 });
    assert.equal(failFirst.fake.calls.length, 1);
    const retryFirst = await one({ attempts: 3, rules: [{ failure: 'exit', action: 'retry' }, { exitCode: 2, action: 'fail' }] }, { exitCode: 2 });
    assert.equal(retryFirst.fake.calls.length, 3);
  });

  it('an exit-code list matches each of its codes and no other; unmatched non-infra failures fail', async () => {
    const rules: RetryOptions = { attempts: 4, rules: [{ exitCode: [75, 111], action: 'retry' }] };
    assert.equal((await one(rules, [{ exitCode: 75 }, { exitCode: 111 }, { exitCode: 1 }])).fake.calls.length, 3);
    assert.equal((await one(rules, { exitCode: 1 })).fake.calls.length, 1);
    assert.equal((await one(rules, { fail: new Error('gone') })).fake.calls.length, 4, 'infra matches no rule: still retried');
    assert.equal((await one({ attempts: 4, rules: [{ failure: 'infra', action: 'fail' }] }, { fail: new Error('gone') })).fake.calls.length, 1);
  });

  it('oom and timeout are retried when a rule says so', async () => {
    const oom = await one({ attempts: 2, rules: [{ failure: 'oom', action: 'retry' }] }, [{ oom: true }, {}]);
    assert.deepEqual([oom.fake.calls.length, oom.status('/ci/t').state], [2, 'done']);
    const slow = await one({ attempts: 2, rules: [{ failure: 'timeout', action: 'retry' }] }, [{ hang: true }, {}], { maxTime: 5 });
    assert.deepEqual([slow.fake.calls.length, slow.status('/ci/t').state], [2, 'done']);
  });

  it('attempts exhausted: the last failure stands, with its reason; every attempt keeps its own container and output', async () => {
    const { status, fake, events } = await one(noJitter({ attempts: 3 }), [{ exitCode: 1, stdout: 'one' }, { exitCode: 1, stdout: 'two' }, { exitCode: 4, stdout: 'three' }]);
    assert.deepEqual([status('/ci/t').state, status('/ci/t').reason, status('/ci/t').attempt, status('/ci/t').retry?.attempt], ['error', 'exit code 4', 3, 3]);
    const out = events.filter((e) => e.type === 'output').map((e) => [e.attempt, e.data]);
    assert.deepEqual(out, [[1, 'one'], [2, 'two'], [3, 'three']]);
    assert.equal(fake.calls.length, 3);
    assert.deepEqual(events.filter((e) => e.type === 'container').map((e) => e.attempt), [1, 2, 3], 'each attempt records its container');
    assert.deepEqual(retries(events).map((r) => [r.failed, r.failure, r.exitCode, r.attempt, r.of]), [[1, 'exit', 1, 2, 3], [2, 'exit', 1, 3, 3]]);
  });

  it('suppressErrors applies to the last attempt only', async () => {
    const { status, fake } = await one(2, { exitCode: 1 }, { suppressErrors: true });
    assert.deepEqual([fake.calls.length, status('/ci/t').state], [2, 'done']);
  });
});

describe('retries: backoff on the virtual clock', () => {
  const gaps = (fake: FakeRuntimeProvider) => fake.calls.slice(1).map((c, i) => c.start - fake.calls[i]!.end!);

  it('initial × factor per retry, capped at max', async () => {
    const { fake } = await one({ attempts: 6, backoff: { initial: '1s', factor: 3, max: 20, jitter: 0 } }, { exitCode: 1 });
    assert.deepEqual(gaps(fake), [1000, 3000, 9000, 20000, 20000]);
  });

  it('defaults: 2s doubling, 1m at most, 20% jitter', () => {
    for (const [attempt, base] of [[2, 2000], [3, 4000], [5, 16000], [9, 60000]] as const) {
      const d = retryDelayMs({}, attempt, 'r', '/p');
      assert.ok(d >= base * 0.8 && d <= Math.min(60000, base * 1.2), `try ${attempt}: ${d}`);
    }
  });

  it('jitter is deterministic per run id and node path, within ±jitter, never past max', async () => {
    const policy = { attempts: 4, backoff: { initial: 10, factor: 1, max: 11, jitter: 0.5 } };
    const a = await one(policy, { exitCode: 1 });
    const b = await one(policy, { exitCode: 1 });
    assert.deepEqual(gaps(a.fake), gaps(b.fake));
    for (const g of gaps(a.fake)) assert.ok(g >= 5000 && g <= 11000, String(g));
    const other = [1, 2, 3, 4, 5].map((i) => retryDelayMs(policy, 2, `run-${i}`, '/ci/t'));
    assert.ok(new Set(other).size > 1, 'another run id gives other delays');
    assert.notEqual(retryDelayMs(policy, 2, 'run-1', '/ci/t'), retryDelayMs(policy, 2, 'run-1', '/ci/u'));
  });

  it('initial 0 retries at once', async () => {
    const { fake } = await one({ attempts: 2, backoff: { initial: 0 } }, { exitCode: 1 });
    assert.deepEqual(gaps(fake), [0]);
  });

  it('the budget stops retries whose start would fall past it, and says so', async () => {
    const { fake, status } = await one({ attempts: 10, budget: '30s', backoff: { initial: 10, factor: 1, jitter: 0 } }, { exitCode: 1, duration: '1s' });
    // tries start at 0, 11, 22; a fourth would start at 33 > 30.
    assert.equal(fake.calls.length, 3);
    assert.equal(status('/ci/t').reason, 'exit code 1 (retry budget of 30s used up)');
  });
});

describe('retries: what the tree shows during the wait', () => {
  it('running → queued with "exit code 1; retry 2/3 in 8s", never error; a stopOnError Serial parent never errs', async () => {
    const { events, status } = await runFake(
      pipeline('ci').serial('s', (s) => s.exec('t', 'x', { retry: noJitter({ attempts: 3, backoff: { initial: 8 } }) }).exec('after', 'y')),
      { scripts: { '/ci/s/t': [{ exitCode: 1 }, {}] } },
    );
    const t = states(events, '/ci/s/t').map((e) => [e.previous, e.state, e.reason ?? '']);
    assert.deepEqual(t, [['pending', 'queued', ''], ['queued', 'running', ''], ['running', 'queued', 'exit code 1; retry 2/3 in 8s'], ['queued', 'queued', ''], ['queued', 'running', ''], ['running', 'done', '']]);
    for (const p of ['/ci/s', '/ci']) assert.ok(!states(events, p).some((e) => e.state === 'error'), `${p} never shows error`);
    assert.deepEqual([status('/ci/s/after').state, status('/ci').state], ['done', 'done']);
  });

  it('a waiting node holds no admission gate: its sibling under maxConcurrent 1 runs meanwhile', async () => {
    const { fake } = await runFake(
      pipeline('ci').parallel('p', (p) => p.exec('a', 'x', { retry: noJitter({ attempts: 2, backoff: { initial: 60 } }) }).exec('b', 'y'), { maxConcurrent: 1 }),
      { scripts: { '/ci/p/a': [{ exitCode: 1 }, {}], '/ci/p/b': { duration: '10s' } } },
    );
    assert.deepEqual(fake.calls.map((c) => [c.path, c.start - fake.calls[0]!.start]), [['/ci/p/a', 0], ['/ci/p/b', 0], ['/ci/p/a', 60000]]);
  });

  it('under a Parallel fan-out every child retries on its own; the inherited policy reaches all of them', async () => {
    const { fake, status, events } = await runFake(
      pipeline('ci', { retry: noJitter({ attempts: 3, backoff: { initial: 1 } }) }).parallel('p', (p) => p.exec('a', 'x').exec('b', 'x').exec('c', 'x').exec('d', 'x')),
      { scripts: { '/ci/p/a': [{ exitCode: 1 }, {}], '/ci/p/b': [{ exitCode: 1 }, { exitCode: 1 }, {}], '/ci/p/c': { exitCode: 1 } } },
    );
    assert.deepEqual(['a', 'b', 'c', 'd'].map((n) => [status(`/ci/p/${n}`).state, status(`/ci/p/${n}`).attempt]), [['done', 2], ['done', 3], ['error', 3], ['done', 1]]);
    assert.equal(fake.calls.length, 9);
    assert.equal(retries(events).length, 5);
    assert.ok(!states(events, '/ci/p').some((e) => e.state === 'error' && e.at < fake.clock.now()), 'the Parallel errs only at the end');
  });
});

describe('retries: run controls during the wait', () => {
  const waitingRun = (retry: RetryOptions = noJitter({ attempts: 3, backoff: { initial: 30 } })) => {
    const fake = new FakeRuntimeProvider().script('/ci/s/t', [{ exitCode: 1 }, { exitCode: 1 }, {}]);
    const engine = new Engine(fake, fake.clock, { capacity: { cpu: 8, mem: 64 } });
    const run = engine.createRun(compile(pipeline('ci').serial('s', (s) => s.exec('t', 'x', { retry }).exec('after', 'y'))), { runId: 'r' });
    const waiting = () => when((l) => run.on(l), (e) => e.path === '/ci/s/t' && e.state === 'queued' && !!e.reason?.includes('retry'));
    return { fake, run, waiting };
  };

  it('cancel during the wait: pending, keeps its place in the series; the next start continues with attempt 2 of 3', async () => {
    const { fake, run, waiting } = waitingRun();
    const ac = new AbortController();
    const started = run.start({ signal: ac.signal });
    await waiting();
    ac.abort();
    await started;
    assert.deepEqual([run.status('/ci/s/t').state, run.status('/ci/s/t').retry?.attempt, run.status('/ci/s/after').state], ['pending', 2, 'pending']);
    const result = await run.start();
    assert.deepEqual(fake.calls.filter((c) => c.path === '/ci/s/t').map((c) => c.attempt), [1, 2, 3], 'attempts 2 and 3, no fresh series');
    assert.deepEqual([result.state, run.status('/ci/s/t').attempt, run.status('/ci/s/t').retry?.attempt], ['done', 3, 3]);
  });

  it('cancel during the wait, then a restored run (resume) continues the series from the statuses', async () => {
    const { run, waiting } = waitingRun();
    const ac = new AbortController();
    const started = run.start({ signal: ac.signal });
    await waiting();
    ac.abort();
    await started;
    const fake = new FakeRuntimeProvider().script('/ci/s/t', { exitCode: 1 });
    const engine = new Engine(fake, fake.clock, { capacity: { cpu: 8, mem: 64 } });
    const resumed = engine.createRun(run.ir, { runId: 'r', initial: run.statuses() });
    const events: RunEvent[] = [];
    resumed.on((e) => events.push(e));
    await resumed.start();
    assert.equal(fake.calls.length, 2, 'tries 2 and 3 only');
    assert.deepEqual(fake.calls.map((c) => c.attempt), [2, 3]);
    assert.deepEqual(retries(events).map((r) => `${r.attempt}/${r.of}`), ['3/3']);
  });

  it('kill during the wait: killed at once, the timer cleared', async () => {
    const { fake, run, waiting } = waitingRun();
    const started = run.start();
    await waiting();
    run.kill('/ci/s');
    const result = await started;
    assert.deepEqual([run.status('/ci/s/t').state, run.status('/ci/s/t').reason, fake.calls.length, result.state], ['killed', 'killed by user', 1, 'error']);
  });

  it('reset during the wait: back to pending and a fresh series (3 more tries)', async () => {
    const { fake, run, waiting } = waitingRun();
    fake.script('/ci/s/t', { exitCode: 1 });
    const started = run.start();
    await waiting();
    run.reset('/ci/s/t');
    await started;
    assert.equal(fake.calls.length, 4, '1 before the reset, then 3 tries');
    assert.deepEqual([run.status('/ci/s/t').attempt, run.status('/ci/s/t').retry?.attempt], [4, 3]);
  });

  it('skip during the wait: the timer is cleared and the node is passed over', async () => {
    const { fake, run, waiting } = waitingRun();
    const started = run.start();
    await waiting();
    run.skip('/ci/s/t');
    const result = await started;
    assert.deepEqual([fake.calls.map((c) => c.path), result.state], [['/ci/s/t', '/ci/s/after'], 'done']);
  });

  it('the retry event and a state with the series travel on the events; flaky passes show in the statuses', async () => {
    const { events, status } = await one(noJitter({ attempts: 3, backoff: { initial: 8 } }), [{ exitCode: 1 }, {}]);
    assert.deepEqual(retries(events).map(({ type, path, failed, failure, exitCode, reason, attempt, of, delayMs }) => ({ type, path, failed, failure, exitCode, reason, attempt, of, delayMs })),
      [{ type: 'retry', path: '/ci/t', failed: 1, failure: 'exit', exitCode: 1, reason: 'exit code 1', attempt: 2, of: 3, delayMs: 8000 }]);
    assert.deepEqual([status('/ci/t').state, status('/ci/t').retry?.attempt, status('/ci/t').retry?.of], ['done', 2, 3]);
  });
});

describe('retries: image missing on the first attempt, found by a later one', () => {
  it('infra: the container cannot be created at first, then can', async () => {
    const fake = new FakeRuntimeProvider();
    let creates = 0;
    const acquire = fake.acquire.bind(fake);
    fake.acquire = (spec, signal, run) => (++creates === 1 ? Promise.reject(new ImageNotFoundError(spec.image, 'not there yet')) : acquire(spec, signal, run));
    const { status } = await runFake(pipeline('ci').exec('t', 'x'), { fake });
    assert.deepEqual([status('/ci/t').state, status('/ci/t').attempt, creates], ['done', 2, 2]);
  });
});

describe('retries: the option', () => {
  it('is inherited (a nearer retry replaces the whole policy) and the IR holds JSON with seconds', () => {
    const ir = compile(pipeline('ci', { retry: { attempts: 4, backoff: { initial: '1m30s', max: '5m' }, budget: '1h' } })
      .exec('a', 'x').serial('s', (s) => s.exec('b', 'y'), { retry: 2 }));
    const [a, s] = ir.root.kind === 'serial' ? ir.root.children : [];
    assert.deepEqual(a!.retry, { attempts: 4, backoff: { initial: 90, max: 300 }, budget: 3600 });
    assert.deepEqual(s?.kind === 'serial' && s.children[0]!.retry, { attempts: 2 });
  });

  it('a pipeline that does not use retry has no retry field anywhere', () => {
    assert.ok(!JSON.stringify(compile(pipeline('ci').exec('a', 'x'))).includes('retry'));
  });

  it('bad values are one error naming the node, the option and the field', () => {
    const bad = (retry: unknown) => { try { pipeline('ci').exec('t', 'x', { retry } as never); } catch (e) { return (e as Error).message; } return 'accepted'; };
    assert.equal(bad(0), '/ci/t: retry.attempts: expected a whole number of attempts >= 1 (total tries, the first included), got 0');
    assert.equal(bad({ attempt: 3 }), '/ci/t: retry: unknown field (known: attempts, backoff, budget, rules), got "attempt"');
    assert.equal(bad({ backoff: { factor: 0.5 } }), '/ci/t: retry.backoff.factor: expected a factor >= 1, got 0.5');
    assert.equal(bad({ backoff: { jitter: 2 } }), '/ci/t: retry.backoff.jitter: expected a fraction from 0 to 1, got 2');
    assert.equal(bad({ budget: 'soon' }), '/ci/t: retry.budget: expected seconds > 0 or a duration like "90s", got "soon"');
    assert.equal(bad({ rules: [{ exitCode: 0, action: 'retry' }] }), '/ci/t: retry.rules.0.exitCode: expected an exit code (a whole number 1-255) or a non-empty list of them, got 0');
    assert.equal(bad({ rules: [{ failure: 'flaky', action: 'retry' }] }), '/ci/t: retry.rules.0.failure: expected one of "oom", "timeout", "infra", "killed", "exit", got "flaky"');
    assert.equal(bad({ rules: [{ exitCode: 1, failure: 'oom', action: 'retry' }] }), '/ci/t: retry.rules.0: expected a rule with exactly one of exitCode or failure, got {"exitCode":1,"failure":"oom","action":"retry"}');
    assert.equal(bad({ rules: [{ exitCode: 1, action: 'again' }] }), '/ci/t: retry.rules.0.action: expected "retry" or "fail", got "again"');
    assert.equal(bad('3'), '/ci/t: retry: expected a number of attempts or { attempts, backoff, budget, rules }, got "3"');
  });

  it('the IR decoder checks the same rules and round-trips', async () => {
    const { decodePipeline, encodePipeline } = await import('../../../core/index.ts');
    const ir = compile(pipeline('ci', { retry: { attempts: 2, rules: [{ exitCode: [1, 2], action: 'retry' }] } }).exec('a', 'x'));
    assert.deepEqual(encodePipeline(decodePipeline(JSON.parse(JSON.stringify(ir)))), ir);
    const broken = JSON.parse(JSON.stringify(ir));
    broken.root.children[0].retry = { attempts: 1.5 };
    assert.throws(() => decodePipeline(broken), /\/ci\/a: retry\.attempts: expected a whole number of attempts >= 1/);
  });
});

describe('retries: the wall clock', () => {
  it('a retry wait keeps the process alive (a maxTime timer does not)', async () => {
    const { systemClock } = await import('../../../core/index.ts');
    const wait = systemClock.setTimer(() => {}, 60_000, { keepAlive: true }) as NodeJS.Timeout;
    const limit = systemClock.setTimer(() => {}, 60_000) as NodeJS.Timeout;
    try {
      assert.deepEqual([wait.hasRef(), limit.hasRef()], [true, false]);
    } finally {
      systemClock.clearTimer(wait);
      systemClock.clearTimer(limit);
    }
  });
});
