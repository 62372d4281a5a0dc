/** `dockerfileImages()`: the plugin for images built from the user's Dockerfile. */
import type { ImageProvider, Plugin } from '../../core/index.ts';
import { Tokens } from '../../core/index.ts';
import { DockerfileImageProvider } from './dockerfile-image-provider.ts';

export { DockerfileImageProvider } from './dockerfile-image-provider.ts';

/** Registers the dockerfile provider under Tokens.ImageProviders. */
export const dockerfileImages = (): Plugin => ({
  name: 'image-dockerfile',
  register: (c) => c.register<ImageProvider>(Tokens.ImageProviders, { useValue: new DockerfileImageProvider() }),
});
