// Native functions on Docker, through the caisson CLI: an image built from debian:bookworm-slim plus
// nodejs, typed arguments, the return value in show/logs, a thrown error with its TypeScript line, an
// image without node, and edit --args then resume.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CAISSON_BIN, runCaisson } from '../helpers/cli.ts';
import { Terminal } from '../helpers/tmux.ts';
import { DEBUG_REPLY } from '../../cli/native-debug.ts';
import { listLabelled, requireDocker } from '../helpers/docker.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { removeProject, tempProject } from '../helpers/temp-project.ts';

const PIPELINE = `import { exec, image, pipeline } from 'caisson';

export function sum(numbers: number[], opts: { label: string; since: Date; extra: Map<string, bigint> }): { label: string; total: number; year: number; extra: bigint } {
  console.log('summing ' + numbers.length + ' numbers');
  return { label: opts.label, total: numbers.reduce((a, b) => a + b, 0), year: opts.since.getUTCFullYear(), extra: [...opts.extra.values()].reduce((a, b) => a + b, 0n) };
}

export function check(limit: number): string {
  if (limit < 10) throw new Error('limit too low: ' + limit);
  return 'ok at ' + limit;
}

const node = image({ image: 'debian:bookworm-slim', installPackages: ['nodejs'], name: 'node' });

export default pipeline('nat', { image: node, stopOnError: false })
  .exec('sum', sum, [1, 2, 3], { label: 'three', since: new Date('2026-05-01T00:00:00Z'), extra: new Map([['a', 2n], ['b', 3n]]) })
  .exec('check', check, 3)
  .add('no-node', exec(check, 20).set({ image: 'debian:bookworm-slim' }));
`;

