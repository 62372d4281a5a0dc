// Lazy subtrees on the real Docker daemon, the CLI as a subprocess: a shell generator's fan-out of 50
// nodes that use an image registered at the top by name (built from a Dockerfile), shown in the record,
// and a reset of the lazy node that regenerates it while resume alone does not.
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCaisson } from '../helpers/cli.ts';
import { docker, requireDocker } from '../helpers/docker.ts';
import { removeProject, tempProject } from '../helpers/temp-project.ts';

const PIPELINE = [
  "import { image, pipeline } from 'caisson';",
  "const tools = image({ name: 'tools', dockerfileText: 'FROM busybox:latest\\nRUN echo from-tools > /tools.txt\\n' });",
  "export default pipeline('fan', { image: 'busybox:latest' })",
  '  .registerImage(tools)',
  "  .lazyCommand('shards', `",
  '    echo generating',
  "    { printf '{\"kind\":\"parallel\",\"maxConcurrent\":4,\"children\":['",
  '      i=1; while [ $i -le 50 ]; do',
  "        [ $i -gt 1 ] && printf ','",
  "        printf '{\"name\":\"s%s\",\"command\":\"echo shard %s $(cat /tools.txt) $WHO\",\"image\":\"tools\"}' $i $i",
  '        i=$((i+1))',
  '      done',
  "      printf ']}'",
  '    } > "$CAISSON_GRAFT_FILE"',
  "  `, { cpu: 0.25, env: { WHO: 'inherited' } });",
  '',
].join('\n');

describe('lazy subtrees on Docker', function () {
  this.timeout(300_000);
  let dir: string;
  before(async function () { await requireDocker(this); });
  beforeEach(() => { dir = tempProject('lazy-it'); });
  afterEach(() => removeProject(dir));

  it('a shell generator fans out 50 nodes on a registered image by name; resume keeps the graft, reset regenerates it', async () => {
    writeFileSync(join(dir, 'fan.ts'), PIPELINE);
    const pretty = runCaisson(dir, 'pretty', 'fan.ts');
    assert.match(pretty.stdout, /└─ … generated when \/fan\/shards\/generate runs/);
    const run = runCaisson(dir, 'run', 'fan.ts');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const show = runCaisson(dir, 'show', 'latest');
    assert.equal((show.stdout.match(/ s\d+ {2}done {2}attempt 1/g) ?? []).length, 50, show.stdout);
    const logs = runCaisson(dir, 'logs', 'latest', '/fan/shards/execute/s37');
    assert.equal(logs.stdout, 'shard 37 from-tools inherited\n');
    const runs = join(dir, '.caisson/runs');
    const runId = readdirSync(runs)[0]!;
    const grafts = () => readFileSync(join(runs, runId, 'events.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"type":"graft"'));
    assert.equal(grafts().length, 1);

    // resume after a reset of one grafted node: the generator does not run again.
    assert.equal(runCaisson(dir, 'reset', 'latest', '/fan/shards/execute/s3').code, 0);
    const resumed = runCaisson(dir, 'resume', 'latest');
    assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
    assert.doesNotMatch(resumed.stdout, /generating/);
    assert.equal(grafts().length, 1);

    // reset of the lazy node: the placeholder is back, and resume generates again.
    assert.equal(runCaisson(dir, 'reset', 'latest', '/fan/shards').code, 0);
    assert.match(runCaisson(dir, 'show', 'latest').stdout, /└─ … generated when \/fan\/shards\/generate runs/);
    const again = runCaisson(dir, 'resume', 'latest');
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /generating/);
    assert.equal(grafts().length, 2);
    assert.match(runCaisson(dir, 'show', 'latest').stdout, /s50 {2}done {2}attempt 2/);
    // The one image this test built: removed by its tag (never by id).
    const meta = JSON.parse(readFileSync(join(runs, runId, 'meta.json'), 'utf8')) as { images: Record<string, { ref: string }> };
    await docker.getImage(meta.images.tools!.ref).remove();
  });

  it('a generated IR document defines an image: it is built on demand, recorded, and resume runs it without building', async () => {
    const doc = {
      apiVersion: 'caisson/v1', name: 'g',
      images: { extra: { kind: 'dockerfile', name: 'extra', dir: '/tmp', dockerAutoWorkdir: true, dockerfileText: `FROM busybox:latest\nRUN echo built-on-demand-${process.pid} > /extra.txt\n` } },
      root: { kind: 'parallel', name: 'g', children: [{ name: 'use', command: 'cat /extra.txt', image: 'extra' }] },
    };
    const command = `printf '%s' '${JSON.stringify(doc)}' > "$CAISSON_GRAFT_FILE"`;
    writeFileSync(join(dir, 'doc.ts'), [
      "import { pipeline } from 'caisson';",
      `export default pipeline('doc', { image: 'busybox:latest' }).lazyCommand('gen', ${JSON.stringify(command)});`,
      '',
    ].join('\n'));
    const run = runCaisson(dir, 'run', 'doc.ts');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /image extra|caisson\/extra/);
    assert.equal(runCaisson(dir, 'logs', 'latest', '/doc/gen/execute/use').stdout, `built-on-demand-${process.pid}\n`);
    const runs = join(dir, '.caisson/runs');
    const runId = readdirSync(runs)[0]!;
    const meta = JSON.parse(readFileSync(join(runs, runId, 'meta.json'), 'utf8')) as { images: Record<string, { ref: string; id?: string }> };
    assert.match(meta.images.extra!.ref, /^caisson\/extra:/);
    try {
      assert.equal(runCaisson(dir, 'reset', 'latest', '/doc/gen/execute/use').code, 0);
      const resumed = runCaisson(dir, 'resume', 'latest');
      assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
      assert.doesNotMatch(resumed.stdout, /building|image extra/);
      assert.equal(runCaisson(dir, 'logs', 'latest', '/doc/gen/execute/use').stdout, `built-on-demand-${process.pid}\n`);
    } finally {
      await docker.getImage(meta.images.extra!.ref).remove();
    }
  });

  it('a lazy command in shell that writes an invalid node fails with the graft path named', () => {
    writeFileSync(join(dir, 'bad.ts'), [
      "import { pipeline } from 'caisson';",
      "export default pipeline('bad', { image: 'busybox:latest' })",
      "  .lazyCommand('gen', `echo '{\"kind\":\"serial\",\"children\":[{\"name\":\"7\",\"command\":\"true\",\"cpu\":0}]}' > \"$CAISSON_GRAFT_FILE\"`);",
      '',
    ].join('\n'));
    const run = runCaisson(dir, 'run', 'bad.ts');
    assert.equal(run.code, 1);
    assert.match(run.stdout + run.stderr, /\/bad\/gen\/execute\/7: cpu: expected CPUs > 0, got 0/);
  });
});
