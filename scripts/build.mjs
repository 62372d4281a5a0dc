#!/usr/bin/env node
// `npm run build` (and `npm pack`, through prepack): compiles core/, plugins/ and cli/ to ESM JavaScript
// with .d.ts files and source maps in dist/, from scratch so no stale file from a deleted source ships,
// and copies the web UI's static app (plugins/ui/app) beside its server.
import { cpSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(root, 'dist'), { recursive: true, force: true });
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
// The web UI's app is served as it is (plain ES modules, no build step): it ships beside the compiled server.
if (r.status === 0) cpSync(join(root, 'plugins/ui/app'), join(root, 'dist/plugins/ui/app'), { recursive: true });
process.exit(r.status ?? 1);
