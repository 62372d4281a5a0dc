/**
 * The image plugins `caisson run` wires in: the BuildKit builder and the three built-in kinds. Like
 * runtimes.ts, the CLI is the one place that knows them all.
 */
import type { Plugin } from '../core/index.ts';
import { buildkit } from '../plugins/buildkit/index.ts';
import { dockerfileImages } from '../plugins/image-dockerfile/index.ts';
import { baseReqsImages } from '../plugins/image-base-reqs/index.ts';
import { gitImages } from '../plugins/image-git/index.ts';

/**
 * Builder + providers for every built-in image kind, then the pipeline file's own plugins. A pipeline
 * plugin that provides a built-in kind again is one error naming both plugins.
 */
export const imagePlugins = (fromPipeline: Plugin[] = []): Plugin[] => [buildkit(), dockerfileImages(), baseReqsImages(), gitImages(), ...fromPipeline];
