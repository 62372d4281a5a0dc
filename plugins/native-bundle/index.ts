/**
 * `nativeBundle()`: the plugin that bundles native functions (exec(name, fn, ...args)) for containers,
 * with esbuild. The only place Caisson uses esbuild.
 */
import type { NativeBundler, Plugin } from '../../core/index.ts';
import { EsbuildBundler } from './esbuild-bundler.ts';

export { EsbuildBundler } from './esbuild-bundler.ts';

/** Contributes an EsbuildBundler (or the bundler given) as the native bundler. */
export const nativeBundle = (bundler: NativeBundler = new EsbuildBundler()): Plugin => ({
  name: 'native-bundle',
  nativeBundler: bundler,
});
