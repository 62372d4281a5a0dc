/**
 * RunData's archive calls: a container that came with the data store's files (ContainerSpec.files) and
 * whose commands wrote nothing (CommandSpec.probe) costs no putArchive and no getArchive; one that
 * could not get them, or whose command wrote, gets the calls that keep `caisson-data` working.
 */
import assert from 'node:assert/strict';
import type { CommandResult, ContainerLease } from '../../../core/index.ts';
import { MemoryDataStore } from '../../../core/index.ts';
import { RunData } from '../../../core/data/run-data.ts';
import { readTar, writeTar } from '../../../core/artifacts/tar.ts';

/** A lease that records archive calls; getArchive serves `out` as the folder's writes. */
const stubLease = (filesReady: boolean | undefined, out: Record<string, string> = {}) => {
  const calls: string[] = [];
  const puts: string[][] = [];
  const lease: ContainerLease = {
    id: 'c1',
    run: () => Promise.reject(new Error('not used')),
    dispose: () => Promise.resolve(),
    putArchive: (path, tar) => { calls.push(`put ${path}`); puts.push(readTar(Buffer.from(tar)).map((e) => e.name)); return Promise.resolve(); },
    getArchive: (path) => {
      calls.push(`get ${path}`);
      const tar = writeTar(Object.entries(out).map(([name, v]) => ({ name: `out/put/${name}`, type: 'file' as const, mode: 0o644, data: Buffer.from(v) })));
      return Promise.resolve((async function* () { yield tar; })());
    },
    ...(filesReady !== undefined && { filesReady: () => Promise.resolve(filesReady) }),
  };
  return { lease, calls, puts };
};
const ended = (probed?: boolean): CommandResult => ({ exitCode: 0, ...(probed !== undefined && { probed }) });

describe('data store: archive calls per container', () => {
  it('files with the container, an empty store and no writes: no archive call at all', async () => {
    const data = new RunData(new MemoryDataStore());
    const { lease, calls } = stubLease(true);
    const n = await data.prepare(lease);
    assert.equal(n, 0, 'the folder the container came with');
    assert.equal(data.probeFor(n), '/caisson/data/0/out');
    data.ran(lease, ended(false));
    assert.equal(data.release(lease), undefined, 'disposed at once');
    assert.deepEqual(calls, []);
  });

  it('a command that wrote is read back before the container goes', async () => {
    const store = new MemoryDataStore();
    const data = new RunData(store);
    const { lease, calls } = stubLease(true, { k: 'v' });
    await data.prepare(lease);
    data.ran(lease, ended(true));
    await data.release(lease);
    assert.deepEqual(calls, ['get /caisson/data/0/out']);
    assert.equal(store.get('k')?.toString(), 'v');
  });

  it('a runtime that did not look (no probed) is read back, as before', async () => {
    const data = new RunData(new MemoryDataStore());
    const { lease, calls } = stubLease(true);
    await data.prepare(lease);
    data.ran(lease, ended());
    await data.release(lease);
    assert.deepEqual(calls, ['get /caisson/data/0/out']);
  });

  it('a store with values: one put of the snapshot, without the script the container already has', async () => {
    const store = new MemoryDataStore();
    store.put('a', '1');
    const data = new RunData(store);
    const { lease, puts } = stubLease(true);
    const n = await data.prepare(lease);
    assert.notEqual(n, 0);
    assert.deepEqual(puts, [[`caisson/data/${n}`, `caisson/data/${n}/in`, `caisson/data/${n}/in/a`, 'caisson/data/current']]);
  });

  it('files that did not land (or a runtime without them): the script comes with the first put', async () => {
    for (const ready of [false, undefined]) {
      const data = new RunData(new MemoryDataStore());
      const { lease, puts } = stubLease(ready);
      await data.prepare(lease);
      assert.ok(puts[0]?.includes('caisson/bin/caisson-data'), `filesReady ${String(ready)}`);
    }
  });
});
