// Keeps the import rules true: core/ never imports plugins/, dockerode or execa; tsyringe stays in
// core/di; each I/O library lives in exactly one plugin; plugins and the CLI use core's entries only;
// plugins never import each other.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Module specifiers a file imports at run time (static and dynamic; `import type` erases, so it is left out). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s+(?!type\b)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g)) {
    specs.push((m[1] ?? m[2] ?? m[3])!);
  }
  return specs;
}

const rel = (p: string) => relative(ROOT, p);
const target = (file: string, spec: string) => (spec.startsWith('.') ? rel(resolve(dirname(file), spec)) : spec);

describe('architecture: import directions', () => {
  const core = sourceFiles(join(ROOT, 'core'));
  const plugins = sourceFiles(join(ROOT, 'plugins'));

  it('finds the sources it checks', () => {
    assert.ok(core.length > 10, `only ${core.length} core files found`);
    assert.ok(plugins.length > 2, `only ${plugins.length} plugin files found`);
  });

  it('core/ never imports plugins/, dockerode, execa or an HTTP/WebSocket library', () => {
    const bad = core.flatMap((f) => importsOf(f).map((s) => [rel(f), target(f, s)] as const))
      .filter(([, t]) => t.startsWith('plugins/') || /^(dockerode|execa|docker-modem|ws|node:https?|https?)(\/|$)/.test(t));
    assert.deepEqual(bad, []);
  });

  it('tsyringe is imported only in core/di', () => {
    const bad = [...core, ...plugins].filter((f) => !rel(f).startsWith('core/di/'))
      .filter((f) => importsOf(f).includes('tsyringe'));
    assert.deepEqual(bad.map(rel), []);
  });

  it('each I/O library lives in exactly one plugin', () => {
    const owners: Record<string, string[]> = {
      dockerode: ['plugins/runtime-docker/'], execa: ['plugins/buildkit/'], ws: ['plugins/ui/'], esbuild: ['plugins/native-bundle/'],
      // The UI's server; the one Docker API request dockerode cannot send cleanly (see hijack-attach.ts); and
      // the image builder's inspect on the local socket, which spares `caisson run` starting the docker CLI.
      'node:http': ['plugins/ui/', 'plugins/runtime-docker/hijack-attach.ts', 'plugins/buildkit/engine-inspect.ts'],
      'node:https': ['plugins/runtime-docker/hijack-attach.ts'],
    };
    const bad = plugins.flatMap((f) => importsOf(f).filter((s) => owners[s] && !owners[s]!.some((o) => rel(f).startsWith(o))).map((s) => `${rel(f)} imports ${s}`));
    assert.deepEqual(bad, []);
  });

  it('plugins and the CLI reach core only through its entries (core/index.ts, core/plugin-kit.ts)', () => {
    const cli = sourceFiles(join(ROOT, 'cli'));
    const entries = new Set(['core/index.ts', 'core/plugin-kit.ts']);
    const bad = [...plugins, ...cli].flatMap((f) => importsOf(f).map((s) => target(f, s))
      .filter((t) => t.startsWith('core/') && !entries.has(t)).map((t) => `${rel(f)} -> ${t}`));
    assert.deepEqual(bad, []);
  });

  it('plugins never import another plugin', () => {
    const bad = plugins.flatMap((f) => {
      const own = rel(f).split('/').slice(0, 2).join('/');
      return importsOf(f).map((s) => target(f, s)).filter((t) => t.startsWith('plugins/') && !t.startsWith(`${own}/`)).map((t) => `${rel(f)} -> ${t}`);
    });
    assert.deepEqual(bad, []);
  });
});
