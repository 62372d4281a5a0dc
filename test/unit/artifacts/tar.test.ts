// The tar codec artifacts use: it reads what GNU tar writes in its gnu and pax formats (long names,
// symlinks, hard links, modes) and what it writes reads back the same, with GNU tar agreeing.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { chmodSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { globRegExp, readTar, staticPrefix, writeTar } from '../../../core/plugin-kit.ts';

const LONG = `${'deep/'.repeat(30)}file-with-a-long-name.txt`;

describe('artifacts: tar codec', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'caisson-tar-'));
    const src = join(dir, 'src');
    mkdirSync(join(src, 'dist', ...LONG.split('/').slice(0, -1)), { recursive: true });
    writeFileSync(join(src, 'dist', 'run.sh'), '#!/bin/sh\n');
    chmodSync(join(src, 'dist', 'run.sh'), 0o755);
    writeFileSync(join(src, 'dist', LONG), 'long');
    symlinkSync('run.sh', join(src, 'dist', 'link'));
    linkSync(join(src, 'dist', 'run.sh'), join(src, 'dist', 'hard.sh'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const format of ['gnu', 'pax']) {
    it(`reads GNU tar's ${format} format: long names, modes, symlinks, hard links as copies`, () => {
      const tar = execFileSync('tar', [`--format=${format}`, '-cf', '-', '-C', join(dir, 'src'), 'dist']);
      const entries = readTar(tar);
      const byName = new Map(entries.map((e) => [e.name, e]));
      assert.equal(byName.get(`dist/${LONG}`)?.data?.toString(), 'long');
      assert.equal(byName.get('dist/run.sh')?.mode, 0o755);
      assert.deepEqual([byName.get('dist/link')?.type, byName.get('dist/link')?.linkname], ['symlink', 'run.sh']);
      assert.equal(byName.get('dist/hard.sh')?.data?.toString(), '#!/bin/sh\n');
      assert.equal(byName.get('dist')?.type, 'dir');
    });
  }

  it('writes archives GNU tar extracts the same, and reads them back equal', () => {
    const entries = readTar(execFileSync('tar', ['--format=pax', '-cf', '-', '-C', join(dir, 'src'), 'dist']));
    const written = writeTar(entries);
    assert.deepEqual(readTar(written).map((e) => [e.name, e.type, e.mode, e.data?.toString(), e.linkname]), entries.map((e) => [e.name, e.type, e.mode, e.data?.toString(), e.linkname]));
    writeFileSync(join(dir, 'out.tar'), written);
    mkdirSync(join(dir, 'out'));
    execFileSync('tar', ['-xf', join(dir, 'out.tar'), '-C', join(dir, 'out')]);
    assert.equal(readFileSync(join(dir, 'out', 'dist', LONG), 'utf8'), 'long');
  });

  it('globs: * stays in a folder, ** crosses folders; the static prefix is the folder copied out', () => {
    assert.equal(staticPrefix('reports/**/*.xml'), 'reports');
    assert.equal(staticPrefix('a/b/c?.txt'), 'a/b');
    assert.ok(globRegExp('out/*.txt').test('out/a.txt'));
    assert.ok(!globRegExp('out/*.txt').test('out/sub/a.txt'));
    assert.ok(globRegExp('reports/**/*.xml').test('reports/a.xml'));
    assert.ok(globRegExp('reports/**/*.xml').test('reports/x/y/a.xml'));
    assert.ok(globRegExp('out/[ab].txt').test('out/b.txt') && !globRegExp('out/[ab].txt').test('out/c.txt'));
  });
});
