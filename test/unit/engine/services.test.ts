// Services on the fake runtime's virtual clock: when a group's services start and stop, what their
// states say, each wait kind, failing fast when the container exits (no probe after that), the startup
// timeout, and what Execs of the group see when a service fails; a runtime without services.
import { strict as assert } from 'node:assert';
import { compile, Engine, pipeline } from '../../../core/index.ts';
import type { RunEvent, StateEvent, OutputEvent, RuntimeProvider } from '../../../core/index.ts';
import { FakeRuntimeProvider, runFake } from '../../../plugins/runtime-fake/index.ts';
import { when } from './support.ts';

const phases = (events: RunEvent[], path: string) =>
  events.filter((e): e is StateEvent => e.type === 'state' && e.path === path).map((e) => `${e.state}/${e.service}`);
const at = (events: RunEvent[], path: string, phase: string) =>
  events.find((e): e is StateEvent => e.type === 'state' && e.path === path && e.service === phase)?.at;
const execStart = (events: RunEvent[], path: string) =>
  events.find((e): e is StateEvent => e.type === 'state' && e.path === path && e.state === 'running')?.at;

/** /p/t holds service web (http wait) and Exec get; /p/after runs once /p/t ended. */
const withWeb = (wait: object = { http: '/' }, extra: object = {}) => pipeline('p', { image: 'busybox:latest' })
  .exec('before', 'echo before')
  .serial('t', (s) => s
    .service('web', { command: 'httpd -f -p 8080', ports: 8080, wait, ...extra } as never)
    .exec('get', 'wget -qO- http://web:8080/')
    .exec('again', 'wget -qO- http://web:8080/'))
  .exec('after', 'echo after');

