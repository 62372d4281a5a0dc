/**
 * `gpu: N` (README, node options) reaches Docker as a device request for N GPUs: from the DSL through the
 * engine's container spec (taken from the fake runtime, which records what the engine asked for) into
 * the create body the Docker runtime sends. `--gpus` in dockerRunArgs says exactly which GPUs and wins;
 * gpu 0 asks for none. (No GPU on the test machines: the create body is as far as this can be checked.)
 */
import { strict as assert } from 'node:assert';
import type { ContainerSpec } from '../../../core/index.ts';
import { pipeline } from '../../../core/index.ts';
import { runFake } from '../../../plugins/runtime-fake/index.ts';
import { buildCreateOptions } from '../../../plugins/runtime-docker/container-options.ts';

const ctx = { runId: 'r', runLabels: {}, hostCpus: 2, socketPath: () => '/var/run/docker.sock' };

/** The container spec the engine asked for, for each Exec of `p`, by node name. */
async function specsOf(p: Parameters<typeof runFake>[0]): Promise<Record<string, ContainerSpec>> {
  const { fake } = await runFake(p);
  const out: Record<string, ContainerSpec> = {};
  for (const c of fake.containers) for (const cmd of c.commands) out[cmd.split('/').pop()!] = c.spec;
  return out;
}

describe('gpu → Docker device requests', () => {
  it('gpu: 2 asks Docker for 2 GPUs; gpu 0 for none; --gpus wins', async () => {
    const specs = await specsOf(pipeline('g', { image: 'busybox:latest' })
      .exec('two', 'nvidia-smi', { gpu: 2 })
      .exec('none', 'true')
      .exec('picked', 'nvidia-smi', { gpu: 1, dockerRunArgs: ['--gpus', 'device=3'] }));
    assert.equal(specs.two?.gpu, 2, 'the engine lost the gpu option');
    assert.deepEqual(buildCreateOptions(specs.two!, ctx).options.HostConfig?.DeviceRequests, [{ Count: 2, Capabilities: [['gpu']] }]);
    assert.equal(buildCreateOptions(specs.none!, ctx).options.HostConfig?.DeviceRequests, undefined);
    const picked = buildCreateOptions(specs.picked!, ctx).options.HostConfig?.DeviceRequests;
    assert.equal(picked?.length, 1, JSON.stringify(picked));
    assert.deepEqual(picked![0]!.DeviceIDs, ['3']);
  });
});
