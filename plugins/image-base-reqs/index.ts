/** `baseReqsImages()`: the plugin for images made of a base, installs and copied code. */
import type { Plugin } from '../../core/index.ts';
import { baseReqsKind } from './base-reqs-kind.ts';

export { baseReqsKind } from './base-reqs-kind.ts';

/** Adds the base + requirements image kind. */
export const baseReqsImages = (): Plugin => ({ name: 'image-base-reqs', imageKinds: [baseReqsKind] });
