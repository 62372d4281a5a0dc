/**
 * The images of Swarm tasks. Every node of a cluster must pull the same bytes, so each node's image goes
 * through a registry and tasks name it by digest (a tag can move between two pulls; Swarm itself warns
 * about tasks running different versions otherwise). On the way, Caisson adds one small layer: a static
 * busybox at TOOLS_PATH, which the connector needs (nc, tar) whatever the image has. The layer is built
 * from the image by the daemon's own builder, so the image's config (env, workdir, user, entrypoint)
 * stays as it was.
 */
import type Docker from 'dockerode';
import { ImageNotFoundError, RuntimeUnavailableError } from '../../core/index.ts';
import { debugLog, readTar, writeTar } from '../../core/plugin-kit.ts';
import { engineMessage } from './connection.ts';
import { fetchImage } from './image-lookup.ts';
import { TOOLS_PATH } from './swarm-connector.ts';

const log = debugLog('swarm');

/** Bumped when the added layer changes, so older task images are not taken for current ones. */
const TOOLS_LAYER_VERSION = 't1';

/** Where the task images go and where the busybox comes from. */
export interface SwarmImageOptions {
  /** Registry host[:port] every node of the swarm can pull from ("127.0.0.1:5000"); read when an image is prepared. */
  registry(): string;
  /** An image holding a static busybox at /bin/busybox (default "busybox:latest"). */
  toolsImage: string;
  /** How long a pull may take (the tools image, or a node's image absent here). */
  pullTimeoutMs: number;
}

/** A task image: the digest reference tasks run, and the node image's working dir. */
export interface TaskImage {
  ref: string;
  workdir?: string;
}

/** Runs a dockerode call that answers with a progress stream, to its end; rejects on an error in the stream. */
const follow = (docker: Docker, start: Promise<NodeJS.ReadableStream>): Promise<Array<Record<string, unknown>>> =>
  start.then((stream) => new Promise((resolve, reject) => {
    docker.modem.followProgress(stream, (err: unknown, out: Array<Record<string, unknown>>) => {
      if (err) return reject(err);
      const failed = out.find((o) => o.error || o.errorDetail);
      if (failed) return reject(new Error(String(failed.error ?? (failed.errorDetail as { message?: string })?.message)));
      resolve(out);
    });
  }));