describe('services: lifecycle', () => {
  it('starts before the first Exec of its group, is ready before it runs, and stops when the group ends', async () => {
    const { result, events, fake, status } = await runFake(withWeb(), {
      services: { '/p/t/web': { readyAfter: '3s' } }, scripts: { '/p/after': { duration: '10s' } }, runId: 'r1',
    });
    assert.equal(result.state, 'done');
    assert.deepEqual(phases(events, '/p/t/web'), ['running/starting', 'running/ready', 'done/stopped']);
    const [svc] = fake.servicesOf('/p/t/web');
    assert.ok(svc, 'a service container was started');
    // Not for /p/before (outside the group); before /p/t/get; ready 3 s later, and get runs only then.
    assert.ok(svc.startedAt >= execStart(events, '/p/before')!);
    assert.ok(at(events, '/p/t/web', 'ready')! >= svc.startedAt + 3000);
    assert.ok(execStart(events, '/p/t/get')! <= at(events, '/p/t/web', 'starting')!, 'get is running (waiting) while the service starts');
    const getCall = fake.callsOf('/p/t/get')[0]!;
    assert.ok(getCall.start >= at(events, '/p/t/web', 'ready')!, 'the command runs only once the service is ready');
    // Stopped when /p/t ended (as /p/after starts), not when the run ends.
    const after = fake.callsOf('/p/after')[0]!;
    assert.ok(svc.disposedAt !== undefined && svc.disposedAt === after.start && svc.disposedAt < after.end!);
    assert.ok(at(events, '/p/t/web', 'stopped')! < after.end!);
    assert.equal(fake.services.length, 1, 'one container for both Execs of the group');
    assert.equal(status('/p/t/web').service, 'stopped');
    assert.equal(result.statuses['/p/t/web']?.state, 'done');
  });

  it('joins every container of the run, and the service, to one labelled network, removed by close', async () => {
    const { fake } = await runFake(withWeb(), { runId: 'r1' });
    assert.equal(fake.networks.length, 1);
    const net = fake.networks[0]!;
    assert.equal(net.labels['dev.caisson.run'], 'r1');
    assert.ok(fake.containers.length > 0);
    for (const c of fake.containers) assert.equal(c.spec.network, net.name);
    assert.equal(fake.services[0]!.spec.network, net.name);
    assert.equal(fake.services[0]!.spec.name, 'web', 'reached by its name');
    assert.equal(net.removed, true);
  });

  it('a pipeline without services opens no network and leaves containers on the default one', async () => {
    const { fake } = await runFake(pipeline('p').exec('a', 'x'));
    assert.equal(fake.networks.length, 0);
    assert.equal(fake.containers[0]!.spec.network, undefined);
  });

  it('its output is node output, under its own path and attempt', async () => {
    const { events } = await runFake(withWeb({ log: /listening/ }), {
      services: { '/p/t/web': { output: [{ at: '1s', stdout: 'booting\n' }, { at: '2s', stdout: 'listening on 8080\n' }] } },
    });
    const out = events.filter((e): e is OutputEvent => e.type === 'output' && e.path === '/p/t/web').map((e) => `${e.attempt}:${e.data}`);
    assert.deepEqual(out, ['1:booting\n', '1:listening on 8080\n']);
  });

  it('stops when its group fails (stopOnError), and the rest stays pending', async () => {
    const { events, fake, status } = await runFake(withWeb(), { scripts: { '/p/t/get': { exitCode: 1 } } });
    assert.deepEqual(phases(events, '/p/t/web'), ['running/starting', 'running/ready', 'done/stopped']);
    assert.ok(fake.services[0]!.disposedAt !== undefined);
    assert.equal(status('/p/t/again').state, 'pending');
  });

  it('stops when the group is killed, and when the run is cancelled', async () => {
    for (const how of ['kill', 'cancel'] as const) {
      const fake = new FakeRuntimeProvider().script('/p/t/get', { hang: true });
      const run = new Engine(fake, fake.clock, { capacity: { cpu: 8, mem: 64 } }).createRun(compile(withWeb()));
      const events: RunEvent[] = [];
      run.on((e) => events.push(e));
      const ac = new AbortController();
      const started = when((l) => run.on(l), (e) => e.path === '/p/t/get' && e.state === 'running');
      const done = run.start({ signal: ac.signal });
      await started;
      await when((l) => run.on(l), (e) => e.path === '/p/t/web' && e.service === 'ready');
      if (how === 'kill') run.kill('/p/t'); else ac.abort();
      await done;
      assert.ok(fake.services[0]!.disposedAt !== undefined, `${how}: the service container is removed`);
      assert.equal(run.status('/p/t/web').service, 'stopped', how);
      assert.equal(fake.networks[0]!.removed, true);
    }
  });

  it('a group run again (reset) starts its service again, as attempt 2', async () => {
    const { run, fake } = await runFake(withWeb());
    run.reset('/p/t');
    await run.start();
    assert.equal(fake.services.length, 2);
    assert.equal(run.status('/p/t/web').attempt, 2);
    assert.equal(fake.networks.length, 2, 'close() removed the first start\'s network: the second start opens its own');
  });

  it('a group under a Parallel: its Execs all wait for one start', async () => {
    const p = pipeline('p').parallel('t', (g) => g.service('db', { ports: 5432 }).exec('a', 'x').exec('b', 'y'));
    const { result, fake } = await runFake(p, { services: { '/p/t/db': { readyAfter: '2s' } } });
    assert.equal(result.state, 'done');
    assert.equal(fake.services.length, 1);
    for (const c of fake.calls) assert.ok(c.start >= fake.services[0]!.startedAt + 2000);
  });

  it('an Exec\'s maxTime counts from when its services are ready, not while they start', async () => {
    const p = pipeline('p').serial('t', (s) => s.service('db', { ports: 5432, startupTimeout: '1m' }).exec('a', 'x', { maxTime: 5 }));
    const { status } = await runFake(p, { services: { '/p/t/db': { readyAfter: '20s' } }, scripts: { '/p/t/a': { duration: '3s' } } });
    assert.equal(status('/p/t/a').state, 'done');
  });

  it('services of nested groups: the outer one first, both reached from the inner group', async () => {
    const p = pipeline('p').serial('outer', (o) => o.service('db', {}).serial('inner', (i) => i.service('web', {}).exec('t', 'x')));
    const { fake } = await runFake(p);
    assert.deepEqual(fake.services.map((s) => s.spec.path), ['/p/outer/db', '/p/outer/inner/web']);
  });
});

