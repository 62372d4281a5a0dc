/**
 * A native call's bundle copied into its container, for runtimes that cannot bind-mount the bundle
 * folder (no host mounts: Swarm, where the task may run on another machine). Once per container and
 * bundle: a reused container keeps what it was given.
 */
import { readFileSync } from 'node:fs';
import { writeTar, type TarEntry } from '../artifacts/tar.ts';
import type { ContainerLease } from '../runtime/index.ts';

const copied = new WeakMap<ContainerLease, Set<string>>();

/**
 * Puts `file` at `target` (absolute) in the lease's container; resolves to why it cannot (a runtime with
 * neither mounts nor archive calls), else undefined. Rejects only when the runtime fails.
 */
export async function copyBundleIn(lease: ContainerLease, copy: { file: string; target: string }, runtime: string): Promise<string | undefined> {
  const done = copied.get(lease) ?? new Set<string>();
  if (done.has(copy.target)) return undefined;
  if (!lease.putArchive) return `native functions need their bundle in the container, and the ${runtime} runtime can neither mount host paths nor copy files in`;
  const parts = copy.target.replace(/^\/+/, '').split('/');
  const entries: TarEntry[] = parts.slice(0, -1).map((_, i) => ({ name: parts.slice(0, i + 1).join('/'), type: 'dir', mode: 0o755 }));
  entries.push({ name: parts.join('/'), type: 'file', mode: 0o444, data: readFileSync(copy.file) });
  await lease.putArchive('/', writeTar(entries));
  done.add(copy.target);
  copied.set(lease, done);
  return undefined;
}
