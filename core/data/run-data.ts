/**
 * The data store during a run: before a command, `caisson-data` (installed once per container) and a
 * snapshot of the store go into the container with the runtime's putArchive; what commands put or
 * deleted comes back with getArchive and is applied to the store. Containers on other machines work
 * the same; a runtime without archive calls runs commands without `caisson-data`.
 *
 * Reading back is lazy, so a chain of commands in one container costs no round trip: their writes stay
 * in the container's exchange folder, where the next command there sees them, and are read back when a
 * command starts in another container (before its snapshot is taken), when this container needs a new
 * snapshot, and before it is disposed. So every command sees the writes of every command that ended
 * before it started.
 *
 * Fresh containers cost no archive call either while the store is empty and nothing is written: the
 * script and an empty exchange folder `0` come with the container (ContainerSpec.files, created by the
 * runtime before the first command), and each command asks the runtime to look for its folder's `out`
 * (CommandSpec.probe), so a container whose commands wrote nothing is not read back. A runtime that
 * cannot do either gets the archive calls as before.
 */
import { createHash } from 'node:crypto';
import { debugLog } from '../debug-log.ts';
import type { CommandResult, ContainerFile, ContainerLease } from '../runtime/index.ts';
import { collect } from '../artifacts/run-artifacts.ts';
import { readTar, writeTar, type TarEntry } from '../artifacts/tar.ts';
import { DATA_ROOT, DATA_SCRIPT, DATA_SCRIPT_PATH } from './data-script.ts';
import { dataNameProblem, type DataStore } from './data-store.ts';

const log = debugLog('data');
const root = DATA_ROOT.slice(1);
/** The snapshot key of an empty store (see snapshot()). */
const EMPTY_KEY = createHash('sha256').digest('hex');

/** Where `caisson-data` and its links live; put with the first snapshot, or created with the container. */
const scriptEntries = (): TarEntry[] => [
  { name: 'caisson', type: 'dir', mode: 0o755 },
  { name: 'caisson/bin', type: 'dir', mode: 0o755 },
  { name: DATA_SCRIPT_PATH.slice(1), type: 'file', mode: 0o755, data: Buffer.from(DATA_SCRIPT) },
  { name: root, type: 'dir', mode: 0o1777 },
  // On PATH without touching it: /usr/local/bin in most images, /bin in the smallest (busybox: PATH=/bin).
  { name: 'usr/local/bin/caisson-data', type: 'symlink', mode: 0o777, linkname: DATA_SCRIPT_PATH },
  { name: 'bin/caisson-data', type: 'symlink', mode: 0o777, linkname: DATA_SCRIPT_PATH },
];

/** Exchange folder `n` holding `values`, made the current one. */
const folderEntries = (n: number, values: Array<{ name: string; data: Buffer }>): TarEntry[] => [
  { name: `${root}/${n}`, type: 'dir', mode: 0o1777 },
  { name: `${root}/${n}/in`, type: 'dir', mode: 0o755 },
  ...values.map(({ name, data }): TarEntry => ({ name: `${root}/${n}/in/${name}`, type: 'file', mode: 0o644, data })),
  { name: `${root}/current`, type: 'file', mode: 0o644, data: Buffer.from(`${n}\n`) },
];

/**
 * What every container of a run gets at creation (ContainerSpec.files): the script, its links and the
 * empty exchange folder `0`. Folders first, each before what is in it (a 1777 folder made as a parent
 * would get the default mode); /usr/local/bin is missing in busybox.
 */
export const DATA_FILES: readonly ContainerFile[] = (() => {
  const entries = [
    ...['usr', 'usr/local', 'usr/local/bin'].map((name): TarEntry => ({ name, type: 'dir', mode: 0o755 })),
    ...scriptEntries(), ...folderEntries(0, []),
  ];
  const dirs = entries.filter((e) => e.type === 'dir');
  return [...dirs, ...entries.filter((e) => e.type !== 'dir')].map((e): ContainerFile => ({
    path: `/${e.name}`, type: e.type, mode: e.mode,
    ...(e.data && { text: e.data.toString('utf8') }), ...(e.linkname && { linkname: e.linkname }),
  }));
})();

/**
 * A debug container's copy of a data store, as a tar to extract at `/`: `caisson-data`, its links, and
 * exchange folder `0` holding every value of `store`. What the debug shell or a re-invoked native call
 * puts stays in that container: debugging never changes a run's store.
 */
