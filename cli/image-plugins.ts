/**
 * The image plugins `caisson run` wires in: the BuildKit builder and the three built-in kinds. Like
 * runtimes.ts, the CLI is the one place that knows them all; they are loaded when a command needs
 * images (the builder brings execa), not when the CLI starts.
 */
import type { Plugin } from '../core/index.ts';

/**
 * Builder + every built-in image kind, then the pipeline file's own plugins. A pipeline plugin that
 * provides a built-in kind again is one error naming both plugins.
 */
export async function imagePlugins(fromPipeline: Plugin[] = []): Promise<Plugin[]> {
  const [{ buildkit }, { dockerfileImages }, { baseReqsImages }, { gitImages }] = await Promise.all([
    import('../plugins/buildkit/index.ts'),
    import('../plugins/image-dockerfile/index.ts'),
    import('../plugins/image-base-reqs/index.ts'),
    import('../plugins/image-git/index.ts'),
  ]);
  return [buildkit(), dockerfileImages(), baseReqsImages(), gitImages(), ...fromPipeline];
}
