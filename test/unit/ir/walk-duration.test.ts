// Durations as Conducto spells them, and the walks over an IR tree that every layer relies on (paths,
// tree order, lookups whose errors name what does exist).
import { strict as assert } from 'node:assert';
import { NodeNotFoundError, childPath, execNodes, findNode, formatDuration, parseDuration, splitPath, walk } from '../../../core/plugin-kit.ts';
import { exec, parallel, pipeline, serial } from '../../helpers/ir.ts';

describe('ir: durations', () => {
  const cases: Array<[string, number]> = [
    ['90', 90], ['1.5', 1.5], ['1.25', 1.25], ['1.25s', 1.25], ['  45s  ', 45], ['90s', 90], ['2m', 120], ['1h30m', 5400], ['1.5d', 129600],
    ['1w', 604800], ['1mm', 2592000], ['1y', 31536000], ['.5s', 0.5], ['250ms', 0.25], ['1h1m1s', 3661],
  ];
  for (const [text, seconds] of cases) {
    it(`parses ${JSON.stringify(text)} as ${seconds}s`, () => assert.equal(parseDuration(text), seconds));
  }

  it('parses the sub-second units', () => {
    assert.ok(Math.abs(parseDuration('5ns')! - 5e-9) < 1e-18);
    assert.ok(Math.abs(parseDuration('5us')! - 5e-6) < 1e-15);
    assert.ok(Math.abs(parseDuration('5µs')! - 5e-6) < 1e-15);
  });

  for (const bad of ['', '   ', 's', '1x', '1h 30m', '1h30', 'h1', '1..5s', '-5s', '1,5s', '5s!']) {
    it(`rejects ${JSON.stringify(bad)}`, () => assert.equal(parseDuration(bad), undefined));
  }

  it('parses the same text twice alike (no state left from a failed parse)', () => {
    assert.equal(parseDuration('1hx'), undefined);
    assert.equal(parseDuration('30m'), 1800);
    assert.equal(parseDuration('30m'), 1800);
  });

  const formats: Array<[number, string]> = [
    [0, '0s'], [0.5, '0.5s'], [1.23456, '1.235s'], [59, '59s'], [59.9994, '59.999s'], [60, '1m'], [90, '1m30s'],
    [3600, '1h'], [3661, '1h1m1s'], [5400, '1h30m'], [86400, '1d'], [90061, '1d1h1m1s'], [119.6, '2m'], [172800, '2d'],
  ];
  for (const [seconds, text] of formats) {
    it(`formats ${seconds}s as ${text}`, () => assert.equal(formatDuration(seconds), text));
  }
});

describe('ir: walks and paths', () => {
  const root = serial('ci', [
    exec('install'),
    parallel('checks', [exec('lint'), exec('unit')]),
    serial('deploy', [exec('push')]),
  ]);

  it('walks depth first in tree order, with each path and parent', () => {
    const seen: string[] = [];
    walk(root, (node, path, parent) => seen.push(`${path}<${parent?.name ?? '-'}:${node.kind}`));
    assert.deepEqual(seen, [
      '/ci<-:serial', '/ci/install<ci:exec', '/ci/checks<ci:parallel', '/ci/checks/lint<checks:exec',
      '/ci/checks/unit<checks:exec', '/ci/deploy<ci:serial', '/ci/deploy/push<deploy:exec',
    ]);
  });

  it('lists the Execs with their paths in tree order', () => {
    assert.deepEqual(execNodes(root).map((e) => `${e.path}=${e.node.name}`),
      ['/ci/install=install', '/ci/checks/lint=lint', '/ci/checks/unit=unit', '/ci/deploy/push=push']);
    assert.deepEqual(execNodes(exec('solo')).map((e) => e.path), ['/solo']);
  });

  it('builds and splits paths', () => {
    assert.equal(childPath('', 'ci'), '/ci');
    assert.equal(childPath('/ci', 'unit'), '/ci/unit');
    assert.deepEqual(splitPath('/ci//checks/unit/'), ['ci', 'checks', 'unit']);
    assert.deepEqual(splitPath('/'), []);
  });

  it('finds a node by its absolute path, with or without slashes around', () => {
    assert.equal(findNode(root, '/ci/checks/unit').name, 'unit');
    assert.equal(findNode(root, 'ci/checks/').name, 'checks');
    assert.equal(findNode(root, '/ci'), root);
  });

  it('names the known children where a lookup fails', () => {
    assert.throws(() => findNode(root, '/ci/checks/e2e'), (e: unknown) =>
      e instanceof NodeNotFoundError && e.message === 'no node at /ci/checks/e2e; known children: /ci/checks/lint, /ci/checks/unit');
    assert.throws(() => findNode(root, '/other/x'), (e: unknown) =>
      e instanceof NodeNotFoundError && e.message === 'no node at /other/x; known children: /ci');
    assert.throws(() => findNode(root, '/ci/install/deeper'), (e: unknown) =>
      e instanceof NodeNotFoundError && e.message === 'no node at /ci/install/deeper');
  });

  it('a pipeline IR of a single Exec has that Exec as its root', () => {
    const ir = pipeline(exec('only', 'echo hi'));
    assert.equal(findNode(ir.root, '/only').kind, 'exec');
  });
});
