/**
 * `caisson run --concurrency` and `--mem` on Docker: how many Exec nodes run at once. Measured without
 * timing: each node of a Parallel of three leaves a mark in a host folder they all mount, waits (a bounded
 * while) until it sees three marks, and prints how many it saw before it ended. Run all at once, each
 * sees 3; one at a time, the k-th to run sees k (the earlier ones' marks, and its own).
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCaisson } from '../helpers/cli.ts';
import { requireDocker } from '../helpers/docker.ts';
import { removeProject, tempProject } from '../helpers/temp-project.ts';

// Waits up to 5 s for three marks; prints how many there were when it stopped waiting.
const NODE = [
  'touch /shared/started-$WHO',
  'i=0; while [ $i -lt 50 ] && [ $(ls /shared | grep -c "^started-") -lt 3 ]; do sleep 0.1; i=$((i+1)); done',
  'echo "saw=$(ls /shared | grep -c "^started-")"',
].join('\n');

describe('caisson run --concurrency and --mem (Docker)', function () {
  this.timeout(120_000);
  let dir: string;
  before(async function () { await requireDocker(this); });
  beforeEach(() => {
    dir = tempProject('capacity');
    mkdirSync(join(dir, 'shared'));
    // mem 1 GB per node (the default is 2): --mem 1 leaves room for exactly one.
    writeFileSync(join(dir, 'pipe.ts'), `
import { pipeline } from 'caisson';
const node = ${JSON.stringify(NODE)};
export default pipeline('cap', { image: 'busybox:latest', mem: 1, dockerRunArgs: ['-v', './shared:/shared'] })
  .parallel('p', (p) => p.exec('a', node, { env: { WHO: 'a' } }).exec('b', node, { env: { WHO: 'b' } }).exec('c', node, { env: { WHO: 'c' } }));
`);
  });
  afterEach(() => removeProject(dir));

  /** The `saw=` counts the three nodes printed, sorted. */
  const run = (...flags: string[]) => {
    const r = runCaisson(dir, 'run', 'pipe.ts', '--cpu', '8', ...flags);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    return ['a', 'b', 'c'].map((n) => new RegExp(`/cap/p/${n} {2}\\| saw=(\\d)$`, 'm').exec(r.stdout)?.[1] ?? `no saw= line for ${n}`).sort();
  };

  it('with room for all: the three nodes of the Parallel run at once', () => {
    assert.deepEqual(run('--mem', '8'), ['3', '3', '3']);
  });

  it('--concurrency 1: one node at a time', () => {
    assert.deepEqual(run('--mem', '8', '--concurrency', '1'), ['1', '2', '3']);
  });

  it('--mem as small as one node\'s mem: one node at a time', () => {
    assert.deepEqual(run('--mem', '1'), ['1', '2', '3']);
  });
});
