import { strict as assert } from 'node:assert';
import { compile, exec, image, nameForRef, pipeline, serial } from '../../../core/dsl/index.ts';
import { throwsCode } from '../../helpers/errors.ts';
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
    const e = throwsCode(() => compile(p), 'DSL', { path: '/p/a', option: 'imageName' });
    assert.match(e.message, /"nope".*\(known: busybox-latest\)/);
  });

  it('two different definitions under one chosen name are an ImageConflictError', () => {
    const p = pipeline('p', { image: image({ ref: 'node:20', name: 'js' }) }).exec('a', 'x', { image: image({ ref: 'node:18', name: 'js' }) });
    const e = throwsCode(() => compile(p), 'IMAGE_CONFLICT', { image: 'js' });
    // Where both come from is the point of the message.
    assert.match(e.message, /ref "node:20" at \/p and ref "node:18" at \/p\/a/);
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
    throwsCode(() => image({ ref: '' }), 'IMAGE_SPEC', { option: 'ref' });
    throwsCode(() => image({ ref: 'x', name: 'a/b' }), 'DSL', { path: 'image()', option: 'name' });
    throwsCode(() => image({ ref: 'x', dockerfil: 'D' } as never), 'DSL', { path: 'image()', option: 'dockerfil' });
  });
});
