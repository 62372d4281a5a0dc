// secret("NAME") in the DSL: the IR keeps the reference only, inheritance works like env.
import { strict as assert } from 'node:assert';
import { compile, decodePipeline, encodePipeline, pipeline, secret, secretNames, findNode } from '../../../core/plugin-kit.ts';
import { throwsCode } from '../../helpers/errors.ts';
import type { ExecNode } from '../../../core/plugin-kit.ts';

describe('secrets: secret() in the DSL and the IR', () => {
  const build = () => pipeline('ci', { env: { TOKEN: secret('API_TOKEN'), MODE: 'ci' } })
    .exec('plain', 'echo $MODE', { env: { TOKEN: 'public' } })
    .exec('deploy', 'deploy --token "$TOKEN"', { env: { DB: secret('DB_PASSWORD') } });

  it('stores env var → secret name on each node, apart from plain env, with no value anywhere', () => {
    const ir = compile(build());
    const deploy = findNode(ir.root, '/ci/deploy') as ExecNode;
    assert.deepEqual(deploy.env, { MODE: 'ci' });
    assert.deepEqual(deploy.secrets, { DB: 'DB_PASSWORD', TOKEN: 'API_TOKEN' });
    const plain = findNode(ir.root, '/ci/plain') as ExecNode;
    assert.deepEqual(plain.env, { MODE: 'ci', TOKEN: 'public' }); // a nearer plain value replaces the secret
    assert.equal(plain.secrets, undefined);
    assert.deepEqual(secretNames(ir), ['API_TOKEN', 'DB_PASSWORD']);
  });

  it('round-trips through encode and decode', () => {
    const ir = compile(build());
    const again = decodePipeline(JSON.parse(JSON.stringify(encodePipeline(ir))));
    assert.deepEqual((findNode(again.root, '/ci/deploy') as ExecNode).secrets, { DB: 'DB_PASSWORD', TOKEN: 'API_TOKEN' });
  });

  it('leaves the IR of pipelines without secrets as it was (no secrets key)', () => {
    const ir = compile(pipeline('ci').exec('a', 'true', { env: { A: '1' } }));
    assert.ok(!('secrets' in ir.root));
    assert.ok(!JSON.stringify(ir).includes('secrets'));
  });

  it('refuses a bad secret name, and joining a secret into a string, with a clear DslError', () => {
    throwsCode(() => secret('api-token'), 'DSL', { path: 'secret("api-token")' });
    // The message says what to do instead: that is its point.
    assert.match(throwsCode(() => `Bearer ${String(secret('T'))}`, 'DSL', { path: 'secret("T")' }).message, /use it as a whole env value/);
  });

  it('names the node path for an env value that is neither a string nor a secret', () => {
    throwsCode(() => pipeline('ci').exec('a', 'true', { env: { N: 1 as never } }), 'DSL', { path: '/ci/a', option: 'env' });
  });
});
