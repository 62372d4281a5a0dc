// `.service()` in the DSL and the IR: wait shorthands, defaults, the images table, one clear error per
// mistake naming the service's path, the IR decoder's checks, pretty().
import { strict as assert } from 'node:assert';
import { compile, decodePipeline, DslError, encodePipeline, image, pipeline, pretty } from '../../../core/index.ts';
import type { ServiceSpec } from '../../../core/index.ts';

const svc = (options: object, name = 'web'): ServiceSpec => {
  const ir = compile(pipeline('p', { image: 'busybox:latest' }).serial('t', (s) => s.service(name, options as never).exec('a', 'x')));
  const t = ir.root.kind !== 'exec' ? ir.root.children[0]! : undefined;
  return (t?.kind === 'serial' ? t.services : undefined)![0]!;
};
const refused = (options: object, message: RegExp) =>
  assert.throws(() => svc(options), (e: unknown) => e instanceof DslError && message.test(e.message) && e.path === '/p/t/web');

describe('services: DSL and IR', () => {
  it('defaults: the group image, 60 s startup timeout, ready when started; ports make a port wait', () => {
    assert.deepEqual(svc({}), { name: 'web', image: 'busybox-latest', env: {}, ports: [], startupTimeout: 60 });
    assert.deepEqual(svc({ ports: 5432 }).wait, { kind: 'port', port: 5432 });
    assert.deepEqual(svc({ ports: [1, 2] }).wait, { kind: 'all', waits: [{ kind: 'port', port: 1 }, { kind: 'port', port: 2 }] });
  });

  it('wait shorthands become tagged waits', () => {
    assert.deepEqual(svc({ ports: 8080, wait: { http: '/h' } }).wait, { kind: 'http', path: '/h', port: 8080, status: 200 });
    assert.deepEqual(svc({ wait: { http: '/', port: 81, status: 204 } }).wait, { kind: 'http', path: '/', port: 81, status: 204 });
    assert.deepEqual(svc({ wait: { log: /ready\d/, times: 2 } }).wait, { kind: 'log', regex: 'ready\\d', times: 2 });
    assert.deepEqual(svc({ wait: { command: 'pg_isready' } }).wait, { kind: 'command', command: 'pg_isready' });
    assert.deepEqual(svc({ wait: { healthcheck: true } }).wait, { kind: 'healthcheck' });
    assert.deepEqual(svc({ wait: { all: [{ port: 1 }, { log: 'x' }] } }).wait, { kind: 'all', waits: [{ kind: 'port', port: 1 }, { kind: 'log', regex: 'x', times: 1 }] });
  });

  it('its own image goes into the images table; startupTimeout takes a duration', () => {
    const p = pipeline('p').serial('t', (s) => s.service('db', { image: image({ ref: 'postgres:16', name: 'pg' }), startupTimeout: '2m' }).exec('a', 'x'));
    const ir = compile(p);
    assert.equal(ir.images.pg?.kind, 'ref');
    const t = ir.root.kind === 'serial' ? ir.root.children[0] : undefined;
    assert.deepEqual(t?.kind === 'serial' && t.services?.[0] && [t.services[0].image, t.services[0].startupTimeout], ['pg', 120]);
  });

  it('one clear error per mistake, naming the service and the field', () => {
    refused({ port: 80 }, /^\/p\/t\/web: port: unknown service option \(known: image, command, env, ports, wait, startupTimeout\)$/);
    refused({ ports: 70000 }, /ports: expected a TCP port .*got 70000/);
    refused({ wait: { http: '/' } }, /wait: an http wait needs a port/);
    refused({ wait: { http: 'health', port: 80 } }, /wait: http: expected a path starting with "\/"/);
    refused({ wait: { log: '(' } }, /wait: regex: expected a regular expression that compiles/);
    refused({ wait: { log: 'x', times: 0 } }, /wait: times: expected a whole number >= 1/);
    refused({ wait: { sleep: 30 } }, /wait: expected one of port, http, log, command, healthcheck or all/);
    refused({ startupTimeout: 'soon' }, /startupTimeout: expected seconds > 0 or a duration/);
    refused({ env: { 'A=B': 'x' } }, /env/);
  });

  it('names: unique among the group\'s children and services, and in the whole pipeline (one network)', () => {
    assert.throws(() => pipeline('p').exec('web', 'x').service('web'), /\/p: a child named "web" already exists/);
    assert.throws(() => pipeline('p').service('web').exec('web', 'x'), /\/p: a service named "web" already exists/);
    assert.throws(() => compile(pipeline('p').serial('a', (s) => s.service('db').exec('x', 'x')).serial('b', (s) => s.service('db').exec('y', 'y'))),
      /^DslError: \/p\/b\/db: a service named "db" is already declared at \/p\/a\/db; services share the run's network/);
  });

  it('decode → encode is the identity; a bad wait in stored IR is one problem with its path', () => {
    const ir = compile(pipeline('p').serial('t', (s) => s.service('web', { ports: 80, wait: { http: '/' } }).exec('a', 'x')));
    const json: unknown = JSON.parse(JSON.stringify(ir));
    assert.deepEqual(encodePipeline(decodePipeline(json)), json);
    const bad = JSON.parse(JSON.stringify(ir)) as { root: { children: [{ services: [{ wait: object }] }] } };
    bad.root.children[0].services[0].wait = { kind: 'tcp', port: 80 };
    assert.throws(() => decodePipeline(bad), /\/p\/t: services\.0\.wait\.kind: expected "port" or "log" or "http" or "command" or "healthcheck" or "all"/);
  });

  it('pretty lists a group\'s services first, marked ◆, with image, command and wait', () => {
    const ir = compile(pipeline('p', { image: 'busybox:latest' }).serial('t', (s) => s.service('web', { command: 'httpd -f', ports: 80, wait: { http: '/' } }).exec('a', 'x')));
    assert.equal(pretty(ir), [
      '/p',
      '└─0 t',
      '  ├─◆ web   service busybox-latest: httpd -f (ready: http GET :80/ → 200)',
      '  └─0 a   x',
    ].join('\n'));
  });
});
