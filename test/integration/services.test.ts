/**
 * Services on the real Docker runtime: busybox httpd with an http wait, used by the next node by name on
 * the run's network; a service that exits before it is ready fails fast with its exit code and output;
 * nothing of the run (containers, network) is left afterwards, also after a failure; and after a runner
 * is SIGKILLed, the next start sweeps its service container and network.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline, type RunEvent, type StateEvent } from '../../core/index.ts';
import { DockerRuntimeProvider } from '../../plugins/runtime-docker/index.ts';
import { startCaisson } from '../helpers/cli.ts';
import { docker, listLabelled, requireDocker, uniqueRunId } from '../helpers/docker.ts';
import { runOnDocker } from './support/engine-run.ts';

const phases = (events: RunEvent[], path: string) =>
  events.filter((e): e is StateEvent => e.type === 'state' && e.path === path).map((e) => e.service);
const networksOf = async (runId: string) =>
  (await docker.listNetworks({ filters: { label: [`dev.caisson.run=${runId}`] } })).map((n) => n.Name);
const HTTPD = 'mkdir -p /www && echo "hello from web" > /www/index.html && exec httpd -f -v -p 8080 -h /www';

describe('Docker runtime: services', function () {
  this.timeout(180_000);
  before(async function () { await requireDocker(this); });

  it('busybox httpd with an http wait is reached by name from the next node; nothing is left afterwards', async () => {
    const run = await runOnDocker(pipeline('svc', { image: 'busybox:latest' })
      .serial('t', (s) => s
        .service('web', { command: HTTPD, ports: 8080, wait: { http: '/' } })
        .exec('fetch', 'wget -qO- http://web:8080/')));
    assert.equal(run.result.state, 'done', JSON.stringify(run.result.statuses));
    assert.equal(run.stdoutOf('/svc/t/fetch'), 'hello from web\n');
    assert.deepEqual(phases(run.events, '/svc/t/web'), ['starting', 'ready', 'stopped']);
    // httpd -v logs each request to stderr: the service's output is node output.
    const served = run.events.filter((e) => e.type === 'output' && e.path === '/svc/t/web').map((e) => (e as { data: string }).data).join('');
    assert.match(served, /response:200/);
    assert.deepEqual(await listLabelled(`dev.caisson.run=${run.runId}`), []);
    assert.deepEqual(await networksOf(run.runId), []);
  });

  it('port, log and command waits probe the real container (busybox: shell builtins for the port)', async () => {
    const run = await runOnDocker(pipeline('svc', { image: 'busybox:latest' })
      .serial('t', (s) => s
        .service('web', {
          command: `sleep 1; echo warming up; ${HTTPD.replace('exec httpd -f -v', 'httpd -v')}; echo listening; exec sleep 300`,
          wait: { all: [{ port: 8080 }, { log: /^listening$/ }, { command: 'test -f /www/index.html' }] },
        })
        .exec('fetch', 'wget -qO- http://web:8080/')));
    assert.equal(run.result.state, 'done', JSON.stringify(run.result.statuses));
    assert.equal(run.stdoutOf('/svc/t/fetch'), 'hello from web\n');
    assert.deepEqual(await listLabelled(`dev.caisson.run=${run.runId}`), []);
  });

  it('a port wait on a port nothing listens on fails at startupTimeout, saying so', async () => {
    const run = await runOnDocker(pipeline('svc', { image: 'busybox:latest' })
      .serial('t', (s) => s.service('web', { command: 'exec sleep 300', ports: 9999, startupTimeout: 3 }).exec('fetch', 'true')));
    assert.match(run.result.statuses['/svc/t/web']!.reason!, /^not ready after 3s \(startupTimeout\) waiting for port 9999; last answer: nothing listens on port 9999; no output$/);
    assert.deepEqual(await networksOf(run.runId), []);
  });

  it('a service that exits before it is ready fails fast with its exit code and output; nothing is left', async () => {
    const run = await runOnDocker(pipeline('svc', { image: 'busybox:latest' })
      .serial('t', (s) => s
        .service('web', { command: 'echo "cannot bind" >&2; exit 3', ports: 8080, wait: { http: '/' }, startupTimeout: '2m' })
        .exec('fetch', 'wget -qO- http://web:8080/')));
    const web = run.result.statuses['/svc/t/web']!;
    assert.equal(web.service, 'failed');
    assert.equal(web.exitCode, 3);
    assert.match(web.reason!, /^exited with code 3 before it was ready .*last output: cannot bind/);
    assert.ok(web.endedAt! - web.startedAt! < 60_000, 'it did not wait for the startup timeout');
    assert.equal(run.result.statuses['/svc/t/fetch']?.state, 'error');
    assert.deepEqual(await listLabelled(`dev.caisson.run=${run.runId}`), []);
    assert.deepEqual(await networksOf(run.runId), []);
  });

  it('a failing node of the group stops the service; nothing is left', async () => {
    const run = await runOnDocker(pipeline('svc', { image: 'busybox:latest' })
      .serial('t', (s) => s
        .service('web', { command: HTTPD, ports: 8080 })
        .exec('fail', 'wget -qO- http://web:8080/ && exit 1')));
    assert.equal(run.result.statuses['/svc/t/fail']?.exitCode, 1);
    assert.deepEqual(phases(run.events, '/svc/t/web'), ['starting', 'ready', 'stopped']);
    assert.deepEqual(await listLabelled(`dev.caisson.run=${run.runId}`), []);
    assert.deepEqual(await networksOf(run.runId), []);
  });

  it('after a runner is SIGKILLed, the next start sweeps its service container and its network', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'caisson-svc-kill-'));
    const name = uniqueRunId('svckill').replaceAll('-', '');
    try {
      writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
      writeFileSync(join(dir, 'p.ts'), `
import { pipeline } from ${JSON.stringify(join(import.meta.dirname, '../../core/index.ts'))};
export default pipeline(${JSON.stringify(name)}, { image: 'busybox:latest' })
  .serial('t', (s) => s.service('web', { command: ${JSON.stringify(HTTPD)}, ports: 8080 }).exec('wait', 'echo started; sleep 300'));
`);
      const runner = startCaisson(['run', '--no-typecheck', 'p.ts'], dir, { ...process.env, NO_COLOR: '1' });
      await runner.waitFor((out) => out.includes('| started'), 'the node did not start');
      runner.child.kill('SIGKILL');
      await runner.exited;
      const [service] = await docker.listContainers({ all: true, filters: { label: [`dev.caisson.service=/${name}/t/web`] } });
      assert.ok(service, 'precondition: the service container outlived its runner');
      const runId = service.Labels['dev.caisson.run']!;
      assert.equal((await networksOf(runId)).length, 1, 'precondition: so did the network');
      await new DockerRuntimeProvider().open({ runId: uniqueRunId(), labels: {} });
      assert.deepEqual(await listLabelled(`dev.caisson.run=${runId}`), []);
      assert.deepEqual(await networksOf(runId), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
