/**
 * What `caisson why` says: the differences between a node's manifest and the earlier one, one line per
 * changed component ("image changed", "src/a.ts changed", "env NODE_ENV dev→prod"). A secret or runner
 * variable is named, never shown.
 */
import type { CacheManifest, ManifestEntry } from './cache-key.ts';

const short = (id: string | undefined): string => (id && /^sha256:[0-9a-f]{12,}$/.test(id) ? id.slice(0, 19) : id ?? '?');

/** One line for a component present in both manifests with different hashes, or in one only. */
function line(id: string, before: ManifestEntry | undefined, after: ManifestEntry | undefined): string {
  const [kind, ...rest] = id.split(':');
  const name = rest.join(':');
  const secret = before?.secret ?? after?.secret;
  switch (kind) {
    case 'image': return `image changed (${short(before?.show)} → ${short(after?.show)})`;
    case 'command': return 'command changed';
    case 'workdir': return `workdir ${before?.show ?? '?'}→${after?.show ?? '?'}`;
    case 'dockerRunArgs': return 'dockerRunArgs changed';
    case 'env':
      if (secret) return `env ${name} changed (secret ${secret}; value not shown)`;
      return `env ${name} ${before ? before.show ?? '?' : '(unset)'}→${after ? after.show ?? '?' : '(unset)'}`;
    case 'runnerEnv': return `runner env ${name} ${!before ? 'added' : !after ? 'removed' : 'changed'} (value not shown)`;
    case 'input': return `${name} ${!before ? 'added' : !after ? 'removed' : 'changed'}`;
    case 'upstream': return `upstream ${name} ${!before ? 'added' : !after ? 'removed' : 'changed (its key)'}`;
    case 'extra': return `${name} ${!before ? 'added' : !after ? 'removed' : 'changed'}`;
    default: return `${id} changed`;
  }
}

/** Sort order of the lines: image, command, workdir, run args, env, runner env, inputs, upstream, extra. */
const ORDER = ['image', 'command', 'workdir', 'dockerRunArgs', 'env', 'runnerEnv', 'input', 'upstream', 'extra'];
const rank = (id: string): number => { const i = ORDER.indexOf(id.split(':')[0]!); return i < 0 ? ORDER.length : i; };

/** The changes from `before` to `after`, one line each, in a fixed order; [] when every component is equal. */
export function diffManifests(before: CacheManifest, after: CacheManifest): string[] {
  const ids = [...new Set([...Object.keys(before.components), ...Object.keys(after.components)])]
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const out: string[] = [];
  for (const id of ids) {
    const b = before.components[id];
    const a = after.components[id];
    if (b?.hash !== a?.hash) out.push(line(id, b, a));
  }
  if (out.length === 0 && before.version !== after.version) out.push(`the key rules changed (version ${before.version} → ${after.version})`);
  return out;
}
