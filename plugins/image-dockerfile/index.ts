/** `dockerfileImages()`: the plugin for images built from the user's Dockerfile. */
import type { Plugin } from '../../core/index.ts';
import { DockerfileImageProvider } from './dockerfile-image-provider.ts';

export { DockerfileImageProvider } from './dockerfile-image-provider.ts';

/** Contributes the dockerfile image kind. */
export const dockerfileImages = (): Plugin => ({
  name: 'image-dockerfile',
  imageKinds: [new DockerfileImageProvider()],
});
