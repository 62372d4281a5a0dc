/**
 * The bundler a Caisson without the native-bundle plugin uses: it bundles nothing and names the module
 * file itself. Enough for the fake runtime, which imports the module in-process; a real container finds no
 * bundle, so such a run says which plugin to add.
 */
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import type { NativeBundler } from './contract.ts';

/** A NativeBundler that does not bundle (see the file comment). */
export const unbundled: NativeBundler = {
  dir: tmpdir(),
  inProcessOnly: true,
  bundle: (request) => Promise.resolve({ file: request.file, hash: `unbundled-${createHash('sha256').update(request.file).digest('hex').slice(0, 16)}` }),
};
