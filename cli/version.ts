/**
 * The version of this copy of caisson (`caisson --version`), from its package.json: two folders up from
 * this file in a checkout (cli/), three when installed (dist/cli/).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The "version" of the nearest package.json named caisson above this file; "unknown" when none is found. */
export function caissonVersion(): string {
  for (let dir = import.meta.dirname; dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'caisson' && pkg.version) return pkg.version;
    } catch { /* no package.json here: go up */ }
  }
  return 'unknown';
}
