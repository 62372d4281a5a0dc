#!/usr/bin/env node
// `npm run build` (and `npm pack`, through prepack): dist/ from scratch, so no stale file from a deleted
// source ships.
// - JavaScript: esbuild bundles core/, plugins/ and cli/ from their entry points into ES modules with
//   shared chunks (dist/chunks/), so each module still exists once and `caisson` loads a few files
//   instead of some 400. Loading them was most of a `caisson run`'s start-up.
//   esbuild is what runs the sources in the tests too (through tsx), so the code is compiled alike.
// - Types: tsc writes the .d.ts files, one per source file, as before.
// - The web UI's app is served as it is (plain ES modules, no build step): it is copied beside its server.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = createRequire(import.meta.url)(join(root, 'package.json'));
rmSync(join(root, 'dist'), { recursive: true, force: true });

const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
const types = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--emitDeclarationOnly'], { stdio: 'inherit' });
if (types.status !== 0) process.exit(types.status ?? 1);

// Every subpath the package exports, the CLI, and the modules other code finds by path: the native
// functions' in-container entry and its data store (bundled again, into each function's bundle).
const exported = Object.values(pkg.exports).map((e) => e['caisson-source']).filter(Boolean);
const entryPoints = [...exported, 'cli/main.ts', 'core/native/entry-runtime.ts', 'core/data/pipeline-data.ts'];
for (const e of entryPoints) if (!existsSync(join(root, e))) throw new Error(`build: no entry ${e}`);

// Left as imports: what has native parts or loads lazily on its own (dockerode's SSH transport and its
// BuildKit session are deferred by plugins/runtime-docker/defer-dockerode-extras.ts), the tools the CLI
// uses only now and then (the type checker, tsx, esbuild), and the browser libraries the UI serves as files.
const external = ['dockerode', 'esbuild', 'tsx', 'tsx/*', 'typescript', '@xterm/*', 'ansi_up', 'htm', 'preact', 'preact/*'];

await build({
  absWorkingDir: root,
  entryPoints,
  outdir: 'dist',
  outbase: '.',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: true,
  sourcesContent: true,
  // Bundled CommonJS dependencies call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as __caissonCreateRequire } from 'node:module'; const require = __caissonCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});

// The web UI's app is served as it is: it ships where ownFile('plugins/ui/app') finds it.
cpSync(join(root, 'plugins/ui/app'), join(root, 'dist/plugins/ui/app'), { recursive: true });
