// The esbuild bundler on the host: one content-addressed ESM file that host node runs as the container
// would, with caisson stubbed out and a source map that points at the TypeScript lines.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeTagged, encodeTagged, UsageError } from '../../../core/index.ts';
import { EsbuildBundler } from '../../../plugins/native-bundle/index.ts';

const fixture = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'native', 'pipeline.ts');

describe('native functions: the esbuild bundle', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'caisson-bundle-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const call = (file: string, args: unknown[]) => {
    const reply = join(dir, 'reply.json');
    const r = spawnSync(process.execPath, ['--enable-source-maps', file, reply, JSON.stringify(encodeTagged(args, 'args').json)], { encoding: 'utf8' });
    return { ...r, reply: JSON.parse(readFileSync(reply, 'utf8')) as { ok: boolean; value?: unknown; error?: { message: string; stack: string } } };
  };

  it('is one file named by its sha256, without caisson inside, that returns the encoded value', async () => {
    const bundle = await new EsbuildBundler(dir).bundle({ file: fixture, export: 'sum' });
    assert.equal(basename(bundle.file), `${bundle.hash}.mjs`);
    const text = readFileSync(bundle.file, 'utf8');
    assert.doesNotMatch(text, /tsyringe|io-ts|class GroupBuilder/, 'caisson is stubbed, not bundled');
    const r = call(bundle.file, [[1, 2, 3], { label: 'x', when: new Date('2021-06-01T00:00:00Z'), tags: new Set(['t']), big: 4n }]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'summing 3 numbers for x\n');
    assert.deepEqual(decodeTagged(r.reply.value), { label: 'x', total: 6, year: 2021, tags: ['t'], big: 8n });
    assert.equal((await new EsbuildBundler(dir).bundle({ file: fixture, export: 'sum' })).hash, bundle.hash, 'the same input gives the same address');
  });

  it('a thrown error exits 1 with its stack at the TypeScript line', async () => {
    const bundle = await new EsbuildBundler(dir).bundle({ file: fixture, export: 'explode' });
    const r = call(bundle.file, ['bang']);
    assert.equal(r.status, 1);
    assert.equal(r.reply.ok, false);
    assert.equal(r.reply.error?.message, 'bang');
    assert.match(r.stderr, new RegExp(`Error: bang\\n\\s+at explode \\(${fixture.replaceAll('/', '\\/')}:13:\\d+\\)`));
  });

  it('a syntax error is one UsageError naming the file and line; a .node addon stays external and is named', async () => {
    const broken = join(dir, 'broken.ts');
    writeFileSync(broken, 'export function f( { return 1; }\n');
    await assert.rejects(new EsbuildBundler(dir).bundle({ file: broken, export: 'f' }), (e: unknown) => e instanceof UsageError && e.message.startsWith(`cannot bundle ${broken} for its native function f: ${broken}:1:`));
    const addon = join(dir, 'addon.ts');
    writeFileSync(addon, "import { createRequire } from 'node:module';\nexport function f() { return import('./fast.node'); }\n");
    const bundle = await new EsbuildBundler(dir).bundle({ file: addon, export: 'f' });
    assert.deepEqual(bundle.external, ['./fast.node']);
  });
});
