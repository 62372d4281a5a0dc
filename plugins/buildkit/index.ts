/**
 * `buildkit()`: the image builder plugin. The only place Caisson runs `docker buildx build` (and the
 * docker CLI for image inspect and probes), through execa.
 */
import type { Plugin } from '../../core/index.ts';
import { BuildKitImageBuilder } from './buildkit-image-builder.ts';

export { BuildKitImageBuilder } from './buildkit-image-builder.ts';
export { JsonObjectSplitter, RawJsonProgress } from './rawjson-progress.ts';

/** Contributes a BuildKitImageBuilder (or the one given, e.g. one wrapped by a test) as the image builder. */
export const buildkit = (builder: BuildKitImageBuilder = new BuildKitImageBuilder()): Plugin => ({
  name: 'buildkit',
  imageBuilder: builder,
});
