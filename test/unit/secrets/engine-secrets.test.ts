// The engine injects secret values when the command runs, masks them in output, and fails a node whose secret is missing.
import { strict as assert } from 'node:assert';
import { Engine, compile, pipeline, secret, staticSecrets } from '../../../core/index.ts';
import type { OutputEvent, RunEvent, SecretSource } from '../../../core/index.ts';
import { FakeRuntimeProvider } from '../../../plugins/runtime-fake/index.ts';

const ir = () => compile(pipeline('ci').exec('deploy', 'deploy', { env: { TOKEN: secret('API_TOKEN'), MODE: 'prod' } }));

function start(secrets?: Record<string, string>) {
  const fake = new FakeRuntimeProvider();
  const run = new Engine(fake, fake.clock).createRun(ir(), secrets ? { secrets: staticSecrets(secrets) } : {});
  const events: RunEvent[] = [];
  run.on((e) => events.push(e));
  return { fake, run, events };
}

describe('secrets: injection and masking by the engine', () => {
  it('puts the value in the command env, and only there: output shows ***, the run IR has the reference', async () => {
    const { fake, run, events } = start({ API_TOKEN: 'tok-123' });
    fake.script('/ci/deploy', { stdout: 'using tok-123\n', stderr: 'tok-1' });
    const result = await run.start();
    assert.equal(result.state, 'done');
    assert.deepEqual(fake.callsOf('/ci/deploy')[0]!.env, { MODE: 'prod', TOKEN: 'tok-123' });
    const out = events.filter((e): e is OutputEvent => e.type === 'output');
    assert.deepEqual(out.map((e) => [e.stream, e.data]), [['stdout', 'using ***\n'], ['stderr', 'tok-1']]); // a prefix is released at the end
    assert.ok(!JSON.stringify(run.ir).includes('tok-123'));
    assert.ok(!JSON.stringify(events).includes('tok-123'));
  });

  it('fails the node, naming the secret and how to set it, when it is not set (no container used)', async () => {
    const { fake, run } = start({});
    const result = await run.start();
    assert.equal(result.state, 'error');
    assert.match(run.status('/ci/deploy').reason!, /secret "API_TOKEN" \(env TOKEN of \/ci\/deploy\) is not set: pass it in the run's secrets/);
    assert.equal(fake.calls.length, 0);
  });

  it('reads the runner\'s environment by default', async () => {
    process.env.API_TOKEN = 'from-env-456';
    try {
      const { fake, run } = start();
      assert.equal((await run.start()).state, 'done');
      assert.equal(fake.callsOf('/ci/deploy')[0]!.env.TOKEN, 'from-env-456');
    } finally {
      delete process.env.API_TOKEN;
    }
  });

  it('masks the secret in a runtime failure message', async () => {
    const { fake, run } = start({ API_TOKEN: 'tok-123' });
    fake.script('/ci/deploy', { fail: new Error('daemon said: bad tok-123') });
    await run.start();
    assert.equal(run.status('/ci/deploy').reason, 'daemon said: bad ***');
  });

  it('masks every secret of the run in every node\'s output: a node without secrets (or with others) shows *** too', async () => {
    const fake = new FakeRuntimeProvider();
    const p = compile(pipeline('ci')
      .exec('early', 'cat /tmp/token')                                            // runs before the secret node
      .exec('deploy', 'deploy', { env: { TOKEN: secret('API_TOKEN') } })
      .exec('after', 'cat /tmp/token')
      .exec('other', 'x', { env: { KEY: secret('OTHER_KEY') } }));
    fake.script('/ci/early', { stdout: 'early tok-123\n' });
    fake.script('/ci/after', { stdout: 'after tok-123\n', stderr: 'key key-456\n' });
    fake.script('/ci/other', { stdout: 'both tok-123 key-456\n' });
    const run = new Engine(fake, fake.clock).createRun(p, { secrets: staticSecrets({ API_TOKEN: 'tok-123', OTHER_KEY: 'key-456' }) });
    const events: RunEvent[] = [];
    run.on((e) => events.push(e));
    assert.equal((await run.start()).state, 'done');
    const out = events.filter((e): e is OutputEvent => e.type === 'output').map((e) => [e.path, e.stream, e.data]);
    assert.deepEqual(out, [
      ['/ci/early', 'stdout', 'early ***\n'],
      ['/ci/after', 'stdout', 'after ***\n'],
      ['/ci/after', 'stderr', 'key ***\n'],
      ['/ci/other', 'stdout', 'both *** ***\n'],
    ]);
    assert.ok(!JSON.stringify(events).includes('tok-123') && !JSON.stringify(events).includes('key-456'));
  });

  it('reads each secret of the run once, when the run starts, and injects that same value', async () => {
    const fake = new FakeRuntimeProvider();
    const reads: string[] = [];
    let n = 0;
    const source: SecretSource = { get: (name) => { reads.push(name); return `value-${name}-${++n}`; }, howToSet: () => '' };
    const p = compile(pipeline('ci', { env: { A: secret('S1') } }).exec('a', 'x').exec('b', 'x', { env: { B: secret('S2') } }));
    fake.script('/ci/a', { stdout: 'value-S1-1 value-S2-2\n' });
    const run = new Engine(fake, fake.clock).createRun(p, { secrets: source });
    const events: RunEvent[] = [];
    run.on((e) => events.push(e));
    await run.start();
    assert.deepEqual(reads.sort(), ['S1', 'S2']);
    assert.equal(fake.callsOf('/ci/b')[0]!.env.A, 'value-S1-1');
    assert.equal(fake.callsOf('/ci/b')[0]!.env.B, 'value-S2-2');
    assert.deepEqual(events.filter((e): e is OutputEvent => e.type === 'output').map((e) => e.data), ['*** ***\n']);
  });

  it('masks any secret of the run in the error reason of a node that has none', async () => {
    const fake = new FakeRuntimeProvider();
    const p = compile(pipeline('ci').exec('deploy', 'deploy', { env: { TOKEN: secret('API_TOKEN') } }).exec('plain', 'x'));
    fake.script('/ci/plain', { fail: new Error('daemon said: bad tok-123') });
    const run = new Engine(fake, fake.clock).createRun(p, { secrets: staticSecrets({ API_TOKEN: 'tok-123' }) });
    await run.start();
    assert.equal(run.status('/ci/plain').reason, 'daemon said: bad ***');
  });
});

describe('secrets: the forms masked, and values too short to mask', () => {
  const run = async (value: string, stdout: string) => {
    const fake = new FakeRuntimeProvider();
    const p = compile(pipeline('ci', { stopOnError: false }).exec('deploy', 'x', { env: { PIN: secret('DEPLOY_PIN') } }).exec('plain', 'x'));
    fake.script('/ci/deploy', { stdout });
    fake.script('/ci/plain', { stdout: `Downloading ${stdout}` });
    const r = new Engine(fake, fake.clock).createRun(p, { secrets: staticSecrets({ DEPLOY_PIN: value }) });
    const events: RunEvent[] = [];
    r.on((e) => events.push(e));
    await r.start();
    return { run: r, fake, out: events.filter((e): e is OutputEvent => e.type === 'output').map((e) => e.data) };
  };

  it('masks the trimmed value, each line and the set -x quoted form in every node', async () => {
    const { out } = await run("it's a secret \nline-two", "+ echo 'it'\\''s a secret' it's a secret\nline-two\n");
    assert.deepEqual(out, ["+ echo '***' ***\n***\n", "Downloading + echo '***' ***\n***\n"]);
  });

  for (const value of ['o', 'abc', '  ab  ']) {
    it(`refuses a secret of ${JSON.stringify(value)} (under 4 characters once trimmed): its nodes fail naming it, others print as they are`, async () => {
      const { run: r, fake, out } = await run(value, 'Downloading');
      assert.equal(r.status('/ci/deploy').state, 'error');
      assert.equal(r.status('/ci/deploy').reason,
        `secret "DEPLOY_PIN" (env PIN of /ci/deploy) is ${value.trim().length} character${value.trim().length === 1 ? '' : 's'} long: too short to mask without giving it away (a secret "o" would turn "Downloading" into "D***wnl***ading"): use a value of at least 4 characters`);
      assert.deepEqual(fake.ran(), ['/ci/plain']);
      assert.deepEqual(out, ['Downloading Downloading']);
    });
  }
});
