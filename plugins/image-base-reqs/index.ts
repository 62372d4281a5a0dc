/** `baseReqsImages()`: the plugin for images made of a base, installs and copied code. */
import type { ImageProvider, Plugin } from '../../core/index.ts';
import { Tokens } from '../../core/index.ts';
import { BaseReqsImageProvider } from './base-reqs-image-provider.ts';

export { BaseReqsImageProvider } from './base-reqs-image-provider.ts';

/** Registers the base+requirements provider under Tokens.ImageProviders. */
export const baseReqsImages = (): Plugin => ({
  name: 'image-base-reqs',
  register: (c) => c.register<ImageProvider>(Tokens.ImageProviders, { useValue: new BaseReqsImageProvider() }),
});
