/** `gitImages()`: the plugin for images whose code comes from a git URL and branch. */
import type { Plugin } from '../../core/index.ts';
import { gitKind } from './git-kind.ts';

export { gitKind } from './git-kind.ts';

/** Adds the git image kind. */
export const gitImages = (): Plugin => ({ name: 'image-git', imageKinds: [gitKind] });
