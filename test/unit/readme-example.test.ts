// The README's "Testing your pipeline" example, verbatim (test/unit/readme.test.ts keeps the two equal).
import { strict as assert } from 'node:assert';
import { runFake } from 'caisson/testing';
import ci from '../../examples/ci.ts';

describe('the ci pipeline', () => {
  it('runs install, then the checks, then deploy', async () => {
    const { result, fake } = await runFake(ci);
    assert.equal(result.state, 'done');
    assert.deepEqual(fake.ran().slice(0, 2), ['/ci/install', '/ci/checks/lint']);
    assert.ok(!fake.ran().includes('/ci/deploy/deploy-prod'), 'deploy-prod is skipped');
  });

  it('a failing unit test leaves deploy pending', async () => {
    const { result, status } = await runFake(ci, {
      scripts: { '/ci/checks/unit': { exitCode: 1, stderr: 'expected 5, got 6\n' } },
    });
    assert.equal(result.state, 'error');
    assert.deepEqual(result.failed, ['/ci/checks/unit']);
    assert.equal(status('/ci/checks/lint').state, 'done');
    assert.equal(status('/ci/deploy').state, 'pending');
  });

  it('a hung smoke test is killed by its maxTime, on a virtual clock', async () => {
    const { status } = await runFake(ci, { scripts: { '/ci/checks/smoke': { hang: true } } });
    assert.equal(status('/ci/checks/smoke').state, 'killed');
    assert.equal(status('/ci/checks/smoke').reason, 'max time exceeded');
  });

  it('every node sees the inherited env and image', async () => {
    const { fake } = await runFake(ci);
    const unit = fake.callsOf('/ci/checks/unit')[0]!;
    assert.equal(unit.env.CI, '1');
    assert.equal(unit.image, 'debian:bookworm-slim');
  });
});
