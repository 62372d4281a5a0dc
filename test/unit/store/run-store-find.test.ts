// The runs folder as `caisson runs/show/resume` use it, in-process: where it is, which folders count as
// runs, newest-first order, lookups by id, prefix and "latest" with the messages a user reads, and the
// runner state of a record.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  RunNotFoundError, RunRecord, RunRecordError, RunStore, compile, isProcessAlive, pipeline, runnerStateOf, runsDirOf, type PipelineIR, type RunMeta,
} from '../../../core/plugin-kit.ts';

const meta = (runId: string): RunMeta => ({ version: 1, runId, pipeline: 'p', file: '/x/p.ts', exportName: 'default', runtime: 'fake', createdAt: 0 });
// Compiled at first use, not while the file loads (mutation testing would count the DSL it runs as static).
let compiled: PipelineIR | undefined;
const ir = (): PipelineIR => (compiled ??= compile(pipeline('p').exec('a', 'true')));

describe('store: the runs folder', () => {
  let dir: string;
  let store: RunStore;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'caisson-runs-')); store = new RunStore(join(dir, 'runs')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const notFound = (ref: string, message: string) =>
    assert.throws(() => store.find(ref), (e: unknown) => e instanceof RunNotFoundError && e.message === message);

  it('lives in .caisson/runs next to the pipeline file', () => {
    assert.equal(runsDirOf('/work/app'), join('/work/app', '.caisson', 'runs'));
    assert.equal(RunStore.forPipelineFile('/work/app/ci.ts').runsDir, join('/work/app', '.caisson', 'runs'));
  });

  it('has no runs before the folder exists, and counts only folders with a meta.json', () => {
    assert.deepEqual(store.ids(), []);
    store.create(meta('20260101-000000-aaaa'), ir());
    mkdirSync(join(store.runsDir, '20260105-000000-junk'));
    writeFileSync(join(store.runsDir, 'stray-file'), '');
    assert.deepEqual(store.ids(), ['20260101-000000-aaaa']);
  });

  it('lists newest first: by the id\'s timestamp, then by file time within one second', () => {
    for (const id of ['20260101-000000-aaaa', '20260103-000000-zzzz', '20260102-000000-cccc', '20260103-000000-aaaa']) store.create(meta(id), ir());
    const touch = (id: string, s: number) => utimesSync(join(store.runsDir, id, 'meta.json'), s, s);
    touch('20260103-000000-zzzz', 1000);
    touch('20260103-000000-aaaa', 2000);
    assert.deepEqual(store.ids(), ['20260103-000000-aaaa', '20260103-000000-zzzz', '20260102-000000-cccc', '20260101-000000-aaaa']);
    touch('20260103-000000-zzzz', 3000);
    assert.deepEqual(store.ids().slice(0, 2), ['20260103-000000-zzzz', '20260103-000000-aaaa']);
    assert.equal(store.find('latest').id, '20260103-000000-zzzz');
  });

  it('refuses to record an id twice, and says why a record cannot be made', () => {
    store.create(meta('20260101-000000-aaaa'), ir());
    assert.throws(() => store.create(meta('20260101-000000-aaaa'), ir()), (e: unknown) => e instanceof RunRecordError
      && e.message === `cannot record run 20260101-000000-aaaa under ${store.runsDir}: a run with this id is already recorded`);
    writeFileSync(join(dir, 'plain'), '');
    const blocked = new RunStore(join(dir, 'plain', 'runs'));
    assert.throws(() => blocked.create(meta('20260101-000000-aaaa'), ir()), (e: unknown) => e instanceof RunRecordError
      && e.message === `cannot record run 20260101-000000-aaaa under ${blocked.runsDir}: ENOTDIR` && e.cause !== undefined);
  });

  it('says how to start a run when there is none', () => {
    notFound('latest', `no runs recorded under ${store.runsDir}; start one with caisson run FILE (or point --dir at the pipeline's folder)`);
  });

  it('an exact id wins over ids it is a prefix of', () => {
    store.create(meta('20260101-000000-aa'), ir());
    store.create(meta('20260101-000000-aaaa'), ir());
    assert.equal(store.find('20260101-000000-aa').id, '20260101-000000-aa');
    assert.equal(store.find('20260101-000000-aaa').id, '20260101-000000-aaaa');
  });

  it('an ambiguous prefix lists five ids at most, then an ellipsis', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'].map((s) => `20260101-00000${'012345'['abcdef'.indexOf(s)]}-${s}${s}${s}${s}`);
    for (const id of ids) store.create(meta(id), ir());
    const newest = [...ids].reverse();
    assert.throws(() => store.find('2026'), (e: unknown) => e instanceof RunNotFoundError
      && e.message === `run "2026" is ambiguous: it starts 6 run ids (${newest.slice(0, 5).join(', ')}, …); give more of the id`
      && e.candidates.length === 6);
    rmSync(join(store.runsDir, ids[0]!), { recursive: true });
    assert.throws(() => store.find('2026'), (e: unknown) => e instanceof RunNotFoundError
      && e.message === `run "2026" is ambiguous: it starts 5 run ids (${newest.slice(0, 5).join(', ')}); give more of the id`);
  });

  it('an unknown ref names up to three closest ids, longest shared prefix first, or none', () => {
    for (const id of ['20250101-000000-aaaa', '20260101-000000-aaaa', '20260101-120000-aaaa', '20260102-000000-aaaa', '20260101-110000-aaaa']) store.create(meta(id), ir());
    notFound('20260101-12x', `no run "20260101-12x" under ${store.runsDir}; closest: 20260101-120000-aaaa, 20260101-110000-aaaa, 20260101-000000-aaaa (caisson runs lists them)`);
    notFound('x2026', `no run "x2026" under ${store.runsDir} (caisson runs lists them)`);
    assert.throws(() => store.find('2027'), (e: unknown) => e instanceof RunNotFoundError && e.candidates.length === 3);
  });

  it('open() of an unknown id names the id and the folder', () => {
    assert.throws(() => store.open('nope'), (e: unknown) => e instanceof RunNotFoundError && e.message === `no run nope under ${store.runsDir}`);
  });
});