export function debugDataArchive(store: DataStore): Buffer {
  const values = store.list().flatMap((name) => { const data = store.get(name); return data ? [{ name, data }] : []; });
  // As a run's snapshot (ensureSnapshot): the folders of nested names are made by the extraction.
  return writeTar([
    ...['usr', 'usr/local', 'usr/local/bin'].map((name): TarEntry => ({ name, type: 'dir', mode: 0o755 })),
    ...scriptEntries(), ...folderEntries(0, values),
  ]);
}

/** The per-run data store logic the exec runner calls; see the module comment. */
export class RunData {
  // Per container: the exchange folder in use and the snapshot it holds.
  private readonly leases = new WeakMap<ContainerLease, { n: number; key: string; installed: boolean }>();
  // Containers that ran a command whose writes were not read back yet.
  private readonly dirty = new Set<ContainerLease>();
  private readonly reading = new Set<Promise<void>>();
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
    // Writes of commands that ended in other containers first: this snapshot must hold them.
    await this.readBack((other) => other !== lease);
    let values = this.snapshot();
    let before = this.leases.get(lease);
    // The container came with the script and the empty folder 0 (DATA_FILES).
    if (!before && await lease.filesReady?.()) this.leases.set(lease, (before = { n: 0, key: EMPTY_KEY, installed: true }));
    // The same snapshot: this container's folder holds it, and its own earlier writes beside it.
    if (before && before.key === values.key) return before.n;
    if (before && this.dirty.has(lease)) { await this.readBack((other) => other === lease); values = this.snapshot(); }
    const { key } = values;
    const n = ++this.seq;
    const entries = [...(before?.installed ? [] : scriptEntries()), ...folderEntries(n, values.values)];
    try {
      await lease.putArchive('/', writeTar(entries));
      this.leases.set(lease, { n, key, installed: true });
      return n;
    } catch (e) {
      // A read-only root filesystem, say: the command runs, caisson-data is not there.
      log('no data store in container', { container: lease.id.slice(0, 12), error: (e as Error).message });
      return undefined;
    }
  }

  /** The path a command prepared as `n` asks the runtime to look for: its folder's writes (CommandSpec.probe). */
  probeFor(n: number): string { return `${DATA_ROOT}/${n}/out`; }

  /**
   * A command ran in `lease`: what it wrote is read back later (see the module comment); not when the
   * runtime looked and its folder holds no writes (`result.probed` false).
   */
  ran(lease: ContainerLease, result?: CommandResult): void {
    if (this.leases.has(lease) && result?.probed !== false) this.dirty.add(lease);
  }

  /**
   * Reads back what `lease`'s commands wrote, before it is disposed (ContainerPool's hook); undefined
   * when there is nothing to wait for, so the container is disposed at once (a "new" group's container
   * is gone before the next node runs).
   */
  release(lease: ContainerLease): Promise<void> | undefined {
    if (!this.dirty.has(lease) && this.reading.size === 0) return undefined;
    return this.readBack((other) => other === lease);
  }

  /** Reads back every dirty container `which` picks, and waits for read-backs already under way. */
  private async readBack(which: (lease: ContainerLease) => boolean): Promise<void> {
    for (const lease of [...this.dirty].filter(which)) {
      this.dirty.delete(lease);
      const n = this.leases.get(lease)!.n;
      const p = this.apply(lease, n).catch((e: unknown) => {
        // A container lost before its writes were read back: they are lost with it.
        log('data store writes lost', { container: lease.id.slice(0, 12), error: (e as Error).message });
      }).finally(() => this.reading.delete(p));
      this.reading.add(p);
    }
    await Promise.all([...this.reading]);
  }

  private snapshot(): { values: Array<{ name: string; data: Buffer }>; key: string } {
    const values = this.store.list().flatMap((name) => { const data = this.store.get(name); return data ? [{ name, data }] : []; });
    const hash = createHash('sha256');
    for (const v of values) hash.update(`${v.name}\0${v.data.length}\0`).update(v.data);
    return { values, key: hash.digest('hex') };
  }

  /** Applies what the commands of folder `n` put and deleted (deletes first: a put after a delete removed its marker). */
  private async apply(lease: ContainerLease, n: number): Promise<void> {
    const stream = await lease.getArchive!(`${DATA_ROOT}/${n}/out`);
    if (!stream) return;
    const entries = readTar(await collect(stream));
    const named = (kind: string) => entries
      .filter((e) => e.type === 'file' && e.name.startsWith(`out/${kind}/`) && !/\.tmp\d+$/.test(e.name))
      .map((e) => ({ name: e.name.slice(`out/${kind}/`.length), data: e.data! }))
      .filter((e) => dataNameProblem(e.name) === undefined);
    for (const { name } of named('del')) this.store.delete(name);
    for (const { name, data } of named('put')) this.store.put(name, data);
  }
}
