// The CLI decides from what a runtime declares (RuntimeProvider.capabilities, .debug), never from its name:
// images or placeholders, the native bundler or none, debug shells or a clear refusal.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, image, pipeline, type RunMeta, type RuntimeCapabilities, type RuntimeProvider } from '../../../core/plugin-kit.ts';
import { debugShells, nativePlugins, runtimeProvider, RUNTIME_NAMES } from '../../../cli/runtimes.ts';
import { rebuildImages } from '../../../cli/records/run-images.ts';
import { rejectsCode } from '../../helpers/errors.ts';

const ROOT = join(import.meta.dirname, '../../..');

/** A provider that only declares; nothing here opens it. */
const declaring = (name: string, caps: Partial<RuntimeCapabilities>): RuntimeProvider => ({
  name, open: () => Promise.reject(new Error('not opened in this test')),
  capabilities: { images: 'local', hostMounts: true, native: 'bundled', warmContainers: false, backendSettings: ['docker'], ...caps },
});

describe('cli: runtime capabilities drive its choices', () => {
  it('every --runtime declares its capabilities: docker builds into the local daemon and debugs, fake uses no images', async () => {
    const docker = await runtimeProvider('docker');
    const fake = await runtimeProvider('fake');
    assert.deepEqual([docker.capabilities.images, docker.capabilities.native, docker.capabilities.hostMounts, typeof docker.debug?.start], ['local', 'bundled', true, 'function']);
    assert.deepEqual([fake.capabilities.images, fake.capabilities.native, fake.debug], ['none', 'in-process', undefined]);
    for (const name of RUNTIME_NAMES) assert.match((await runtimeProvider(name)).capabilities.images, /^(local|registry|none)$/, name);
  });

  it('the native bundler comes with a runtime whose containers run bundles, whatever its name', async () => {
    assert.equal((await nativePlugins(declaring('fake', { native: 'bundled' }))).length, 1);
    assert.ok((await nativePlugins(declaring('fake', { native: 'bundled' })))[0]!.nativeBundler);
    assert.deepEqual(await nativePlugins(declaring('docker', { native: 'in-process' })), []);
  });

  it('a record of a runtime without images rebuilds to placeholders: nothing built, no daemon asked', async () => {
    const ir = compile(pipeline('p', { image: image({ ref: 'debian:bookworm-slim', installPackages: ['jq'], name: 'tools' }) }).exec('a', 'x'));
    const meta: RunMeta = { version: 1, runId: 'r-caps', pipeline: 'p', file: '/nonexistent/p.ts', exportName: 'default', runtime: 'fake', createdAt: 0 };
    assert.deepEqual(await rebuildImages(meta, ir, ['tools'], undefined, () => assert.fail('no image event on a runtime without images')), { tools: { ref: 'caisson/tools:fake' } });
  });

  it('debug goes through the runtime\'s debug shells; one without them is one error naming it and what to do', async () => {
    assert.equal((await debugShells('docker', 'x')).debug.script, '/caisson/cmd.sh');
    const e = await rejectsCode(debugShells('fake', 'debug the pipeline file instead'), 'USAGE');
    assert.equal(e.message, 'the fake runtime cannot open debug shells; debug the pipeline file instead');
  });

  it('no command compares a runtime name with a literal', () => {
    const files = readdirSync(join(ROOT, 'cli'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const offending = files.filter((f) => /runtime\s*[!=]==?\s*['"]|['"]\s*[!=]==?\s*\w*\.?runtime\b/.test(readFileSync(join(ROOT, 'cli', f), 'utf8')));
    assert.deepEqual(offending, []);
  });
});
