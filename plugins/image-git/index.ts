/** `gitImages()`: the plugin for images whose code comes from a git URL and branch. */
import type { ImageProvider, Plugin } from '../../core/index.ts';
import { Tokens } from '../../core/index.ts';
import { GitImageProvider } from './git-image-provider.ts';

export { GitImageProvider } from './git-image-provider.ts';

/** Registers the git provider under Tokens.ImageProviders. */
export const gitImages = (): Plugin => ({
  name: 'image-git',
  register: (c) => c.register<ImageProvider>(Tokens.ImageProviders, { useValue: new GitImageProvider() }),
});
