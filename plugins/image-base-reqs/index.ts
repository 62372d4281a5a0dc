/** `baseReqsImages()`: the plugin for images made of a base, installs and copied code. */
import type { Plugin } from '../../core/index.ts';
import { BaseReqsImageProvider } from './base-reqs-image-provider.ts';

export { BaseReqsImageProvider } from './base-reqs-image-provider.ts';

/** Contributes the base+requirements image kind. */
export const baseReqsImages = (): Plugin => ({
  name: 'image-base-reqs',
  imageKinds: [new BaseReqsImageProvider()],
});
