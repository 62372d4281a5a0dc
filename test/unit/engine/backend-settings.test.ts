// Backend settings in the runtime contract: a node's requiresDocker and dockerRunArgs reach the provider as
// `spec.backend.docker`, and a runtime that does not honour the `docker` namespace fails that node (one
// error naming the node, the option and the runtime) before it is asked for a container.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, Engine, pipeline, reuseKey } from '../../../core/plugin-kit.ts';
import type { ContainerSpec, RunContext, RuntimeProvider, RuntimeSession } from '../../../core/plugin-kit.ts';
import { FakeRuntimeProvider } from '../../../plugins/runtime-fake/index.ts';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'native');

/** A provider that honours only the namespaces given, and records every spec it was asked for. */
class NamespacedProbe implements RuntimeProvider {
  readonly name = 'probe';
  readonly inner = new FakeRuntimeProvider();
  readonly asked: ContainerSpec[] = [];
  readonly capabilities;
  constructor(honours: readonly 'docker'[], hostMounts = true) { this.capabilities = { ...this.inner.capabilities, backendSettings: honours, hostMounts }; }
  async open(run: RunContext): Promise<RuntimeSession> {
    const inner = await this.inner.open(run);
    return { run, close: () => inner.close(), acquire: (spec, signal) => { this.asked.push(spec); return inner.acquire(spec, signal); } };
  }
}

describe('engine: backend settings', () => {
  it('a Docker runtime gets requiresDocker and dockerRunArgs as spec.backend.docker; a node without them gets {}', async () => {
    const probe = new NamespacedProbe(['docker']);
    const run = new Engine(probe, probe.inner.clock).createRun(compile(pipeline('ci', { stopOnError: false })
      .exec('plain', 'make').exec('args', 'make', { dockerRunArgs: ['--init'] }).exec('sock', 'make', { requiresDocker: true })));
    assert.equal((await run.start()).state, 'done');
    assert.deepEqual(probe.asked.map((s) => s.backend), [
      {}, { docker: { requiresDocker: false, runArgs: ['--init'] } }, { docker: { requiresDocker: true, runArgs: [] } },
    ]);
  });

  it('a runtime that does not honour them fails each such node with one error naming node, option and runtime; the others run', async () => {
    const probe = new NamespacedProbe([]);
    const run = new Engine(probe, probe.inner.clock).createRun(compile(pipeline('ci', { stopOnError: false })
      .exec('plain', 'make')
      .exec('args', 'make', { dockerRunArgs: ['--init'] })
      .exec('both', 'make', { requiresDocker: true, dockerRunArgs: '--init' })
      .exec('after', 'make')));
    await run.start();
    const st = run.statuses();
    assert.deepEqual(['/ci/plain', '/ci/args', '/ci/both', '/ci/after'].map((p) => st[p]!.state), ['done', 'error', 'error', 'done']);
    assert.equal(st['/ci/args']!.reason, '/ci/args: dockerRunArgs is Docker-only, and the probe runtime does not honour Docker settings; remove it from this node (or from the group it inherits it from), or run the pipeline on the Docker runtime');
    assert.match(st['/ci/both']!.reason!, /^\/ci\/both: requiresDocker and dockerRunArgs are Docker-only, and the probe runtime does not honour Docker settings; remove them/);
    // Refused before the provider was asked: only the plain nodes' container was created.
    assert.deepEqual(probe.asked.map((s) => s.backend), [{}]);
    // Not retried: it is the pipeline's doing, and another attempt would fail the same way.
    assert.equal(st['/ci/args']!.attempt, 1);
  });

  it('the reuse key still includes the settings', () => {
    const base: ContainerSpec = { image: 'i', cpu: 1, mem: 1, gpu: 0, backend: {}, mounts: [], labels: {}, group: 'global' };
    const keys = [
      base, { ...base, backend: { docker: { requiresDocker: true, runArgs: [] } } }, { ...base, backend: { docker: { requiresDocker: false, runArgs: ['--init'] } } },
    ].map((s) => reuseKey(s));
    assert.equal(new Set(keys).size, 3);
    assert.equal(reuseKey({ ...base, backend: { docker: { requiresDocker: false, runArgs: ['--init'] } } }), keys[2]);
  });

  it('a runtime without host mounts is given no mounts; a native call\'s bundle is copied into its container instead', async () => {
    // Loaded here, not at the top: see test/unit/native/native-dsl.test.ts.
    const { sum } = await import('../../fixtures/native/pipeline.ts');
    const dir = mkdtempSync(join(tmpdir(), 'caisson-bundles-'));
    try {
      writeFileSync(join(dir, 'abc123.mjs'), 'export {};\n');
      const bundler = { dir, bundle: () => Promise.resolve({ file: join(dir, 'abc123.mjs'), hash: 'abc123' }) };
      const probe = new NamespacedProbe(['docker'], false);
      // Scripted, so the fake does not call the function in-process: the copy is what is checked.
      probe.inner.script('/p/sum', {}); probe.inner.script('/p/again', {});
      const opts = { label: 'x', when: new Date(0), tags: new Set<string>(), big: 1n };
      const run = new Engine(probe, probe.inner.clock, { nativeBundler: bundler }).createRun(compile(pipeline('p')
        .exec('plain', 'make').exec('sum', sum, [1], opts).exec('again', sum, [2], opts), { baseDir: fixtures }), { baseDir: fixtures });
      await run.start();
      assert.deepEqual(['/p/plain', '/p/sum', '/p/again'].map((p) => run.status(p).state), ['done', 'done', 'done']);
      assert.deepEqual(probe.asked.map((s) => s.mounts), [[]], 'no mount, and one container for all three');
      const files = probe.inner.containers[0]!.files;
      assert.equal(files.read('/caisson/native/abc123.mjs'), 'export {};\n');
      assert.equal(files.entries.get('/caisson/native/abc123.mjs')?.mode, 0o444);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
