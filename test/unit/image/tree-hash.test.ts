// The content hash of a copied tree streams each file: a file past Node's 2 GiB readFile limit hashes
// like any other (a sparse file, so the test costs no disk).
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, createCaisson, image, pipeline } from '../../../core/index.ts';
import { hashFile } from '../../../core/image/tree-hash.ts';
import { baseReqsImages } from '../../../plugins/image-base-reqs/index.ts';
import { fakeRuntime } from '../../../plugins/runtime-fake/index.ts';
import { FakeImageBuilder } from './support/fake-image-builder.ts';

const serviceWithFakeBuilder = () => createCaisson({
  plugins: [fakeRuntime(), baseReqsImages(), { name: 'fake-builder', imageBuilder: new FakeImageBuilder() }],
});

describe('tree hash', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'caisson-hash-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('hashes a copyDir holding a sparse file larger than 2 GiB, through the image service', async () => {
    writeFileSync(join(dir, 'small.txt'), 'x');
    execFileSync('truncate', ['-s', '2049M', join(dir, 'big.bin')]);
    const { images } = serviceWithFakeBuilder();
    const ir = compile(pipeline('p', { image: image({ ref: 'debian:bookworm-slim', copyDir: dir, name: 'big' }) }).exec('a', 'true'));
    assert.match((await images.resolveAll(ir)).big!.ref, /^caisson\/big:[0-9a-f]{12}$/);
  });

  it('hashFile gives the sha256 of the content, as sha256sum does, across chunks', () => {
    const file = join(dir, 'f');
    writeFileSync(file, Buffer.alloc(3 * 1024 * 1024 + 7, 'ab'));
    assert.equal(hashFile(file), execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0]);
  });

  it('a copied folder gone by the time the image resolves is one error naming the image and option, not a stack', async () => {
    const gone = join(dir, 'gone');
    mkdirSync(gone);
    const ir = compile(pipeline('p', { image: image({ ref: 'debian:bookworm-slim', copyDir: gone, name: 'gone' }) }).exec('a', 'true'));
    rmSync(gone, { recursive: true });
    await assert.rejects(serviceWithFakeBuilder().images.resolveAll(ir), /^ImageSpecError: image "gone": copyDir: no directory at .*\/gone \(relative paths resolve from /);
  });
});