describe('services: waits', () => {
  const ready = async (wait: object, script: object, extra: object = {}) => {
    const { events, fake, status, result } = await runFake(withWeb(wait, extra), { services: { '/p/t/web': script } });
    return { events, fake, status, result, web: status('/p/t/web'), get: status('/p/t/get') };
  };

  it('port, http, command and healthcheck poll by probe until the script says ready', async () => {
    for (const wait of [{ port: 8080 }, { http: '/' }, { command: 'true' }, { healthcheck: true }]) {
      const { events, fake } = await ready(wait, { readyAfter: '2s' });
      const probes = fake.services[0]!.probes;
      assert.ok(probes.length > 1, `${JSON.stringify(wait)}: polled more than once`);
      assert.ok(at(events, '/p/t/web', 'ready')! >= fake.services[0]!.startedAt + 2000, JSON.stringify(wait));
    }
  });

  it('http: a wrong status keeps it waiting until startupTimeout, and the reason says the last answer', async () => {
    const { web, get } = await ready({ http: '/health', status: 200 }, { httpStatus: 503 }, { startupTimeout: '5s' });
    assert.equal(web.service, 'failed');
    assert.match(web.reason!, /not ready after 5s \(startupTimeout\) waiting for http GET :8080\/health → 200; last answer: status 503/);
    assert.equal(get.state, 'error');
    assert.match(get.reason!, /^service \/p\/t\/web not ready after 5s/);
    assert.equal(get.failure, undefined, 'not retried: the service had its chance');
  });

  it('log: counts matching lines (times)', async () => {
    const { events, fake } = await ready({ log: 'ready', times: 2 }, {
      output: [{ at: '1s', stdout: 'ready one\n' }, { at: '4s', stdout: 'noise\nready two\n' }],
    });
    assert.equal(at(events, '/p/t/web', 'ready'), fake.services[0]!.startedAt + 4000);
  });

  it('all: ready when every wait is', async () => {
    const { events, fake } = await ready({ all: [{ port: 8080 }, { log: 'up' }] }, { output: [{ at: '7s', stdout: 'up\n' }] });
    assert.equal(at(events, '/p/t/web', 'ready'), fake.services[0]!.startedAt + 7000);
  });

  it('no wait and no ports: ready as soon as it started', async () => {
    const p = pipeline('p').serial('t', (s) => s.service('w', {}).exec('a', 'x'));
    const { events } = await runFake(p);
    assert.deepEqual(phases(events, '/p/t/w'), ['running/starting', 'running/ready', 'done/stopped']);
  });

  it('fails fast when the container exits before it is ready: exit code and last lines, and no probe after', async () => {
    const { web, get, fake, status } = await ready({ http: '/' }, {
      readyAfter: 'never', exitAfter: '2s', exitCode: 3, output: [{ at: '1s', stderr: 'httpd: bind: Address in use\n' }],
    });
    assert.equal(web.service, 'failed');
    assert.equal(web.state, 'error');
    assert.equal(web.exitCode, 3);
    assert.match(web.reason!, /exited with code 3 before it was ready \(waiting for http GET :8080\/ → 200\); last output: httpd: bind: Address in use/);
    assert.equal(web.endedAt, fake.services[0]!.startedAt + 2000, 'at the exit, not at the startup timeout');
    assert.ok(fake.services[0]!.probes.every((p) => !p.afterExit), 'no probe ran after the exit');
    assert.match(get.reason!, /^service \/p\/t\/web exited with code 3/);
    assert.equal(status('/p/t/again').state, 'pending');
  });

  it('a healthcheck wait on an image with no HEALTHCHECK fails at once, saying so', async () => {
    const { web } = await ready({ healthcheck: true }, { noHealthcheck: true });
    assert.match(web.reason!, /cannot become ready: the image defines no HEALTHCHECK/);
  });

  it('a container that cannot be created fails the service and the Execs that need it, not the others', async () => {
    const { web, get, status, result } = await ready({ port: 8080 }, { fail: new Error('no such image') });
    assert.match(web.reason!, /could not start: no such image/);
    assert.equal(get.state, 'error');
    assert.equal(status('/p/before').state, 'done');
    assert.deepEqual(result.failed, ['/p/t/get']);
  });

  it('exiting after it was ready fails it; later Execs of the group fail with that reason', async () => {
    const p = pipeline('p').serial('t', (s) => s.service('w', {}).exec('a', 'x', { }).exec('b', 'y'), { stopOnError: false });
    const { status } = await runFake(p, { services: { '/p/t/w': { exitAfter: '1s', exitCode: 2 } }, scripts: { '/p/t/a': { duration: '5s' } } });
    assert.equal(status('/p/t/w').service, 'failed');
    assert.match(status('/p/t/w').reason!, /exited with code 2 while its group ran/);
    assert.equal(status('/p/t/a').state, 'done', 'a running Exec is not interrupted');
    assert.match(status('/p/t/b').reason!, /^service \/p\/t\/w exited with code 2/);
  });
});

describe('services: a runtime without them', () => {
  it('a network that cannot be created fails the services with that reason', async () => {
    const fake = new FakeRuntimeProvider();
    fake.openNetwork = () => Promise.reject(new Error('could not find an available, non-overlapping IPv4 address pool'));
    const { status } = await runFake(withWeb(), { fake });
    assert.equal(status('/p/t/web').reason, 'cannot start: the run\'s network could not be created: could not find an available, non-overlapping IPv4 address pool');
    assert.equal(status('/p/before').state, 'done');
  });

  it('fails the service with a message naming the runtime, and the Execs that need it', async () => {
    const fake = new FakeRuntimeProvider();
    const plain: RuntimeProvider = { name: 'plain', capabilities: fake.capabilities, open: async (r) => { const s = await fake.open(r); return { run: r, acquire: s.acquire, close: s.close }; } };
    const run = new Engine(plain, fake.clock, { capacity: { cpu: 8, mem: 64 } }).createRun(compile(withWeb()));
    await run.start();
    assert.match(run.status('/p/t/web').reason!, /the plain runtime does not run service nodes; run the pipeline on the Docker runtime/);
    assert.equal(run.status('/p/t/get').state, 'error');
    assert.equal(run.status('/p/before').state, 'done');
  });
});