describe('native functions on Docker', function () {
  this.timeout(600_000);
  let dir: string;
  before(async function () { await requireDocker(this); });
  beforeEach(() => { dir = tempProject('native-it'); });
  afterEach(() => removeProject(dir));

  it('returns values, fails with a TypeScript line, says how to add node, and runs edited args on resume', () => {
    writeFileSync(join(dir, 'pipeline.ts'), PIPELINE);
    const run = runCaisson(dir, 'run', 'pipeline.ts');
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /\/nat\/sum {2}\| summing 3 numbers/, 'the function\'s stdout is the node\'s output');
    assert.match(run.stdout, /\/nat\/sum {2}done: returned \{"label":"three","total":6,"year":2026,"extra":5n\}/);
    // The thrown error: exit 1, its message and the line of pipeline.ts that threw (source-mapped).
    assert.match(run.stdout, /\/nat\/check {2}error \(exit 1\): threw Error: limit too low: 3 \(at .*pipeline\.ts:9:\d+\)/);
    assert.match(run.stdout, /\/nat\/no-node {2}error \(exit 127\): this image has no node \(Node\.js 18 or newer\) to run native functions: add it to the image, e\.g\. installPackages: \['nodejs'\] on a Debian base/);

    const show = runCaisson(dir, 'show', 'latest');
    assert.match(show.stdout, /├─0 sum {2}done {2}attempt 1 .*: returned \{"label":"three".*fn sum\(\[1,2,3\], /);
    assert.match(show.stdout, /├─1 check {2}error .*threw Error: limit too low: 3 \(at .*pipeline\.ts:9:\d+\) {2}fn check\(3\) from \.\/pipeline\.ts/);
    const logs = runCaisson(dir, 'logs', 'latest', '/nat/check');
    assert.match(logs.stderr, /Error: limit too low: 3\n\s+at check \(.*pipeline\.ts:9:\d+\)/, 'the stack names the TypeScript file and line');

    const edit = runCaisson(dir, 'edit', 'latest', '/nat/check', '--args', '[42]');
    assert.equal(edit.code, 0, edit.stderr);
    assert.equal(runCaisson(dir, 'reset', 'latest', '/nat/check').code, 0);
    assert.equal(runCaisson(dir, 'skip', 'latest', '/nat/no-node').code, 0);
    const resume = runCaisson(dir, 'resume', 'latest');
    assert.equal(resume.code, 0, resume.stdout + resume.stderr);
    assert.match(resume.stdout, /\/nat\/check {2}done: returned "ok at 42"/);
    assert.match(runCaisson(dir, 'show', 'latest').stdout, /├─1 check {2}done {2}attempt 2 .*returned "ok at 42" {2}fn check\(42\)/);
  });
});

describe('caisson debug of a native node on Docker', function () {
  this.timeout(300_000);
  let dir: string;
  let term: Terminal | undefined;
  before(async function () { await requireDocker(this); });
  beforeEach(() => { dir = tempProject('native-debug'); });
  afterEach(() => { term?.close(); removeProject(dir); });

  it('/caisson/cmd.sh re-invokes the call, and with --live an edit of the file is re-bundled at once', async () => {
    const source = (word: string) => PIPELINE.replace("return 'ok at ' + limit;", `return '${word} at ' + limit;`);
    writeFileSync(join(dir, 'pipeline.ts'), source('first'));
    term = new Terminal(`node ${CAISSON_BIN} debug pipeline.ts /nat/check --live`, { cwd: dir });
    await term.waitFor(/fn check\(3\) from \.\/pipeline\.ts: \/caisson\/cmd\.sh calls it again[\s\S]*[#$]\s*$/);
    term.type('/caisson/cmd.sh; echo "code=$?"');
    const thrown = await term.waitFor(/code=1/);
    assert.match(thrown, /Error: limit too low: 3\n\s+at check \(.*pipeline\.ts:9:\d+\)/);
    term.type(`cat ${DEBUG_REPLY}; echo`);
    await term.waitFor(/"ok":false/);
    writeFileSync(join(dir, 'pipeline.ts'), source('second').replace('limit < 10', 'limit < 1'));
    await term.waitFor(/caisson: re-bundled pipeline\.ts/);
    term.type(`/caisson/cmd.sh; echo "code=$?"; cat ${DEBUG_REPLY}; echo`);
    await term.waitFor(/code=0[\s\S]*\{"ok":true,"value":"second at 3"\}/);
    term.type('exit');
    for (let i = 0; i < 100 && (await listLabelled('dev.caisson.debug=/nat/check')).length; i++) await sleep(100);
    assert.deepEqual(await listLabelled('dev.caisson.debug=/nat/check'), [], 'exit removes the debug container');
  });
});

const DATA_PIPELINE = `import { image, pipeline, pipelineData } from 'caisson';

export function put(version: string): string[] { pipelineData.put('version', version); return pipelineData.list(); }
export function read(): { version?: string; shell?: string } { return { version: pipelineData.get('version'), shell: pipelineData.get('from/shell') }; }

const node = image({ image: 'debian:bookworm-slim', installPackages: ['nodejs'], name: 'node' });

export default pipeline('nd', { image: node })
  .exec('put', put, '2.0.1')
  .exec('shell', 'echo "shell saw $(caisson-data get version)"; echo yes | caisson-data put from/shell', { reuse: 'new' })
  .exec('read', read);
`;

describe('pipelineData: the data store from native functions on Docker', function () {
  this.timeout(600_000);
  let dir: string;
  before(async function () { await requireDocker(this); });
  beforeEach(() => { dir = tempProject('native-data-it'); });
  afterEach(() => removeProject(dir));

  it('a native put is what a shell node in another container gets, and a native node reads a shell node\'s put', () => {
    writeFileSync(join(dir, 'pipeline.ts'), DATA_PIPELINE);
    const run = runCaisson(dir, 'run', 'pipeline.ts');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /\/nd\/put {2}done: returned \["version"\]/);
    assert.match(run.stdout, /\/nd\/shell {2}\| shell saw 2\.0\.1/);
    assert.match(run.stdout, /\/nd\/read {2}done: returned \{"version":"2\.0\.1","shell":"yes\\n"\}/);
    // caisson debug of the run's reader: the debug container holds a copy of the run's store, for the
    // re-invoked native call and for caisson-data alike; what the shell puts stays in that container.
    const input = `/caisson/cmd.sh; echo "code=$?"; cat ${DEBUG_REPLY}; echo; echo changed | caisson-data put version; exit\n`;
    const debug = spawnSync(process.execPath, [CAISSON_BIN, 'debug', 'latest', '/nd/read'], { cwd: dir, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(debug.status, 0, debug.stdout + debug.stderr);
    assert.match(debug.stdout, /^The data store holds a copy of the run's 2 values \(caisson-data, pipelineData\); what you put stays in this container$/m);
    assert.match(debug.stdout, /^code=0\n\{"ok":true,"value":\{"version":"2\.0\.1","shell":"yes\\n"\}\}$/m);
    const shell = spawnSync(process.execPath, [CAISSON_BIN, 'debug', 'latest', '/nd/shell'], { cwd: dir, input: 'caisson-data get version\nexit\n', encoding: 'utf8' });
    assert.match(shell.stdout, /^2\.0\.1$/m, 'the run\'s store is unchanged by the first debug shell\'s put');
  });
});

describe('native functions on Docker without a bundler', function () {
  this.timeout(120_000);
  before(async function () { await requireDocker(this); });

  it('createCaisson without nativeBundle(): the node fails with one line naming the plugin to add', async () => {
    const { compile, createCaisson, pipeline } = await import('../../core/index.ts');
    const { dockerRuntime } = await import('../../plugins/runtime-docker/index.ts');
    const { sum } = await import('../fixtures/native/pipeline.ts');
    const ir = compile(pipeline('nobundler', { image: 'busybox:latest' }).exec('s', sum, [1], { label: 'x', when: new Date(), tags: new Set<string>(), big: 1n }));
    const { engine } = createCaisson({ plugins: [dockerRuntime({ handleSignals: false })] });
    const run = engine.createRun(ir);
    await run.start();
    assert.equal(run.status('/nobundler/s').state, 'error');
    assert.equal(run.status('/nobundler/s').reason, 'native functions need a bundler on this runtime: add nativeBundle() from "caisson/native-bundle" to createCaisson({ plugins })');
  });
});
