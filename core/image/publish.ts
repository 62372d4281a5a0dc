/**
 * Publishing resolved images to a registry, for runtimes whose nodes pull images instead of sharing the
 * local daemon's (a Swarm): every image, built or a plain reference, is pushed under a content tag and
 * then referenced by digest, so every node runs exactly the image this machine resolved.
 */
import { UsageError } from '../errors.ts';
import type { ImageBuilder, PushResult } from './contract.ts';
import type { ImageEvent } from './events.ts';
import { imageTag } from './image-tag.ts';

/** The registry images are published to when neither the caller nor CAISSON_REGISTRY names one. */
export const DEFAULT_REGISTRY = '127.0.0.1:5000';

/** `resolveAll`'s `publish` option: push every image to a registry and resolve it to its digest reference. */
export interface PublishOptions {
  /** The registry, `host[:port]`; default: CAISSON_REGISTRY, else 127.0.0.1:5000 (scripts/setup-swarm.sh starts one there). */
  registry?: string;
}

// A registry is a host name, IPv4 or [IPv6] address, and an optional port: no scheme, path or user.
const REGISTRY = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The registry to publish to: `explicit`, else CAISSON_REGISTRY, else 127.0.0.1:5000. A value that is not
 * `host[:port]` (a URL with a scheme or path) is a UsageError naming where it came from.
 */
export function publishRegistry(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const registry = explicit ?? (env.CAISSON_REGISTRY || DEFAULT_REGISTRY);
  if (!REGISTRY.test(registry)) {
    const where = explicit !== undefined ? 'publish.registry' : 'CAISSON_REGISTRY';
    throw new UsageError(`${where}: expected a registry as host[:port] (e.g. 127.0.0.1:5000 or registry.example.com), got "${registry}"`, { option: where });
  }
  return registry;
}

/** One image to publish: its table name, the local reference, and its content hash when it was built. */
export interface PublishItem {
  /** The image's table name. */
  image: string;
  /** The local reference (built images: their content tag). */
  ref: string;
  /** A built image's content hash (its tag in the registry); plain references are tagged by image id. */
  hash?: string;
}

/**
 * Pushes each item to `registry` in turn (one at a time: a first failure, such as a registry that does not
 * answer, is the one error the caller sees) and resolves to image name → push result.
 */
export async function publishImages(
  builder: ImageBuilder, items: readonly PublishItem[], registry: string,
  emit: (e: ImageEvent) => void, signal?: AbortSignal,
): Promise<Map<string, PushResult>> {
  const out = new Map<string, PushResult>();
  for (const item of items) {
    // The repository is the image's local one (caisson/<name>); a built image keeps its content tag.
    const [repository, tag] = imageTag(item.image, item.hash ?? '').split(':') as [string, string];
    const started = Date.now();
    const result = await builder.push(item.ref, { image: item.image, registry, repository, ...(item.hash ? { tag } : {}) }, signal);
    emit(result.pushed
      ? { type: 'image-pushed', image: item.image, ref: result.ref, seconds: (Date.now() - started) / 1000 }
      : { type: 'image-push-cached', image: item.image, ref: result.ref });
    out.set(item.image, result);
  }
  return out;
}
