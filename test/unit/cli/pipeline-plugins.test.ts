// What a pipeline file's `plugins` export may hold: plain-object plugins, whichever of their fields they use.
import { strict as assert } from 'node:assert';
import { pluginsOf } from '../../../cli/pipeline-plugins.ts';
import { filesImages } from '../../../examples/custom-image-provider/files-image-provider.ts';
import { fakeRuntime } from '../../../plugins/runtime-fake/index.ts';

describe('caisson command: a pipeline file\'s plugins export', () => {
  it('takes a plugin that only adds image kinds, and one that only registers', () => {
    const plugins = [filesImages(), fakeRuntime()];
    assert.deepEqual(pluginsOf({ plugins }, 'p.ts'), plugins);
  });

  it('refuses anything that contributes nothing, or a field of the wrong shape, as one usage error', () => {
    for (const bad of [{ name: 'nothing' }, { name: 'x', register: 1 }, { name: 'x', imageKinds: 'files' }, { register: () => {} }]) {
      assert.throws(() => pluginsOf({ plugins: [bad] }, 'p.ts'), /^UsageError: p\.ts: export "plugins" must be an array of plugins/, JSON.stringify(bad));
    }
  });
});
