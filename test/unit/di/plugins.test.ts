// Plugins are plain objects: createCaisson wires what each contributes, and refuses two contributions
// for one slot with one error naming both plugins.
import { strict as assert } from 'node:assert';
import { compile, createCaisson, image, pipeline, type Plugin } from '../../../core/index.ts';
import { defineImageKind, t } from '../../../core/plugin-kit.ts';
import { fakeRuntime, FakeRuntimeProvider, VIRTUAL_EPOCH } from '../../../plugins/runtime-fake/index.ts';
import { gitImages } from '../../../plugins/image-git/index.ts';
import { FakeImageBuilder } from '../image/support/fake-image-builder.ts';
import { throwsCode } from '../../helpers/errors.ts';
import { tempCacheDir } from '../../helpers/temp-project.ts';

/** An image kind written inline: a base image with a message of the day; `planned` lists the images it planned. */
const motdKind = () => {
  const planned: string[] = [];
  return {
    ...defineImageKind({
      kind: 'motd',
      version: '1',
      params: t.type({ text: t.string }),
      plan: ({ text }, ctx) => {
        planned.push(ctx.image);
        return { context: ctx.emptyContext, dockerfile: `FROM busybox:latest\nRUN echo ${text} > /etc/motd\n` };
      },
    }),
    planned,
  };
};

const ir = () => compile(pipeline('p', { image: image({ provider: 'motd', params: { text: 'hi' }, name: 'm' }) }).exec('a', 'cat /etc/motd'));

describe('plugins as plain objects', () => {
  let restoreCache = () => {};
  beforeEach(() => { restoreCache = tempCacheDir(); });
  afterEach(() => restoreCache());

  it('a plain-object plugin contributes a runtime and an image kind; the run builds the kind and runs on that runtime', async () => {
    const runtime = new FakeRuntimeProvider();
    const kind = motdKind();
    const mine: Plugin = { name: 'mine', runtime, clock: runtime.clock, imageKinds: [kind] };
    const caisson = createCaisson({ plugins: [mine, { name: 'builder', imageBuilder: new FakeImageBuilder() }] });
    assert.equal(caisson.runtime, runtime);
    assert.deepEqual(caisson.images.kinds(), ['motd']);
    const images = await caisson.images.resolveAll(ir());
    assert.deepEqual(kind.planned, ['m']);
    const result = await caisson.engine.createRun(ir(), { images }).start();
    assert.equal(result.state, 'done');
    assert.deepEqual(runtime.calls.map((c) => [c.path, c.image]), [['/p/a', images.m!.ref]]);
    assert.match(images.m!.ref, /^caisson\/m:[0-9a-f]{12}$/);
  });

  it("the fake runtime's virtual clock becomes the engine's: swapping the runtime in a test is one line", async () => {
    const fake = new FakeRuntimeProvider().script('/p/a', { duration: '2h' });
    const { engine } = createCaisson({ plugins: [fakeRuntime(fake)] });
    const run = engine.createRun(compile(pipeline('p').exec('a', 'true', { image: 'busybox:latest' })));
    await run.start();
    assert.equal(run.status('/p/a').startedAt, VIRTUAL_EPOCH);
    assert.equal(fake.calls[0]!.end, VIRTUAL_EPOCH + 2 * 3600_000, 'two virtual hours passed in no real time');
  });

  it('two runtimes are one error naming both plugins', () => {
    const e = throwsCode(() => createCaisson({ plugins: [fakeRuntime(), { name: 'runtime-other', runtime: new FakeRuntimeProvider() }] }),
      'PLUGIN', { plugins: ['runtime-fake', 'runtime-other'], slot: 'runtime' });
    assert.equal(e.message, 'plugins "runtime-fake" and "runtime-other" both contribute a runtime; keep only one of them in createCaisson({ plugins })');
  });

  it('two providers of one image kind are one error naming both plugins and the kind', () => {
    const mine = { name: 'my-git', imageKinds: [{ ...motdKind(), kind: 'git' }] };
    throwsCode(() => createCaisson({ plugins: [fakeRuntime(), gitImages(), mine] }), 'PLUGIN', { plugins: ['image-git', 'my-git'], slot: 'imageKinds', kind: 'git' });
    const twice = throwsCode(() => createCaisson({ plugins: [fakeRuntime(), gitImages(), gitImages()] }), 'PLUGIN', { plugins: ['image-git', 'image-git'] });
    assert.match(twice.message, /plugin "image-git" contributes image kind "git" twice; is it in the plugin list twice\?/);
  });

  it('a malformed plugin is an error naming it and the field', () => {
    const bad = (p: unknown, data: Record<string, unknown>) => throwsCode(() => createCaisson({ plugins: [fakeRuntime(), p as Plugin] }), 'PLUGIN', data);
    bad({ name: 'old', register: () => {} }, { plugins: ['old'] });
    bad({ name: 'typo', imageProviders: [motdKind()] }, { plugins: ['typo'], slot: 'imageProviders' });
    bad({ name: 'one', imageKinds: motdKind() }, { plugins: ['one'], slot: 'imageKinds' });
    bad({ name: 'hollow', imageBuilder: {} }, { plugins: ['hollow'], slot: 'imageBuilder' });
    bad({ name: 'nameless-kind', imageKinds: [{ ...motdKind(), kind: undefined }] }, { plugins: ['nameless-kind'], slot: 'imageKinds' });
    bad({ runtime: new FakeRuntimeProvider() }, { plugins: [] });
  });

  it('no runtime is an error saying which plugins provide one', () => {
    const e = throwsCode(() => createCaisson({ plugins: [gitImages()] }), 'PLUGIN', { slot: 'runtime' });
    assert.match(e.message, /dockerRuntime\(\).*fakeRuntime\(\)/);
  });

  it("a child replaces its parent's contributions slot by slot and leaves the parent as it was", async () => {
    const real = new FakeRuntimeProvider();
    const parent = createCaisson({ plugins: [{ name: 'runtime-real', runtime: real }, gitImages(), { name: 'b', imageBuilder: new FakeImageBuilder() }], capacity: { cpu: 3 } });
    const fake = new FakeRuntimeProvider();
    const child = createCaisson({ parent, plugins: [fakeRuntime(fake), { name: 'motd', imageKinds: [motdKind()] }] });
    assert.equal(child.runtime, fake);
    assert.deepEqual(child.images.kinds(), ['git', 'motd'], "the parent's kinds and the child's");
    assert.equal(child.engine.capacity.cpu, 3, "the parent's capacity");
    assert.equal(parent.runtime, real);
    assert.deepEqual(parent.images.kinds(), ['git']);
    await child.engine.createRun(compile(pipeline('p').exec('a', 'true', { image: 'busybox:latest' }))).start();
    assert.deepEqual([fake.ran(), real.ran()], [['/p/a'], []]);
    throwsCode(() => createCaisson({ parent, plugins: [fakeRuntime(), fakeRuntime()] }), 'PLUGIN', { plugins: ['runtime-fake', 'runtime-fake'] });
  });
});
