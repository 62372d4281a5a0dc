/**
 * `buildkit()`: the image builder plugin. The only place Caisson runs `docker buildx build` (and the
 * docker CLI for image inspect and probes), through execa.
 */
import type { ImageBuilder, Plugin } from '../../core/index.ts';
import { BuildKitImageBuilder } from './buildkit-image-builder.ts';

export { BuildKitImageBuilder } from './buildkit-image-builder.ts';
export { JsonObjectSplitter, RawJsonProgress } from './rawjson-progress.ts';

/** Contributes a BuildKitImageBuilder (or the builder given, e.g. one a test wraps to count its calls) as the image builder. */
export const buildkit = (builder: ImageBuilder = new BuildKitImageBuilder()): Plugin => ({
  name: 'buildkit',
  imageBuilder: builder,
});
