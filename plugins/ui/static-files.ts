/**
 * The files the browser loads: the app (this plugin's app/ folder, read once at start) and the few
 * browser libraries it uses, taken from node_modules (nothing is fetched from a CDN). The set of URLs
 * is fixed when the server starts, and a request is looked up in it as it is: no part of a URL ever
 * becomes part of a file path, so no `..`, encoded slash or symlink can reach another file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { ownFile } from '../../core/plugin-kit.ts';

/** One servable file. */
export interface StaticFile { type: string; body: Buffer }

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml',
};

/**
 * The browser libraries, by the URL the app imports them from. Preact + hooks + htm in one module
 * (no build step), ansi_up for coloured logs, xterm.js and its fit addon for the debug shell.
 */
const VENDOR: Record<string, [pkg: string, file: string]> = {
  '/vendor/preact-htm.js': ['htm', 'preact/standalone.module.js'],
  '/vendor/ansi_up.js': ['ansi_up', 'ansi_up.js'],
  '/vendor/xterm.js': ['@xterm/xterm', 'lib/xterm.mjs'],
  '/vendor/xterm.css': ['@xterm/xterm', 'css/xterm.css'],
  '/vendor/addon-fit.js': ['@xterm/addon-fit', 'lib/addon-fit.mjs'],
};

/** The app's folder: plugins/ui/app, in the sources and in dist/ alike (the build copies it). */
export const APP_DIR = ownFile('plugins/ui/app')!;

/** Every URL the server serves as a file, read into memory once. */
export function loadStaticFiles(): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const require = createRequire(import.meta.url);
  for (const name of readdirSync(APP_DIR)) {
    const type = TYPES[extname(name)];
    if (type) files.set(`/app/${name}`, { type, body: readFileSync(join(APP_DIR, name)) });
  }
  for (const [url, [pkg, file]] of Object.entries(VENDOR)) {
    // From the package's folder: the browser builds are not what the packages export to Node.
    files.set(url, { type: TYPES[extname(url)]!, body: readFileSync(join(packageDir(require, pkg), file)) });
  }
  return files;
}

/** The folder of an installed package: up from its main entry to the package.json that names it. */
function packageDir(require: NodeJS.Require, pkg: string): string {
  for (let dir = dirname(require.resolve(pkg)); dirname(dir) !== dir; dir = dirname(dir)) {
    try {
      if ((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name === pkg) return dir;
    } catch { /* no package.json here */ }
  }
  throw new Error(`cannot find the folder of the installed package ${pkg}`);
}
