// The debug lines: off by default, on by DEBUG=caisson:* or CAISSON_DEBUG, per namespace; what the
// scheduler decided is in them, secret values never are.
import { strict as assert } from 'node:assert';
import { compile, createCaisson, image, pipeline, secret, staticSecrets, type BuildPlan } from '../../core/index.ts';
import { debugLog, maskDebugLines } from '../../core/plugin-kit.ts';
import { fakeRuntime, runFake } from '../../plugins/runtime-fake/index.ts';
import { dockerfileImages } from '../../plugins/image-dockerfile/index.ts';
import { FakeImageBuilder } from './image/support/fake-image-builder.ts';
import { debugOutput as captured } from '../helpers/debug-capture.ts';

const ci = () => compile(pipeline('ci')
  .parallel('checks', (p) => p.exec('lint', 'true').exec('unit', 'true'), { maxConcurrent: 1 })
  .exec('deploy', 'deploy', { env: { TOKEN: secret('API_TOKEN'), MODE: 'prod-mode-value' } }));
const run = () => runFake(ci(), { secrets: staticSecrets({ API_TOKEN: 'tok-s3cr3t' }), scripts: { '/ci/checks/lint': { duration: '1s' } } });

describe('debug log', () => {
  it('prints nothing unless asked', async () => {
    assert.equal(await captured({}, run), '');
    assert.equal(await captured({ DEBUG: 'express:*', CAISSON_DEBUG: '0' }, run), '');
  });

  it('CAISSON_DEBUG=1 shows the scheduling decisions: queued with its gates, waiting at a gate, running, ended', async () => {
    const out = await captured({ CAISSON_DEBUG: '1' }, run);
    assert.match(out, /caisson:engine queued path=\/ci\/checks\/lint .*gates=\["max:\/ci\/checks","budget"\]/);
    assert.match(out, /caisson:engine waiting path=\/ci\/checks\/unit gate=max:\/ci\/checks/);
    assert.match(out, /caisson:engine running path=\/ci\/deploy attempt=1/);
    assert.match(out, /caisson:engine ended path=\/ci\/deploy state=done exitCode=0/);
    assert.match(out, /caisson:engine container reused id=fake-1/);
    for (const line of out.trim().split('\n')) assert.match(line, /^\d{4}-\d\d-\d\dT\S+ caisson:\w+ /);
  });

  it('never shows a secret value or an env value', async () => {
    const out = await captured({ CAISSON_DEBUG: '1' }, run);
    assert.ok(out.length > 0);
    assert.ok(!out.includes('tok-s3cr3t') && !out.includes('prod-mode-value'), out);
  });

  it("masks every line with the secrets of the runs in progress, a plugin's careless line too", async () => {
    // The script runs inside the fake runtime's run(): a plugin that logs a value it was handed.
    const careless = () => { debugLog('docker')('got', { token: 'tok-s3cr3t', url: 'https://bob:hunter22@git.example/r.git' }); return {}; };
    const out = await captured({ CAISSON_DEBUG: '1' }, () => runFake(ci(), { secrets: staticSecrets({ API_TOKEN: 'tok-s3cr3t' }), scripts: { '/ci/deploy': careless } }));
    assert.match(out, /caisson:docker got token=\*\*\* url=https:\/\/bob:\*\*\*@git\.example\/r\.git\n/);
    assert.ok(!out.includes('tok-s3cr3t') && !out.includes('hunter22'), out);
  });

  it('resolving images: each content address and what it resolved to; a build secret read meanwhile is masked', async () => {
    // A builder that logs what it was handed, build secret values included.
    class CarelessBuilder extends FakeImageBuilder {
      override async build(plan: BuildPlan, opts: { tag: string }): Promise<{ id: string }> {
        debugLog('build')('handed', { npm: plan.secretValues?.NPM_TOKEN });
        return super.build(plan, opts);
      }
    }
    const caisson = createCaisson({ plugins: [fakeRuntime(), dockerfileImages(), { name: 'careless', imageBuilder: new CarelessBuilder() }] });
    const ir = compile(pipeline('p', { image: image({ dockerfileText: 'FROM busybox:latest\n', buildSecrets: { NPM_TOKEN: secret('CI_NPM') }, name: 'app' }) }).exec('a', 'true'));
    const out = await captured({ CAISSON_DEBUG: 'images,build' }, () => caisson.images.resolveAll(ir, { secrets: staticSecrets({ CI_NPM: 'npm-t0ken-value' }) }));
    assert.match(out, /caisson:images content address image=app kind=dockerfile version=\S+ inputs=\S+ tag=caisson\/app:[0-9a-f]{12}\n/);
    assert.match(out, /caisson:build handed npm=\*\*\*\n/);
    assert.match(out, /caisson:images resolved image=app ref=caisson\/app:[0-9a-f]{12} .*present=true\n/);
    assert.ok(!out.includes('npm-t0ken-value'), out);
  });

  it('a mask applies until it is removed, and only then', async () => {
    const unmask = maskDebugLines((t) => t.replace(/blue/g, '***'));
    const during = await captured({ CAISSON_DEBUG: '1' }, () => debugLog('engine')('sky', { color: 'blue' }));
    unmask();
    const after = await captured({ CAISSON_DEBUG: '1' }, () => debugLog('engine')('sky', { color: 'blue' }));
    assert.match(during, /sky color=\*\*\*\n$/);
    assert.match(after, /sky color=blue\n$/);
  });

  it('picks namespaces: DEBUG patterns with * and -, or a CAISSON_DEBUG list', async () => {
    const lines = async (env: { DEBUG?: string; CAISSON_DEBUG?: string }) =>
      captured(env, () => { debugLog('engine')('e'); debugLog('docker')('d'); debugLog('images')('i'); });
    assert.match(await lines({ DEBUG: 'caisson:*' }), /caisson:engine e\n.*caisson:docker d\n.*caisson:images i\n$/);
    assert.doesNotMatch(await lines({ DEBUG: 'caisson:*,-caisson:engine' }), /caisson:engine/);
    assert.match(await lines({ DEBUG: 'caisson:docker' }), /^\S+ caisson:docker d\n$/);
    assert.match(await lines({ CAISSON_DEBUG: 'engine,images' }), /^\S+ caisson:engine e\n\S+ caisson:images i\n$/);
    for (const all of ['*', 'true']) assert.equal((await lines({ CAISSON_DEBUG: all })).split('\n').length, 4, all);
    assert.equal(debugLog('engine').namespace, 'caisson:engine');
  });

  it('renders fields as key=value, quoting what has spaces', async () => {
    const out = await captured({ CAISSON_DEBUG: '1' }, () => debugLog('engine')('ended', { path: '/ci/a b', state: 'error', exitCode: 2, none: undefined }));
    assert.match(out, / caisson:engine ended path="\/ci\/a b" state=error exitCode=2\n$/);
  });

  it('`enabled` follows the environment, so hot paths can skip building their fields', async () => {
    const log = debugLog('engine');
    const seen: boolean[] = [];
    await captured({}, () => { seen.push(log.enabled); });
    await captured({ CAISSON_DEBUG: '1' }, () => { seen.push(log.enabled); });
    await captured({ DEBUG: 'caisson:docker' }, () => { seen.push(log.enabled); });
    assert.deepEqual(seen, [false, true, false]);
  });
});
