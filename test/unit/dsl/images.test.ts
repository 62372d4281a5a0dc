import { strict as assert } from 'node:assert';
import { compile, exec, image, nameForRef, pipeline, serial } from '../../../core/dsl/index.ts';
import { DslError, ImageConflictError } from '../../../core/errors.ts';
import { findNode } from '../../../core/ir/index.ts';

describe('images table', () => {
  it('gives the root the default image when none is set, and lists only that', () => {
    const ir = compile(pipeline('p').exec('a', 'x'));
    assert.deepEqual(ir.images, { 'caisson-default': { kind: 'ref', name: 'caisson-default', ref: 'debian:bookworm-slim' } });
    assert.equal(findNode(ir.root, '/p/a').image, 'caisson-default');
  });

  it('names a string reference deterministically and shares one entry for equal references', () => {
    const ir = compile(pipeline('p', { image: 'node:20' }).exec('a', 'x', { image: 'node:20' }).exec('b', 'y', { image: 'ghcr.io/acme/app:1.2' }));
    assert.deepEqual(Object.keys(ir.images), ['ghcr.io-acme-app-1.2', 'node-20']);
    assert.equal(findNode(ir.root, '/p/a').image, 'node-20');
    assert.equal(findNode(ir.root, '/p/b').image, 'ghcr.io-acme-app-1.2');
    assert.equal(nameForRef('busybox@sha256:abc'), 'busybox-sha256-abc');
  });

  it('adds the default only when the root has no image (children may still set theirs)', () => {
    const ir = compile(pipeline('p').exec('a', 'x', { image: 'busybox:latest' }));
    assert.deepEqual(Object.keys(ir.images), ['busybox-latest', 'caisson-default']);
    assert.deepEqual(Object.keys(compile(pipeline('p', { image: 'busybox:latest' }).exec('a', 'x')).images), ['busybox-latest']);
  });

  it('registerImage adds an image without assigning it; imageName refers to it from anywhere', () => {
    const deb = image({ ref: 'debian:bookworm-slim', name: 'deb' });
    const sub = serial().exec('x', 'y', { imageName: 'deb' });
    const ir = compile(pipeline('p', { image: 'busybox:latest' }).add('sub', sub).registerImage(deb).registerImage('alpine:3'));
    assert.deepEqual(Object.keys(ir.images), ['alpine-3', 'busybox-latest', 'deb']);
    assert.equal(findNode(ir.root, '/p/sub').image, 'busybox-latest');
    assert.equal(findNode(ir.root, '/p/sub/x').image, 'deb');
  });

  it('imageName can refer to an image set as `image` elsewhere in the tree', () => {
    const ir = compile(pipeline('p').exec('a', 'x', { image: image({ ref: 'node:20', name: 'node' }) }).exec('b', 'y', { imageName: 'node' }));
    assert.equal(findNode(ir.root, '/p/b').image, 'node');
  });

  it('an unknown imageName is a DslError naming the node and the known names', () => {
    const p = pipeline('p', { image: 'busybox:latest' }).exec('a', 'x', { imageName: 'nope' });
    assert.throws(() => compile(p), (e: unknown) => e instanceof DslError
      && e.message === '/p/a: imageName: no image named "nope" in this pipeline (known: busybox-latest); register it with registerImage(image({ ref, name })) or set image instead');
  });

  it('two different definitions under one chosen name are an ImageConflictError', () => {
    const p = pipeline('p', { image: image({ ref: 'node:20', name: 'js' }) }).exec('a', 'x', { image: image({ ref: 'node:18', name: 'js' }) });
    assert.throws(() => compile(p), (e: unknown) => e instanceof ImageConflictError
      && e.message === 'image "js" is already present with a different definition in this pipeline: ref "node:20" at /p and ref "node:18" at /p/a; give one of them another name');
  });

  it('a clash of derived names gets a stable hash suffix instead of an error', () => {
    const ir = compile(pipeline('p', { image: 'a/b' }).add('x', exec('true', { image: 'a:b' })));
    const names = Object.keys(ir.images);
    assert.equal(names.length, 2);
    assert.ok(names.includes('a-b'));
    const other = names.find((n) => n !== 'a-b')!;
    assert.match(other, /^a-b-[0-9a-f]{6}$/);
    assert.equal(ir.images[other]!.ref, 'a:b');
    assert.deepEqual(Object.keys(compile(pipeline('p', { image: 'a/b' }).add('x', exec('true', { image: 'a:b' }))).images), names);
  });

  it('image() rejects bad options', () => {
    assert.throws(() => image({ ref: '' }), (e: unknown) => e instanceof DslError && /ref: expected a Docker image reference/.test(e.message));
    assert.throws(() => image({ ref: 'x', name: 'a/b' }), DslError);
    assert.throws(() => image({ ref: 'x', dockerfil: 'D' } as never), (e: unknown) => e instanceof DslError && /unknown option "dockerfil"/.test(e.message));
  });
});
