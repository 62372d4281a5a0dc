// A lazy node whose generator is a native function, on Docker through the CLI: the function runs in the
// generator's container (an image built from debian:bookworm-slim plus nodejs), returns a Parallel of
// shards that use an image registered at the top by name, and the shards are grafted and run; resume
// never runs the generator again.
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCaisson } from '../helpers/cli.ts';
import { listLabelled, requireDocker } from '../helpers/docker.ts';
import { removeProject, tempProject } from '../helpers/temp-project.ts';

const PIPELINE = `import { image, parallel, pipeline } from 'caisson';

/** count shards on the registered busybox image, each echoing its number and the label. */
export function shards(count: number, label: string) {
  let p = parallel({ imageName: 'box' });
  for (let i = 0; i < count; i++) p = p.exec('shard' + i, 'echo ' + label + ' shard ' + i + ' on $(cat /etc/hostname)');
  return p;
}

const node = image({ image: 'debian:bookworm-slim', installPackages: ['nodejs'], name: 'node' });

export default pipeline('lf', { image: node })
  .registerImage(image({ ref: 'busybox:latest', name: 'box' }))
  .lazy('tests', shards, 12, 'unit')
  .exec('after', 'echo after the shards');
`;

describe('lazy subtrees from a native function, on Docker', function () {
  this.timeout(600_000);
  let dir: string;
  before(async function () { await requireDocker(this); dir = tempProject('lazy-fn-it'); });
  after(() => { if (dir) removeProject(dir); });

  it('runs the function in the container, grafts its 12 shards on the registered image, and resume keeps the graft', async () => {
    writeFileSync(join(dir, 'pipeline.ts'), PIPELINE);
    const run = runCaisson(dir, 'run', 'pipeline.ts');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    for (let i = 0; i < 12; i++) assert.match(run.stdout, new RegExp(`/lf/tests/execute/shard${i} {2}\\| unit shard ${i} on `));
    assert.match(run.stdout, /\/lf\/after {2}\| after the shards/);
    const runId = /run (\S+) of lf started/.exec(run.stdout)![1]!;
    const events = readFileSync(join(dir, '.caisson/runs', runId, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; path?: string; node?: { children?: unknown[] } });
    const grafts = events.filter((e) => e.type === 'graft');
    assert.equal(grafts.length, 1);
    assert.equal(grafts[0]!.path, '/lf/tests/execute');
    assert.equal(grafts[0]!.node?.children?.length, 12);
    const show = runCaisson(dir, 'show', runId);
    assert.match(show.stdout, /shard11 {2}done/);
    // Resume has nothing to do and runs no generator again: still one graft, no new attempt of generate.
    assert.equal(runCaisson(dir, 'reset', runId, '/lf/after').code, 0);
    const resumed = runCaisson(dir, 'resume', runId);
    assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
    const after = readFileSync(join(dir, '.caisson/runs', runId, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; path?: string; state?: string });
    assert.equal(after.filter((e) => e.type === 'graft').length, 1);
    assert.equal(after.filter((e) => e.type === 'state' && e.path === '/lf/tests/generate' && e.state === 'running').length, 1);
    assert.deepEqual(await listLabelled(`dev.caisson.run=${runId}`), []);
  });
});

