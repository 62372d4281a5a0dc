// A run creates containers from the images it was given (what the image service resolved), and runs
// commands with the shell and working dir those images were resolved with.
import { strict as assert } from 'node:assert';
import { Engine } from '../../../core/index.ts';
import { FakeRuntimeProvider } from '../../../plugins/runtime-fake/index.ts';
import { exec, pipeline, serial } from '../../helpers/ir.ts';

const tree = () => pipeline(serial('p', [exec('a', 'echo a'), exec('b', 'echo b', { image: 'tools' })]));

async function runWith(images?: Record<string, string | { ref: string; shell?: string; workdir?: string }>) {
  const fake = new FakeRuntimeProvider();
  const run = new Engine(fake, fake.clock, { capacity: { cpu: 4, mem: 8 } }).createRun(tree(), images ? { images } : {});
  const result = await run.start();
  return { fake, result };
}

describe('engine: images a run is given', () => {
  it('uses the IR references when the run is given none', async () => {
    const { fake } = await runWith();
    assert.deepEqual(fake.calls.map((c) => [c.path, c.image, c.shell, c.workdir]), [
      ['/p/a', 'img:latest', undefined, undefined],
      ['/p/b', 'tools:latest', undefined, undefined],
    ]);
  });

  it('creates containers from resolved references and passes their shell and working dir', async () => {
    const { fake, result } = await runWith({
      img: 'caisson/img:0123456789ab',
      tools: { ref: 'caisson/tools:ba9876543210', shell: '/bin/ash', workdir: '/mnt/caisson' },
    });
    assert.equal(result.state, 'done');
    assert.deepEqual(fake.calls.map((c) => [c.path, c.image, c.shell, c.workdir]), [
      ['/p/a', 'caisson/img:0123456789ab', undefined, undefined],
      ['/p/b', 'caisson/tools:ba9876543210', '/bin/ash', '/mnt/caisson'],
    ]);
  });

  it('fails the node, naming it and the image, when an image is neither in the IR nor resolved', async () => {
    const ir = tree();
    delete (ir.images as Record<string, unknown>).tools;
    const fake = new FakeRuntimeProvider();
    const run = new Engine(fake, fake.clock).createRun(ir);
    const result = await run.start();
    assert.deepEqual(result.failed, ['/p/b']);
    assert.match(run.status('/p/b').reason!, /^\/p\/b: image "tools" is not in the pipeline's images table/);
  });

  it('a built image that was not resolved fails its node saying so (not that it is missing from the table)', async () => {
    const ir = tree();
    (ir.images as Record<string, unknown>).tools = { kind: 'dockerfile', name: 'tools', dir: '/x', dockerAutoWorkdir: true, dockerfileText: 'FROM a' };
    const fake = new FakeRuntimeProvider();
    const run = new Engine(fake, fake.clock).createRun(ir);
    const result = await run.start();
    assert.deepEqual(result.failed, ['/p/b']);
    assert.match(run.status('/p/b').reason!, /^\/p\/b: image "tools" is built \(kind dockerfile\) and was not resolved for this run; resolve images first/);
  });
});
