// pipelineData from native functions on the fake runtime (called in-process on the fake container's
// files): puts, bytes, a shell node's caisson-data put seen by a later native node, deletes, the store
// after the run, and a bad name.
import { strict as assert } from 'node:assert';
import { decodeTagged, MemoryDataStore, pipelineData } from '../../../core/index.ts';
import { runFake } from '../../../plugins/runtime-fake/index.ts';

describe('pipelineData: the data store from native functions (fake runtime)', () => {
  it('puts, gets, lists and deletes as caisson-data does, across native and shell nodes, into the run\'s store', async () => {
    // Loaded here, not at the top: see test/unit/native/native-dsl.test.ts.
    const { default: p } = await import('../../fixtures/native/data.ts');
    const data = new MemoryDataStore();
    const { status } = await runFake(p, { data, scripts: { '/data/shell': { data: { put: { 'shell/said': 'hi\n' } } } } });
    const result = (path: string) => decodeTagged(JSON.parse(status(path).result!)) as unknown;
    assert.deepEqual(result('/data/remember'), ['notes/a', 'version'], 'a command sees its own writes');
    assert.deepEqual(result('/data/recall'), { version: '1.4.2', fromShell: 'hi\n', bytes: [1, 2, 3], missing: undefined });
    assert.deepEqual(result('/data/forget'), { list: ['shell/said', 'version'], exists: false });
    assert.equal(data.get('version')?.toString(), '1.4.2');
    assert.equal(data.get('notes/a'), undefined, 'the delete reached the store');
    assert.equal(status('/data/bad').state, 'error');
    assert.match(status('/data/bad').reason!, /pipelineData: bad name "\.\.\/escape"/);
  });

  it('outside a node it says there is no data store here', () => {
    assert.throws(() => pipelineData.get('x'), /pipelineData: no data store here \(this code is not running as a node of a Caisson run\)/);
  });
});
