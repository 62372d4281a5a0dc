// Records and the cache hold commands' output (and a pipeline's secrets file sits next to them): every
// folder Caisson creates is 0700 and every file 0600, whatever the umask.
import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, RunRecorder, RunStore, cacheDir, compile, pipeline, runsDirOf, type RunMeta } from '../../../core/plugin-kit.ts';
import { FakeRuntimeProvider } from '../../../plugins/runtime-fake/index.ts';

const mode = (p: string) => statSync(p).mode & 0o777;

/** Every path under `dir` (itself excluded), folders and files. */
const under = (dir: string): string[] => readdirSync(dir).flatMap((n) => {
  const p = join(dir, n);
  return statSync(p).isDirectory() ? [p, ...under(p)] : [p];
});

/** Runs `fn` with the process umask set to `mask`. */
const withUmask = async <T>(mask: number, fn: () => Promise<T> | T): Promise<T> => {
  const before = process.umask(mask);
  try { return await fn(); } finally { process.umask(before); }
};

async function record(dir: string) {
  const ir = compile(pipeline('p').exec('a', 'x'));
  const meta: RunMeta = { version: 1, runId: 'r-1', pipeline: 'p', file: join(dir, 'p.ts'), exportName: 'default', runtime: 'fake', createdAt: 0 };
  const rec = new RunStore(runsDirOf(dir)).create(meta, ir);
  const fake = new FakeRuntimeProvider().script('/p/a', { stdout: 'private output\n' });
  const run = new Engine(fake, fake.clock).createRun(ir, { runId: 'r-1' });
  const recorder = new RunRecorder(run, rec, 'run');
  await run.start();
  recorder.close();
  rec.saveIr(ir);
  return rec;
}

describe('store: permissions', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'caisson-perm-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const mask of [0o000, 0o022, 0o277]) {
    it(`a record's folders are 0700 and its files 0600 under umask ${mask.toString(8).padStart(3, '0')}`, async () => {
      await withUmask(mask, () => record(dir));
      const paths = [join(dir, '.caisson'), ...under(join(dir, '.caisson'))];
      assert.ok(paths.some((p) => p.endsWith('1.jsonl')) && paths.some((p) => p.endsWith('events.jsonl')), paths.join('\n'));
      for (const p of paths) assert.equal(mode(p), statSync(p).isDirectory() ? 0o700 : 0o600, `${p}: ${mode(p).toString(8)}`);
    });
  }

  it('tightens an existing .caisson and .caisson/runs (made by an older Caisson) when it records a run there', async () => {
    mkdirSync(join(dir, '.caisson/runs'), { recursive: true });
    chmodSync(join(dir, '.caisson'), 0o755);
    chmodSync(join(dir, '.caisson/runs'), 0o775);
    await record(dir);
    assert.equal(mode(join(dir, '.caisson')), 0o700);
    assert.equal(mode(join(dir, '.caisson/runs')), 0o700);
  });

  it('creates the cache folders 0700 under any umask, and leaves a CAISSON_CACHE_DIR that already exists alone', async () => {
    const before = process.env.CAISSON_CACHE_DIR;
    try {
      process.env.CAISSON_CACHE_DIR = join(dir, 'new', 'cache');
      const probes = await withUmask(0o000, () => cacheDir('probes'));
      for (const p of [join(dir, 'new'), join(dir, 'new', 'cache'), probes]) assert.equal(mode(p), 0o700, p);
      mkdirSync(join(dir, 'shared'), { mode: 0o755 });
      chmodSync(join(dir, 'shared'), 0o755);
      process.env.CAISSON_CACHE_DIR = join(dir, 'shared');
      assert.equal(mode(cacheDir('git')), 0o700);
      assert.equal(mode(join(dir, 'shared')), 0o755, 'a folder the user pointed at is not Caisson\'s to change');
    } finally {
      if (before === undefined) delete process.env.CAISSON_CACHE_DIR; else process.env.CAISSON_CACHE_DIR = before;
    }
  });
});
