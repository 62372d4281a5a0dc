/**
 * The Swarm runtime's pure parts: the service spec (a job Swarm never re-runs, limits and reservations),
 * the registry repository names, and the call-back channel's routing and refusal of strangers.
 */
import { strict as assert } from 'node:assert';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import type { ContainerSpec } from '../../../core/index.ts';
import { CallbackChannel } from '../../../plugins/runtime-docker/swarm-channel.ts';
import { repositoryOf } from '../../../plugins/runtime-docker/swarm-image.ts';
import { serviceSpec, waitForTask } from '../../../plugins/runtime-docker/swarm-service.ts';
import { RuntimeUnavailableError } from '../../../core/index.ts';
import type Docker from 'dockerode';

const SPEC: ContainerSpec = { image: 'busybox:latest', cpu: 1.5, mem: 2, gpu: 0, backend: {}, mounts: [], labels: {}, group: 'global' };

describe('Swarm service spec', () => {
  const plan = { name: 'caisson-x', image: 'r/caisson/busybox@sha256:ab', command: ['sh'], labels: { a: '1' }, constraints: ['node.role==worker'] };
  const reserving = serviceSpec(SPEC, { ...plan, reserveUpTo: { nanoCpus: 1e9, memoryBytes: 2 ** 30 } }) as { TaskTemplate: { Resources: { Reservations: unknown } } };
  const body = serviceSpec(SPEC, plan) as { Mode: unknown; TaskTemplate: { RestartPolicy: unknown; Resources: { Limits: unknown; Reservations: unknown }; Placement: unknown; ContainerSpec: { Labels: unknown; Image: string } } };

  it('is a replicated job of one task that Swarm never restarts (retries are the engine\'s)', () => {
    assert.deepEqual(body.Mode, { ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 1 } });
    assert.deepEqual(body.TaskTemplate.RestartPolicy, { Condition: 'none', MaxAttempts: 0 });
  });

  it('limits cpu and mem as given, and reserves nothing unless asked', () => {
    assert.deepEqual(body.TaskTemplate.Resources.Limits, { NanoCPUs: 1.5e9, MemoryBytes: 2 * 2 ** 30 });
    assert.equal(body.TaskTemplate.Resources.Reservations, undefined);
  });

  it('with reserve, reserves cpu and mem, never more than the largest node has', () => {
    assert.deepEqual(reserving.TaskTemplate.Resources.Reservations, { NanoCPUs: 1e9, MemoryBytes: 2 ** 30 });
  });

  it('runs the image by digest, with the labels on the task\'s container and the placement constraints', () => {
    assert.equal(body.TaskTemplate.ContainerSpec.Image, plan.image);
    assert.deepEqual(body.TaskTemplate.ContainerSpec.Labels, { a: '1' });
    assert.deepEqual(body.TaskTemplate.Placement, { Constraints: ['node.role==worker'] });
  });
});

describe('Swarm task image names', () => {
  for (const [ref, repo] of [
    ['busybox:latest', 'busybox'], ['docker.io/library/debian:bookworm-slim', 'library/debian'],
    ['localhost:5000/team/app:1', 'team/app'], ['caisson/stamp-copy:ab12', 'stamp-copy'],
    ['sha256:0123abcd', 'image'], ['My_Image', 'my_image'],
  ] as const) {
    it(`${ref} → ${repo}`, () => assert.equal(repositoryOf(ref), repo));
  }
});