describe('store: a run record\'s files', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'caisson-record-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a record without a log replays as never run', () => {
    const record = new RunStore(dir).create(meta('20260101-000000-aaaa'), ir());
    assert.equal(record.loadLogText(), '');
    assert.deepEqual(record.replay().statuses, {});
    assert.deepEqual(record.loadMeta(), meta('20260101-000000-aaaa'));
    record.saveIr(compile(pipeline('p').exec('b', 'false')));
    const root = record.loadIr().root;
    assert.equal(root.kind === 'exec' ? '' : root.children[0]!.name, 'b');
  });

  it('names the file and what is wrong with a missing, broken or invalid record file', () => {
    const record = new RunRecord(dir, 'r1');
    assert.throws(() => record.loadMeta(), (e: unknown) => e instanceof RunRecordError
      && e.message === `run r1: cannot read ${join(dir, 'meta.json')} (ENOENT); the record is incomplete` && e.cause !== undefined);
    writeFileSync(join(dir, 'meta.json'), '{oops');
    assert.throws(() => record.loadMeta(), (e: unknown) => e instanceof RunRecordError
      && e.message.startsWith(`run r1: ${join(dir, 'meta.json')} is not valid JSON: `) && e.cause !== undefined);
    writeFileSync(join(dir, 'ir.json'), '{"apiVersion":"caisson/v0"}');
    assert.throws(() => record.loadIr(), (e: unknown) => e instanceof RunRecordError
      && e.message.startsWith(`run r1: ${join(dir, 'ir.json')} is not a valid pipeline IR: invalid pipeline IR`) && e.cause !== undefined);
    writeFileSync(join(dir, 'ir.json'), 'not json');
    assert.throws(() => record.loadIr(), (e: unknown) => e instanceof RunRecordError && e.message.startsWith(`run r1: ${join(dir, 'ir.json')} is not valid JSON: `));
  });
});

describe('store: runner state', () => {
  const runner = (pid: number, host = hostname()) => ({ type: 'runner' as const, at: 1, pid, host, command: 'run' });

  it('tells a live process from a gone one', () => {
    assert.equal(isProcessAlive(process.pid), true);
    assert.equal(isProcessAlive(2 ** 22 + 12345), false);
  });

  it('none without a runner, finished after run-finished, running elsewhere or while alive, gone otherwise', () => {
    assert.equal(runnerStateOf({ runnerFinished: false }), 'none');
    assert.equal(runnerStateOf({ runner: runner(process.pid), runnerFinished: true }), 'finished');
    assert.equal(runnerStateOf({ runner: runner(2 ** 22 + 12345, `${hostname()}-elsewhere`), runnerFinished: false }), 'running');
    assert.equal(runnerStateOf({ runner: runner(process.pid), runnerFinished: false }), 'running');
    assert.equal(runnerStateOf({ runner: runner(2 ** 22 + 12345), runnerFinished: false }), 'gone');
  });
});
