// The result cache on the fake runtime: a hit ends done with the earlier output and no container, a
// miss runs and stores only exit 0, what is in the key (image id, command, env, secrets by hash, input
// file content, upstream keys, runner env), ttl, --no-cache, reset bypass, and the manifest diff of `why`.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, pipeline, secret, staticSecrets } from '../../../core/index.ts';
import type { CacheEvent, CreateRunOptions, RunEvent } from '../../../core/index.ts';
import { diffManifests, LocalResultCache } from '../../../core/plugin-kit.ts';
import { FakeRuntimeProvider, runFake, VirtualClock } from '../../../plugins/runtime-fake/index.ts';

const lookups = (events: RunEvent[]) => events.filter((e): e is CacheEvent => e.type === 'cache');
const output = (events: RunEvent[], path: string) => events.filter((e) => e.type === 'output' && e.path === path).map((e) => (e as { data: string }).data).join('');

describe('result cache (fake runtime)', () => {
  let dir: string;
  let store: LocalResultCache;
  let cache: NonNullable<CreateRunOptions['cache']>;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'caisson-cache-'));
    mkdirSync(join(dir, 'project', 'src'), { recursive: true });
    writeFileSync(join(dir, 'project', 'src', 'a.ts'), 'export const a = 1;\n');
    writeFileSync(join(dir, 'project', 'src', 'b.ts'), 'export const b = 2;\n');
    store = new LocalResultCache(join(dir, 'store'));
    cache = { store, baseDir: join(dir, 'project') };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const ci = (opts: { command?: string; env?: Record<string, string>; inputs?: string[]; ttl?: string } = {}) =>
    pipeline('ci', { image: 'busybox:latest' })
      .exec('build', opts.command ?? 'make', { cache: { inputs: opts.inputs ?? ['src/**/*.ts'], ...(opts.ttl ? { ttl: opts.ttl } : {}) }, env: opts.env ?? { NODE_ENV: 'dev' } })
      .exec('deploy', 'ship');

  it('a hit ends done with the cached mark and the earlier output, without a container; only exit 0 is stored', async () => {
    const first = await runFake(ci(), { cache, runId: 'run-1', scripts: { '/ci/build': { stdout: 'built 42\n' } } });
    assert.deepEqual(lookups(first.events).map((e) => e.decision), ['miss']);
    assert.equal(first.status('/ci/build').cached, undefined);

    const second = await runFake(ci(), { cache, runId: 'run-2', scripts: { '/ci/build': { stdout: 'never runs\n' } } });
    assert.deepEqual(second.fake.ran(), ['/ci/deploy'], 'the cached node ran no command');
    assert.ok(second.fake.containers.every((c) => !c.commands.includes('/ci/build')), 'no container for the hit');
    const s = second.status('/ci/build');
    assert.equal(s.state, 'done');
    assert.equal(s.exitCode, 0);
    assert.deepEqual(s.cached, { runId: 'run-1', at: first.status('/ci/build').endedAt });
    assert.equal(output(second.events, '/ci/build'), 'built 42\n');
    const [hit] = lookups(second.events);
    assert.deepEqual([hit!.decision, hit!.from, hit!.attempt], ['hit', 'run-1', 1]);
    assert.ok(second.events.some((e) => e.type === 'state' && e.path === '/ci/build' && e.state === 'done' && e.cached?.runId === 'run-1'));

    // A failure is not stored: after a failing run with a new key, the next one misses again.
    const failing = await runFake(ci({ command: 'make -j' }), { cache, scripts: { '/ci/build': { exitCode: 2 } } });
    assert.equal(failing.status('/ci/build').state, 'error');
    const again = await runFake(ci({ command: 'make -j' }), { cache });
    assert.deepEqual(lookups(again.events).map((e) => e.decision), ['miss']);
  });

  it('an error suppressed into done is not stored', async () => {
    const p = pipeline('ci').exec('t', 'x', { cache: true, suppressErrors: true });
    await runFake(p, { cache, scripts: { '/ci/t': { exitCode: 1 } } });
    const { events } = await runFake(p, { cache });
    assert.deepEqual(lookups(events).map((e) => e.decision), ['miss']);
  });

  it('the key follows the image id, command, env, input contents (not mtimes) and workdir; nodes without cache are never looked up', async () => {
    await runFake(ci(), { cache });
    const decision = async (p: ReturnType<typeof ci>, images?: Record<string, string | { ref: string; id?: string; workdir?: string }>) =>
      lookups((await runFake(p, { cache, ...(images ? { images } : {}) })).events).map((e) => e.decision).join();
    assert.equal(await decision(ci()), 'hit');
    utimesSync(join(dir, 'project', 'src', 'a.ts'), new Date(0), new Date(0));
    assert.equal(await decision(ci()), 'hit', 'an mtime is not a change');
    assert.equal(await decision(ci({ command: 'make all' })), 'miss');
    assert.equal(await decision(ci({ env: { NODE_ENV: 'prod' } })), 'miss');
    writeFileSync(join(dir, 'project', 'src', 'a.ts'), 'export const a = 2;\n');
    assert.equal(await decision(ci()), 'miss');
    assert.equal(await decision(ci()), 'hit');
    writeFileSync(join(dir, 'project', 'src', 'README.md'), 'not an input\n');
    assert.equal(await decision(ci()), 'hit', 'a file no pattern selects is not an input');
    // The image: by id when the run knows it, not by tag.
    const default_ = compile(ci()).images;
    const name = Object.keys(default_)[0]!;
    assert.equal(await decision(ci(), { [name]: { ref: 'busybox:latest', id: 'sha256:' + '1'.repeat(64) } }), 'miss');
    assert.equal(await decision(ci(), { [name]: { ref: 'busybox:other-tag', id: 'sha256:' + '1'.repeat(64) } }), 'hit');
    assert.equal(await decision(ci(), { [name]: { ref: 'busybox:latest', id: 'sha256:' + '1'.repeat(64), workdir: '/src' } }), 'miss');
  });

  it('secrets are in the key by name and a salted hash of the value, never the value', async () => {
    const p = pipeline('ci').exec('t', 'x', { cache: true, env: { TOKEN: secret('API_TOKEN') } });
    const run = (value: string) => runFake(p, { cache, secrets: staticSecrets({ API_TOKEN: value }) });
    await run('first-secret-value');
    assert.equal(lookups((await run('first-secret-value')).events)[0]!.decision, 'hit');
    const changed = lookups((await run('second-secret-value')).events)[0]!;
    assert.equal(changed.decision, 'miss');
    for (const sub of ['results', 'manifests', 'latest']) {
      for (const f of readdirSync(join(dir, 'store', sub))) {
        const text = readFileSync(join(dir, 'store', sub, f), 'utf8');
        assert.ok(!text.includes('first-secret-value') && !text.includes('second-secret-value'), `${sub}/${f} holds no secret value`);
      }
    }
    const before = store.manifest(changed.previousKey!)!;
    const after = store.manifest(changed.key)!;
    assert.deepEqual(diffManifests(before, after), ['env TOKEN changed (secret API_TOKEN; value not shown)']);
  });

  it('a consumer\'s key holds its input artifacts\' hashes: same bytes hit, changed bytes miss and why names the artifact', async () => {
    const p = pipeline('ci', { image: 'busybox:latest' })
      .exec('build', 'make', { outputs: 'dist' })
      .exec('test', 'run-tests', { inputs: '/ci/build', cache: true });
    const build = (app: string) => ({ '/ci/build': { writes: { 'dist/app': app } } });
    await runFake(p, { cache, scripts: build('v1') });
    const same = await runFake(p, { cache, scripts: build('v1') });
    assert.deepEqual(lookups(same.events).map((e) => e.decision), ['hit'], 'the same build output: the tests are not run again');
    const changed = await runFake(p, { cache, scripts: build('v2') });
    const [e] = lookups(changed.events);
    assert.equal(e!.decision, 'miss', 'a changed build output: the tests run again');
    assert.ok(changed.fake.ran().includes('/ci/test'));
    assert.deepEqual(diffManifests(store.manifest(e!.previousKey!)!, store.manifest(e!.key)!), ['artifact /ci/build dist changed']);
  });

  it('a hit brings back the node\'s declared outputs: its consumers get the same files as from a run', async () => {
    const p = pipeline('ci', { image: 'busybox:latest' })
      .exec('build', 'make', { outputs: 'dist', cache: true })
      .exec('use', 'cat dist/app', { inputs: '/ci/build' });
    await runFake(p, { cache, scripts: { '/ci/build': { writes: { 'dist/app': 'v1' } } } });
    const second = await runFake(p, { cache, scripts: { '/ci/build': { writes: { 'dist/app': 'never written' } } } });
    assert.equal(second.status('/ci/build').cached?.runId !== undefined, true, 'the build was a hit');
    assert.equal(second.status('/ci/use').state, 'done', second.status('/ci/use').reason);
    assert.equal(second.fake.callsOf('/ci/use')[0]!.files?.['/dist/app'], 'v1', 'the consumer got the stored output');
  });

  it('a stored result of a node with outputs but without them (an older cache) is a miss, not a hit that loses files', async () => {
    const p = pipeline('ci', { image: 'busybox:latest' }).exec('build', 'make', { outputs: 'dist', cache: true });
    await runFake(p, { cache, scripts: { '/ci/build': { writes: { 'dist/app': 'v1' } } } });
    const [key] = lookups((await runFake(p, { cache, scripts: { '/ci/build': { writes: { 'dist/app': 'v1' } } } })).events).map((e) => e.key);
    const stored = store.get(key!)!;
    store.put({ ...stored, artifacts: undefined });
    const again = await runFake(p, { cache, scripts: { '/ci/build': { writes: { 'dist/app': 'v1' } } } });
    assert.deepEqual(lookups(again.events).map((e) => e.decision), ['miss']);
  });

  it('cache.env puts runner variables in the key, hashed', async () => {
    const p = pipeline('ci').exec('t', 'x', { cache: { env: ['DEPLOY_TARGET'] } });
    await runFake(p, { cache: { ...cache, runnerEnv: { DEPLOY_TARGET: 'staging' } } });
    const same = await runFake(p, { cache: { ...cache, runnerEnv: { DEPLOY_TARGET: 'staging' } } });
    const other = await runFake(p, { cache: { ...cache, runnerEnv: { DEPLOY_TARGET: 'production' } } });
    assert.deepEqual([lookups(same.events)[0]!.decision, lookups(other.events)[0]!.decision], ['hit', 'miss']);
    const e = lookups(other.events)[0]!;
    assert.deepEqual(diffManifests(store.manifest(e.previousKey!)!, store.manifest(e.key)!), ['runner env DEPLOY_TARGET changed (value not shown)']);
    assert.ok(!JSON.stringify(store.manifest(e.key)).includes('production'));
  });

  it('a cached Exec keys on the cached Execs before it in a Serial, not on Parallel siblings', async () => {
    const p = (buildCmd: string, lintCmd = 'lint') => pipeline('ci', { cache: true })
      .exec('build', buildCmd)
      .parallel('checks', (g) => g.exec('lint', lintCmd).exec('unit', 'test'))
      .exec('package', 'tar');
    await runFake(p('make'), { cache });
    const changedBuild = await runFake(p('make -O2'), { cache });
    assert.deepEqual(lookups(changedBuild.events).map((e) => `${e.path} ${e.decision}`),
      ['/ci/build miss', '/ci/checks/lint miss', '/ci/checks/unit miss', '/ci/package miss']);
    const changedLint = await runFake(p('make -O2', 'lint --fix'), { cache });
    assert.deepEqual(lookups(changedLint.events).map((e) => `${e.path} ${e.decision}`),
      ['/ci/build hit', '/ci/checks/lint miss', '/ci/checks/unit hit', '/ci/package miss']);
    const pkg = lookups(changedLint.events).find((e) => e.path === '/ci/package')!;
    assert.deepEqual(diffManifests(store.manifest(pkg.previousKey!)!, store.manifest(pkg.key)!), ['upstream /ci/checks/lint changed (its key)']);
  });

  it('why: the manifest diff names the image, the command, env values, and input files changed, added, removed', async () => {
    const first = await runFake(ci({ inputs: ['src'] }), { cache });
    writeFileSync(join(dir, 'project', 'src', 'a.ts'), 'changed\n');
    rmSync(join(dir, 'project', 'src', 'b.ts'));
    writeFileSync(join(dir, 'project', 'src', 'c.ts'), 'new\n');
    const name = Object.keys(compile(ci()).images)[0]!;
    const second = await runFake(ci({ inputs: ['src'], env: { NODE_ENV: 'prod' }, command: 'make all' }), { cache, images: { [name]: { ref: 'busybox:latest', id: 'sha256:' + 'a'.repeat(64) } } });
    const e = lookups(second.events)[0]!;
    assert.equal(e.previousKey, lookups(first.events)[0]!.key);
    assert.deepEqual(diffManifests(store.manifest(e.previousKey!)!, store.manifest(e.key)!), [
      'image changed (busybox:latest → sha256:aaaaaaaaaaaa)',
      'command changed',
      'env NODE_ENV dev→prod',
      'src/a.ts changed',
      'src/b.ts removed',
      'src/c.ts added',
    ]);
  });

  it('ttl: a result older than the ttl is not reused (expired), and the fresh one is stored', async () => {
    const at = (ms: number) => new FakeRuntimeProvider(new VirtualClock(Date.UTC(2026, 0, 1) + ms));
    await runFake(ci({ ttl: '1h' }), { cache, fake: at(0) });
    assert.equal(lookups((await runFake(ci({ ttl: '1h' }), { cache, fake: at(59 * 60_000) })).events)[0]!.decision, 'hit');
    const late = await runFake(ci({ ttl: '1h' }), { cache, fake: at(61 * 60_000) });
    assert.equal(lookups(late.events)[0]!.decision, 'expired');
    assert.deepEqual(late.fake.ran(), ['/ci/build', '/ci/deploy']);
    assert.equal(lookups((await runFake(ci({ ttl: '1h' }), { cache, fake: at(62 * 60_000) })).events)[0]!.decision, 'hit');
  });

  it('bypass (--no-cache) runs the node without looking up, and stores its fresh result', async () => {
    await runFake(ci(), { cache, scripts: { '/ci/build': { stdout: 'old\n' } } });
    const bypassed = await runFake(ci(), { cache: { ...cache, bypass: '--no-cache' }, scripts: { '/ci/build': { stdout: 'fresh\n' } } });
    assert.deepEqual(lookups(bypassed.events).map((e) => [e.decision, e.reason]), [['bypass', '--no-cache']]);
    assert.deepEqual(bypassed.fake.ran(), ['/ci/build', '/ci/deploy']);
    const after = await runFake(ci(), { cache });
    assert.equal(output(after.events, '/ci/build'), 'fresh\n');
  });

  it('reset bypasses the cache for the node\'s next run only', async () => {
    await runFake(ci(), { cache });
    const { run, events, fake } = await runFake(ci(), { cache });
    assert.deepEqual(fake.ran(), ['/ci/deploy']);
    run.reset('/ci');
    assert.equal(run.status('/ci/build').bypassCache, true);
    await run.start();
    assert.deepEqual(lookups(events).map((e) => `${e.decision}${e.reason ? ` ${e.reason}` : ''}`), ['hit', 'bypass reset']);
    assert.deepEqual(fake.ran(), ['/ci/deploy', '/ci/build', '/ci/deploy']);
    assert.equal(run.status('/ci/build').bypassCache, undefined);
    assert.equal(run.status('/ci/build').cached, undefined);
    run.reset('/ci/deploy');
    await run.start();
    assert.deepEqual(lookups(events).map((e) => e.decision), ['hit', 'bypass'], 'resetting another node leaves build done');
  });

  it('a run given no cache runs cached nodes as usual', async () => {
    const { fake, events } = await runFake(ci());
    assert.deepEqual(fake.ran(), ['/ci/build', '/ci/deploy']);
    assert.equal(lookups(events).length, 0);
  });

  it('prune: least recently used first out to a size, everything with all, and the cap on put', async () => {
    const p = (n: number) => pipeline('ci').exec('t', `echo ${n}`, { cache: true });
    for (let n = 0; n < 4; n++) await runFake(p(n), { cache, scripts: { '/ci/t': { stdout: 'x'.repeat(1000) } } });
    const files = readdirSync(join(dir, 'store', 'results'));
    assert.equal(files.length, 4);
    // Oldest use first: make result 0 the most recently used.
    const old = new Date(Date.now() - 3600_000);
    for (const f of files) utimesSync(join(dir, 'store', 'results', f), old, old);
    assert.equal(lookups((await runFake(p(0), { cache })).events)[0]!.decision, 'hit');
    const sizeOf = (sub: string) => readdirSync(join(dir, 'store', sub)).reduce((n, f) => n + readFileSync(join(dir, 'store', sub, f)).length, 0);
    const perResult = (sizeOf('results') + sizeOf('manifests')) / 4;
    const report = store.prune({ maxBytes: perResult * 1.5 });
    assert.equal(report.kept, 1);
    assert.equal(report.removed, 3);
    assert.equal(lookups((await runFake(p(0), { cache })).events)[0]!.decision, 'hit', 'the recently used one is kept');
    assert.equal(lookups((await runFake(p(1), { cache })).events)[0]!.decision, 'miss');
    assert.deepEqual(store.prune({ all: true }).kept, 0);
    assert.deepEqual(readdirSync(join(dir, 'store', 'results')), []);
    // The cap applies when storing.
    const small = new LocalResultCache(join(dir, 'small'), 5000);
    for (let n = 0; n < 3; n++) await runFake(p(n), { cache: { store: small, baseDir: dir }, scripts: { '/ci/t': { stdout: 'x'.repeat(1000) } } });
    const smallSize = ['results', 'manifests'].reduce((n, sub) => n + readdirSync(join(dir, 'small', sub)).reduce((m, f) => m + readFileSync(join(dir, 'small', sub, f)).length, 0), 0);
    assert.ok(smallSize <= 5000, `the store stays under its cap (${smallSize} bytes)`);
    assert.ok(readdirSync(join(dir, 'small', 'results')).length < 3, 'older results were evicted');
    assert.equal(lookups((await runFake(p(2), { cache: { store: small, baseDir: dir } })).events)[0]!.decision, 'hit', 'the newest is kept');
  });
});
