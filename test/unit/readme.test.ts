// The README shows code users copy. Keep it true: its examples must equal the files that are tested/run.
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, pretty, type GroupBuilder } from '../../core/index.ts';
import { NODE_OPTIONS, renderOptionsTable } from '../../core/options/index.ts';
import { removeProject, tempProject } from '../helpers/temp-project.ts';

const ROOT = join(import.meta.dirname, '../..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], body: m[2]! }));

describe('README', () => {
  it('has the two-command quick start', () => {
    const quick = readme.split('## Quick start')[1]!.split('##')[0]!;
    const commands = quick.match(/```sh\n([\s\S]*?)```/)![1]!.trim().split('\n');
    assert.deepEqual(commands.map((c) => c.split('#')[0]!.trim()), ['npm run example', 'npm test']);
  });

  it('shows the testing example exactly as test/unit/readme-example.test.ts has it', () => {
    const file = readFileSync(join(ROOT, 'test/unit/readme-example.test.ts'), 'utf8');
    assert.ok(blocks.some((b) => b.body === file), 'README testing example differs from test/unit/readme-example.test.ts');
  });

  it('shows examples/hello.ts as it is', () => {
    const file = readFileSync(join(ROOT, 'examples/hello.ts'), 'utf8');
    const body = file.slice(file.indexOf('import'));
    assert.ok(blocks.some((b) => b.body.endsWith(body) && b.body.startsWith('// examples/hello.ts')), 'README hello example differs from examples/hello.ts');
  });

  it('shows examples/lazy.ts as it is', () => {
    const file = readFileSync(join(ROOT, 'examples/lazy.ts'), 'utf8');
    assert.ok(blocks.some((b) => b.body === `// examples/lazy.ts\n${file}`), 'README lazy example differs from examples/lazy.ts');
  });

  it('shows examples/service.ts exactly as it is', () => {
    const file = readFileSync(join(ROOT, 'examples/service.ts'), 'utf8');
    assert.ok(blocks.some((b) => b.body === file), 'README services example differs from examples/service.ts');
  });

  it('shows the custom image kind example exactly as examples/custom-image-provider/files-image-provider.ts has it', () => {
    const file = readFileSync(join(ROOT, 'examples/custom-image-provider/files-image-provider.ts'), 'utf8');
    assert.ok(blocks.some((b) => b.body === file), 'README custom image kind example differs from examples/custom-image-provider/files-image-provider.ts');
  });

  it("shows hello's pretty output as pretty() prints it", async () => {
    // Loaded here, not at the top: see test/unit/fake/run-fake.test.ts.
    const hello = ((await import('../../examples/hello.ts')) as { default: GroupBuilder }).default;
    const shown = blocks.find((b) => b.body.includes('caisson.js pretty examples/hello.ts'))!;
    const printed = shown.body.split('\n').slice(1).join('\n');
    assert.equal(printed, `${pretty(compile(hello), { color: false })}\n`);
  });

  // The table is generated: `UPDATE_README=1 npx mocha test/unit/readme.test.ts` rewrites it from the option table.
  it('shows the Node options table exactly as core/options/node-options.ts renders it', () => {
    const expected = renderOptionsTable(NODE_OPTIONS);
    const section = readme.split('### Node options\n\n')[1]!;
    const shown = section.slice(0, section.indexOf('\n\n'));
    if (process.env.UPDATE_README && shown !== expected) writeFileSync(join(ROOT, 'README.md'), readme.replace(shown, expected));
    assert.equal(shown, expected, 'README "Node options" table differs from the option table; run UPDATE_README=1 npx mocha test/unit/readme.test.ts');
  });

  it('documents every command and option of the CLI', async () => {
    const { main } = await import('../../cli/main.ts');
    assert.equal(typeof main, 'function');
    const cliSources = ['cli/main.ts', 'cli/record-commands.ts', 'cli/debug-command.ts'].map((f) => readFileSync(join(ROOT, f), 'utf8')).join('\n');
    const commands = [...cliSources.matchAll(/\.command\('([\w-]+)'\)/g)].map((m) => m[1]!);
    const options = [...cliSources.matchAll(/\.option\('(--[\w-]+)/g)].map((m) => m[1]!);
    assert.ok(commands.length >= 3 && options.length >= 5);
    for (const c of commands) assert.ok(readme.includes(`caisson ${c}`), `README does not document "caisson ${c}"`);
    for (const o of new Set(options)) assert.ok(readme.includes(o), `README does not document ${o}`);
  });
});

describe('README: dockerRunArgs', () => {
  it('names every refused docker run flag, so the list users read is the one the compiler applies', async () => {
    const { RUN_ARG_FLAGS } = await import('../../core/runtime/index.ts');
    const section = readme.split('### dockerRunArgs')[1]!.split('\n## ')[0]!;
    for (const f of RUN_ARG_FLAGS.filter((x) => x.refused)) {
      const spelled = [f.name, ...(f.aliases ?? [])].some((s) => new RegExp(`\`${s}[\`/]|/${s}\``).test(section));
      assert.ok(spelled, `README's dockerRunArgs section does not name ${f.name}`);
    }
  });
});

describe('README: the Images example', () => {
  it('compiles, with relpath() rewritten to the path inside the image', async () => {
    const { writeFileSync } = await import('node:fs');
    const { loadPipeline } = await import('../../cli/load-pipeline.ts');
    const block = blocks.find((b) => b.body.startsWith("import { image, pipeline, relpath } from 'caisson';"));
    assert.ok(block, 'README has the Images example');
    const dir = tempProject('readme');
    try {
      writeFileSync(join(dir, 'images.ts'), block.body);
      const { ir } = await loadPipeline(join(dir, 'images.ts'));
      const spec = ir.images.app as unknown as Record<string, unknown>;
      assert.equal(spec.kind, 'base-reqs');
      assert.deepEqual(spec.pathMap, { [dir]: '/mnt/caisson' });
      assert.equal(ir.root.kind !== 'exec' && ir.root.children[0]!.kind === 'exec' && ir.root.children[0]!.command, 'jq . package.json');
    } finally {
      removeProject(dir);
    }
  });
});
