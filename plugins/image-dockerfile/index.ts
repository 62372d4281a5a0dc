/** `dockerfileImages()`: the plugin for images built from the user's Dockerfile. */
import type { Plugin } from '../../core/index.ts';
import { dockerfileKind } from './dockerfile-kind.ts';

export { dockerfileKind } from './dockerfile-kind.ts';

/** Adds the dockerfile image kind. */
export const dockerfileImages = (): Plugin => ({ name: 'image-dockerfile', imageKinds: [dockerfileKind] });
