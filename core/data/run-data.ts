/**
 * The data store during a run: before each command, `caisson-data` (installed once per container) and
 * a snapshot of the store go into the container with the runtime's putArchive; after it, what the
 * command put or deleted comes back with getArchive and is applied to the store. Containers on other
 * machines work the same; a runtime without archive calls runs commands without `caisson-data`.
 */
import { createHash } from 'node:crypto';
import { debugLog } from '../debug-log.ts';
import type { ContainerLease } from '../runtime/index.ts';
import { collect } from '../artifacts/run-artifacts.ts';
import { readTar, writeTar, type TarEntry } from '../artifacts/tar.ts';
import { DATA_ROOT, DATA_SCRIPT, DATA_SCRIPT_PATH } from './data-script.ts';
import { dataNameProblem, type DataStore } from './data-store.ts';

const log = debugLog('data');
const root = DATA_ROOT.slice(1);

/** The per-run data store logic the exec runner calls; see the module comment. */
export class RunData {
  // Per container: the exchange folder in use, the snapshot it holds, and whether a command wrote there.
  private readonly leases = new WeakMap<ContainerLease, { n: number; key: string; written: boolean }>();
  private seq = 0;

  /** @param store the run's data store */
  constructor(readonly store: DataStore) {}

  /**
   * Puts the script (first time in this container), the store's snapshot and the command's exchange
   * folder into the container; returns the command's number, or undefined when the runtime cannot
   * (then `caisson-data` says there is no data store).
   */
  async prepare(lease: ContainerLease): Promise<number | undefined> {
    if (!lease.putArchive || !lease.getArchive) return undefined;
    const values = this.store.list().flatMap((name) => { const data = this.store.get(name); return data ? [{ name, data }] : []; });
    const hash = createHash('sha256');
    for (const v of values) hash.update(`${v.name}\0${v.data.length}\0`).update(v.data);
    const key = hash.digest('hex');
    const before = this.leases.get(lease);
    // The same snapshot, and the last command wrote nothing: the folder is as it was, nothing to copy.
    if (before && !before.written && before.key === key) return before.n;
    const n = ++this.seq;
    const entries: TarEntry[] = [];
    if (!before) {
      entries.push(
        { name: 'caisson', type: 'dir', mode: 0o755 },
        { name: 'caisson/bin', type: 'dir', mode: 0o755 },
        { name: DATA_SCRIPT_PATH.slice(1), type: 'file', mode: 0o755, data: Buffer.from(DATA_SCRIPT) },
        { name: root, type: 'dir', mode: 0o1777 },
        // On PATH without touching it: /usr/local/bin in most images, /bin in the smallest (busybox: PATH=/bin).
        { name: 'usr/local/bin/caisson-data', type: 'symlink', mode: 0o777, linkname: DATA_SCRIPT_PATH },
        { name: 'bin/caisson-data', type: 'symlink', mode: 0o777, linkname: DATA_SCRIPT_PATH },
      );
    }
    entries.push({ name: `${root}/${n}`, type: 'dir', mode: 0o1777 }, { name: `${root}/${n}/in`, type: 'dir', mode: 0o755 });
    for (const { name, data } of values) entries.push({ name: `${root}/${n}/in/${name}`, type: 'file', mode: 0o644, data });
    entries.push({ name: `${root}/current`, type: 'file', mode: 0o644, data: Buffer.from(`${n}\n`) });
    try {
      await lease.putArchive('/', writeTar(entries));
      this.leases.set(lease, { n, key, written: false });
      return n;
    } catch (e) {
      // A read-only root filesystem, say: the command runs, caisson-data is not there.
      log('no data store in container', { container: lease.id.slice(0, 12), error: (e as Error).message });
      return undefined;
    }
  }

  /** Applies what command `n` put and deleted (deletes first: a put after a delete removed its marker). */
  async collect(lease: ContainerLease, n: number): Promise<void> {
    const stream = await lease.getArchive!(`${DATA_ROOT}/${n}/out`);
    if (!stream) return;
    const state = this.leases.get(lease);
    if (state) state.written = true;
    const entries = readTar(await collect(stream));
    const named = (kind: string) => entries
      .filter((e) => e.type === 'file' && e.name.startsWith(`out/${kind}/`) && !/\.tmp\d+$/.test(e.name))
      .map((e) => ({ name: e.name.slice(`out/${kind}/`.length), data: e.data! }))
      .filter((e) => dataNameProblem(e.name) === undefined);
    for (const { name } of named('del')) this.store.delete(name);
    for (const { name, data } of named('put')) this.store.put(name, data);
  }
}
