/** `gitImages()`: the plugin for images whose code comes from a git URL and branch. */
import type { Plugin } from '../../core/index.ts';
import { GitImageProvider } from './git-image-provider.ts';

export { GitImageProvider } from './git-image-provider.ts';

/** Contributes the git image kind. */
export const gitImages = (): Plugin => ({
  name: 'image-git',
  imageKinds: [new GitImageProvider()],
});