/** A repository name for the registry from an image reference ("docker.io/library/busybox:1" → "busybox"). */
export const repositoryOf = (ref: string): string => {
  const noDigest = ref.split('@')[0]!;
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  const name = colon > lastSlash ? noDigest.slice(0, colon) : noDigest;
  const path = name.split('/').filter((part, i, all) => !(i === 0 && all.length > 1 && /[.:]|^localhost$/.test(part)));
  // Caisson's own built images are caisson/<name>: they go under <registry>/caisson/ once, not twice.
  const clean = path.join('/').toLowerCase().replace(/[^a-z0-9._/-]+/g, '-').replace(/^[._-]+/, '').replace(/^caisson\//, '');
  return clean.startsWith('sha256') || clean === '' ? 'image' : clean;
};

/**
 * Resolves when the registry answers its API check (`GET /v2/`, over HTTPS, else plain HTTP as a local
 * or insecure registry speaks), with any status: a 401 is a registry that wants a login, which the
 * daemon's push brings. Else one RuntimeUnavailableError naming it and what to do.
 */
export async function checkRegistry(registry: string): Promise<void> {
  const why: string[] = [];
  for (const scheme of ['https', 'http']) {
    try {
      await fetch(`${scheme}://${registry}/v2/`, { signal: AbortSignal.timeout(5000) });
      return;
    } catch (e) {
      why.push(`${scheme}: ${((e as { cause?: { code?: string; message?: string } }).cause?.code ?? (e as Error).message)}`);
    }
  }
  throw new RuntimeUnavailableError(`no registry answers at ${registry} (${why.join('; ')}), and Swarm tasks pull their images from it: `
    + 'start one (for example `docker run -d -p 127.0.0.1:5000:5000 registry:2`), or name one every node reaches in CAISSON_REGISTRY', { endpoint: registry });
}

/** Prepares task images: one build and push per image per process, shared by every task of it. */
export class SwarmImages {
  private readonly prepared = new Map<string, Promise<TaskImage>>();
  private tools: Promise<Buffer> | undefined;

  /** @param docker the manager's client (it builds and pushes); @param opts registry and tools image */
  constructor(private readonly docker: Docker, private readonly opts: SwarmImageOptions) {}

  /** The digest reference of `ref` with the tools layer, in the registry; built and pushed once. */
  prepare(ref: string): Promise<TaskImage> {
    let found = this.prepared.get(ref);
    if (!found) {
      found = this.build(ref);
      // A failure is not kept: the user may start the registry or build the image and try again.
      found.catch(() => this.prepared.delete(ref));
      this.prepared.set(ref, found);
    }
    return found;
  }

  private async build(ref: string): Promise<TaskImage> {
    const image = await fetchImage(this.docker, ref, this.opts.pullTimeoutMs);
    const registry = this.opts.registry();
    const target = `${registry}/caisson/${repositoryOf(ref)}`;
    const tag = `${image.id.replace(/^sha256:/, '').slice(0, 16)}-${TOOLS_LAYER_VERSION}`;
    const busybox = await this.busybox();
    const dockerfile = `FROM ${image.id}\nCOPY busybox ${TOOLS_PATH}\n`;
    const context = writeTar([
      { name: 'Dockerfile', type: 'file', mode: 0o644, data: Buffer.from(dockerfile) },
      { name: 'busybox', type: 'file', mode: 0o755, data: busybox },
    ]);
    log('build task image', { ref, target: `${target}:${tag}` });
    await follow(this.docker, this.docker.buildImage(context as unknown as NodeJS.ReadableStream, { t: `${target}:${tag}`, rm: true, forcerm: true }))
      .catch((e: unknown) => { throw new ImageNotFoundError(ref, `cannot add Caisson's tools layer for Swarm: ${messageOf(e)}`); });
    const pushed = await follow(this.docker, this.docker.getImage(target).push({ tag }) as unknown as Promise<NodeJS.ReadableStream>)
      .catch((e: unknown) => {
        throw new RuntimeUnavailableError(`cannot push image "${ref}" to the registry ${registry} (${messageOf(e)}); `
          + 'start one (for example `docker run -d -p 127.0.0.1:5000:5000 registry:2`), or name one every node reaches in CAISSON_REGISTRY');
      });
    const digest = pushed.map((o) => (o.aux as { Digest?: string } | undefined)?.Digest).find(Boolean);
    if (!digest) throw new RuntimeUnavailableError(`the registry ${registry} gave no digest for image "${ref}"`);
    log('pushed task image', { ref, digest });
    return { ref: `${target}@${digest}`, workdir: image.workdir };
  }

  /** The tools image's /bin/busybox, read once out of a container created (never started) from it. */
  private busybox(): Promise<Buffer> {
    this.tools ??= (async () => {
      await fetchImage(this.docker, this.opts.toolsImage, this.opts.pullTimeoutMs);
      const container = await this.docker.createContainer({ Image: this.opts.toolsImage, Cmd: ['/bin/busybox', 'true'], Labels: { 'dev.caisson.managed': 'tools' } });
      try {
        const stream = await container.getArchive({ path: '/bin/busybox' }) as unknown as AsyncIterable<Buffer>;
        const chunks: Buffer[] = [];
        for await (const c of stream) chunks.push(c);
        const entry = readTar(Buffer.concat(chunks)).find((e) => e.type === 'file');
        if (!entry?.data || entry.data.subarray(0, 4).toString('latin1') !== '\x7fELF') {
          throw new ImageNotFoundError(this.opts.toolsImage, 'it has no /bin/busybox binary; Swarm tasks need a static busybox (set CAISSON_SWARM_TOOLS_IMAGE)');
        }
        return entry.data;
      } finally {
        await container.remove({ force: true }).catch(() => {});
      }
    })();
    this.tools.catch(() => { this.tools = undefined; });
    return this.tools;
  }
}

const messageOf = (e: unknown): string =>
  engineMessage(e).trim().split('\n')[0]!;
