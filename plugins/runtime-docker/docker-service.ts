/**
 * Services on Docker: the run's network (a labelled bridge network, so containers reach each other by
 * name through Docker's embedded DNS) and service containers on it under their name as an alias. The
 * service runs its image's own entrypoint; `command` replaces the image's CMD as `docker run IMAGE CMD`
 * does (a string as `/bin/sh -c`). Probes are `docker exec`s in the service container, so they see its
 * own 127.0.0.1 and need nothing on the host's network.
 */
import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import type { RunContext, ServiceContainerSpec, ServiceLease, ServiceProbeResult } from '../../core/index.ts';
import { debugLog } from '../../core/plugin-kit.ts';
import { getOwnerLabels, LABEL_RUN } from './labels.ts';
import { DockerStreamDemux } from './stream-demux.ts';

const log = debugLog('docker');

/** Label naming the service path on a service container. */
export const LABEL_SERVICE = 'dev.caisson.service';

/** Docker names allow [a-zA-Z0-9_.-]. */
const slug = (s: string, max: number) => s.replace(/[^a-zA-Z0-9_.-]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, max) || 'x';

const ignoreGone = (e: unknown): void => {
  const status = (e as { statusCode?: number }).statusCode;
  if (status !== 404 && status !== 409) throw e;
};

/** Creates the run's network, labelled like its containers (run id and owner stamp); returns its name. */
export async function createRunNetwork(docker: Docker, run: RunContext): Promise<string> {
  const name = `caisson-${slug(run.runId, 40)}-${randomBytes(3).toString('hex')}`;
  await docker.createNetwork({
    Name: name, Driver: 'bridge', CheckDuplicate: true,
    Labels: { ...run.labels, [LABEL_RUN]: run.runId, ...getOwnerLabels() },
  });
  log('created network', { run: run.runId, name });
  return name;
}

/** Removes the networks labelled with `runId` (after their containers: a network in use cannot go). */
export async function removeRunNetworks(docker: Docker, runId: string): Promise<number> {
  const list = await docker.listNetworks({ filters: { label: [`${LABEL_RUN}=${runId}`] } });
  let removed = 0;
  for (const n of list) {
    try { await docker.getNetwork(n.Id).remove(); removed++; } catch (e) { ignoreGone(e); }
  }
  return removed;
}

/** Creates and starts a service container; the caller tracks it by id for close and signals. */
export async function startServiceContainer(docker: Docker, spec: ServiceContainerSpec, runId: string, track: (id: string) => void, untrack: (id: string) => void): Promise<ServiceLease> {
  const cmd = spec.command === undefined ? undefined : typeof spec.command === 'string' ? ['/bin/sh', '-c', spec.command] : spec.command;
  const name = `caisson-${slug(runId, 40)}-svc-${slug(spec.name, 30)}-${randomBytes(3).toString('hex')}`;
  log('create service', { path: spec.path, image: spec.image, network: spec.network, name });
  const container = await docker.createContainer({
    name, Image: spec.image, ...(cmd && { Cmd: cmd }),
    Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
    Labels: { ...spec.labels, [LABEL_RUN]: runId, [LABEL_SERVICE]: spec.path, ...getOwnerLabels() },
    Hostname: slug(spec.name, 63),
    HostConfig: { NetworkMode: spec.network },
    NetworkingConfig: { EndpointsConfig: { [spec.network]: { Aliases: [spec.name] } } },
  } as Docker.ContainerCreateOptions);
  track(container.id);
  try {
    await container.start();
    // Logs from the container's start on, followed: nothing printed before we listen is lost.
    const stream = (await container.logs({ follow: true, stdout: true, stderr: true })) as unknown as NodeJS.ReadableStream;
    const demux = new DockerStreamDemux((s, payload) => spec.onOutput(s, payload.toString('utf8')));
    stream.on('data', (c: Buffer) => demux.push(c));
    stream.on('error', () => undefined);
    const state = { dead: false };
    const exited = container.wait().then(
      (r: { StatusCode?: number }) => ({ exitCode: r.StatusCode ?? null }),
      () => ({ exitCode: null }),
    ).then(async (x) => {
      state.dead = true;
      // The last output before the exit arrives on the logs stream; give it a moment to drain.
      await new Promise<void>((resolve) => { stream.once('end', () => resolve()); setTimeout(resolve, 500).unref(); });
      return x;
    });
    return new DockerServiceLease(container, exited, stream, state, () => untrack(container.id));
  } catch (e) {
    await container.remove({ force: true, v: true }).catch(() => undefined);
    untrack(container.id);
    throw e;
  }
}

/** A started service container. */
class DockerServiceLease implements ServiceLease {
  readonly id: string;
  private disposing: Promise<void> | undefined;

  constructor(
    private readonly container: Docker.Container, readonly exited: Promise<{ exitCode: number | null }>,
    private readonly logs: NodeJS.ReadableStream, private readonly state: { dead: boolean }, private readonly onDisposed: () => void,
  ) {
    this.id = container.id;
  }

  async probe(argv: string[], signal: AbortSignal): Promise<ServiceProbeResult> {
    // Exited, its last output still draining before `exited` resolves: no exec into a dead container.
    if (this.state.dead) throw new Error('the container is not running');
    const exec = await this.container.exec({ Cmd: argv, AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({ hijack: true, stdin: false });
    const chunks: string[] = [];
    const demux = new DockerStreamDemux((_s, payload) => chunks.push(payload.toString('utf8')));
    await new Promise<void>((resolve) => {
      const onAbort = () => { stream.destroy(); resolve(); };
      signal.addEventListener('abort', onAbort, { once: true });
      stream.on('data', (c: Buffer) => demux.push(c));
      stream.on('end', () => { signal.removeEventListener('abort', onAbort); resolve(); });
      stream.on('error', () => { signal.removeEventListener('abort', onAbort); resolve(); });
    });
    if (signal.aborted) return { exitCode: null, output: chunks.join('') };
    const info = await exec.inspect();
    return { exitCode: info.ExitCode ?? null, output: chunks.join('') };
  }

  async health(): Promise<'starting' | 'healthy' | 'unhealthy' | 'none'> {
    const info = await this.container.inspect();
    const status = (info.State as { Health?: { Status?: string } }).Health?.Status;
    return status === 'starting' || status === 'healthy' || status === 'unhealthy' ? status : 'none';
  }

  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      log('remove service', { id: this.id.slice(0, 12) });
      try {
        await this.container.remove({ force: true, v: true });
      } catch (e) {
        ignoreGone(e);
      } finally {
        (this.logs as { destroy?: () => void }).destroy?.();
        this.onDisposed();
      }
    })();
    return this.disposing;
  }
}
