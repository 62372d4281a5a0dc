/**
 * A user's project made the way a new user makes one: `npm pack` of this checkout, a new folder with
 * `npm init -y` (so "type": "commonjs"), and the tarball installed into it. The install needs no
 * registry: the project gets a lockfile derived from this repository's own (same versions, same
 * integrity hashes) and `npm ci --offline` takes every package from the local npm cache, which this
 * repository's own `npm ci` filled.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../../..');

interface LockEntry { version?: string; dev?: boolean; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; [k: string]: unknown }
type LockPackages = Record<string, LockEntry>;

const npm = (cwd: string, ...args: string[]): string =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });

/** Packs this checkout (the prepack script builds dist/) into `dir`; the tarball's path. */
export function packTarball(dir: string): string {
  const out = npm(ROOT, 'pack', '--silent', '--pack-destination', dir).trim().split('\n').pop()!;
  return join(dir, out);
}

/** The file list of a tarball, as npm would install it (without the "package/" prefix), sorted. */
export function tarballFiles(tarball: string): string[] {
  return execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, '')).sort();
}

/**
 * The lock entries a package at `from` needs, following npm's nested lookup (`from/node_modules/x`,
 * then each parent's node_modules, then the top).
 */
function closure(packages: LockPackages, names: string[], from = ''): Set<string> {
  const found = new Set<string>();
  const visit = (name: string, at: string) => {
    for (let base = at; ; base = base.includes('/node_modules/') ? base.slice(0, base.lastIndexOf('/node_modules/')) : '') {
      const key = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (packages[key]) {
        if (found.has(key)) return;
        found.add(key);
        const entry = packages[key]!;
        for (const dep of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) visit(dep, key);
        return;
      }
      if (base === '') return; // not in the lock: an optional dependency of another platform
    }
  };
  for (const name of names) visit(name, from);
  return found;
}

/** A new `npm init -y` project in a temp folder with `tarball` installed, plus `devPackages` from this repository's lock. */
export function makeUserProject(tarball: string, devPackages: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'caisson-user-'));
  npm(dir, 'init', '-y');
  const repoLock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: LockPackages };
  const own = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string>; bin: Record<string, string>; engines: Record<string, string>; license: string };
  const tgz = tarball.split('/').pop()!;
  execFileSync('cp', [tarball, join(dir, tgz)]);

  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  const devVersions = Object.fromEntries(devPackages.map((n) => [n, `^${repoLock.packages[`node_modules/${n}`]!.version}`]));
  pkg.dependencies = { caisson: `file:${tgz}` };
  if (devPackages.length) pkg.devDependencies = devVersions;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);

  const packages: LockPackages = {
    '': { name: pkg.name as string, version: pkg.version as string, license: pkg.license, dependencies: pkg.dependencies as Record<string, string>, ...(devPackages.length ? { devDependencies: devVersions } : {}) },
    'node_modules/caisson': {
      version: own.version,
      resolved: `file:${tgz}`,
      integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`,
      license: own.license, dependencies: own.dependencies, bin: own.bin, engines: own.engines,
    },
  };
  const prod = closure(repoLock.packages, Object.keys(own.dependencies), '');
  const dev = closure(repoLock.packages, devPackages, '');
  for (const key of [...prod, ...dev]) {
    const { dev: _wasDev, devOptional: _d, ...entry } = repoLock.packages[key]!;
    packages[key] = prod.has(key) ? entry : { ...entry, dev: true };
  }
  writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify({ name: pkg.name, version: pkg.version, lockfileVersion: 3, requires: true, packages }, null, 2)}\n`);
  npm(dir, 'ci', '--offline', '--no-audit', '--no-fund', '--loglevel=error');
  return dir;
}

/** Files a folder holds, for messages. */
export const listing = (dir: string): string => readdirSync(dir).join(', ');