describe('Swarm call-back channel', () => {
  let channel: CallbackChannel;
  let port: number;
  const open: Socket[] = [];
  const dial = async (first: string): Promise<Socket> => {
    const s = connect(port, '127.0.0.1');
    open.push(s);
    await once(s, 'connect');
    s.write(first);
    return s;
  };
  beforeEach(async () => { channel = new CallbackChannel('127.0.0.1'); port = await channel.start(); });
  afterEach(async () => { for (const s of open.splice(0)) s.destroy(); await channel.close(); });

  it('routes a task\'s connections by role, keeping bytes sent right after the first line', async () => {
    const link = channel.expect();
    const out = await dial(`${link.token} out\nhello-from-driver\n`);
    await dial(`${link.token} err\n`);
    assert.equal(link.ready, false, 'not ready before the control loop is there');
    await dial(`${link.token} ctl\n`);
    await link.whenReady();
    const got: string[] = [];
    link.transport().listen((stream, bytes) => got.push(`${stream}:${bytes.toString()}`), () => {});
    for (let i = 0; i < 50 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(got, ['stdout:hello-from-driver\n']);
    const echoed = once(out, 'data');
    link.transport().write('a command\n');
    assert.equal(String((await echoed)[0]), 'a command\n');
  });

  it('closes a connection with an unknown token without handing it to any task', async () => {
    const link = channel.expect();
    const stranger = await dial('not-a-token out\n');
    await once(stranger, 'close');
    assert.equal(link.ready, false);
  });

  it('hands a copy\'s data connection to its request and settles on the loop\'s done line', async () => {
    const link = channel.expect();
    await dial(`${link.token} out\n`);
    await dial(`${link.token} err\n`);
    const ctl = await dial(`${link.token} ctl\n`);
    await link.whenReady();
    const copy = link.expectCopy();
    const data = await dial(`${link.token} data ${copy.id} ok\nTARBYTES`);
    const conn = await copy.data;
    assert.equal(conn.state, 'ok');
    data.end();
    const chunks: Buffer[] = [];
    for await (const c of conn.socket) chunks.push(c as Buffer);
    assert.equal(Buffer.concat(chunks).toString(), 'TARBYTES');
    ctl.write(`done ${copy.id} 0\n`);
    assert.equal(await copy.done, 0);
  });

  it('a lost task settles its copies in flight (NaN) and tells the session', async () => {
    const link = channel.expect();
    const out = await dial(`${link.token} out\n`);
    await dial(`${link.token} err\n`);
    await dial(`${link.token} ctl\n`);
    await link.whenReady();
    const copy = link.expectCopy();
    let reason = '';
    link.transport().listen(() => {}, (r) => { reason = r; });
    out.destroy();
    assert.ok(Number.isNaN(await copy.done));
    assert.match(reason, /out connection closed/);
  });
});

describe('Swarm task start-up', () => {
  const docker = (state: string) => ({ listTasks: () => Promise.resolve([{ Status: { State: state } }]) }) as unknown as Docker;

  it('a task stuck starting is an infra failure (RuntimeUnavailableError) after the limit, so the engine retries with a new task', async () => {
    const link = new CallbackChannel('127.0.0.1').expect();
    await assert.rejects(waitForTask(docker('starting'), 'svc', link, SPEC, new AbortController().signal, 300),
      (e: unknown) => e instanceof RuntimeUnavailableError && /group global: the Swarm task for image "busybox:latest" has been starting \(its node's daemon did not start the container\) for 0 s; a new task is tried/.test(e.message));
  });

  it('so is one stuck assigned, or running without calling back; the message says which', async () => {
    for (const [state, said] of [['assigned', 'has stayed assigned for 0 s'], ['running', 'is running but its connector has not called back']]) {
      const link = new CallbackChannel('127.0.0.1').expect();
      await assert.rejects(waitForTask(docker(state!), 'svc', link, SPEC, new AbortController().signal, 300),
        (e: unknown) => e instanceof RuntimeUnavailableError && e.message.includes(said!) && e.message.endsWith('a new task is tried'), state);
    }
  });

  it('a task that is slow before it starts (waiting for a node with room, pulling) is waited for', async () => {
    for (const state of ['pending', 'preparing']) {
      const link = new CallbackChannel('127.0.0.1').expect();
      const stop = new AbortController();
      setTimeout(() => stop.abort(new Error('enough')), 900);
      await assert.rejects(waitForTask(docker(state), 'svc', link, SPEC, stop.signal, 300), /enough/, state);
    }
  });
});

