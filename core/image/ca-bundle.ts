/**
 * The CA bundle install steps trust, for builds behind a TLS-intercepting proxy: the resolve option,
 * else CAISSON_CA_BUNDLE, else SSL_CERT_FILE (the convention OpenSSL tools already honour). It reaches
 * RUN steps only as a BuildKit secret, so it is never written into a layer.
 */
import { existsSync } from 'node:fs';
import { UsageError } from '../errors.ts';
export { CA_SECRET_ID } from './requirements-dockerfile.ts';

/** The bundle file to mount, or undefined for none. */
export function resolveCaBundle(option?: string | false): string | undefined {
  if (option === false) return undefined;
  const explicit = option ?? process.env.CAISSON_CA_BUNDLE;
  if (explicit) {
    if (!existsSync(explicit)) throw new UsageError(`CA bundle ${explicit} does not exist (from ${option ? 'the caBundle option' : 'CAISSON_CA_BUNDLE'}); point it at a PEM file or unset it`, { file: explicit, option: option ? 'caBundle' : 'CAISSON_CA_BUNDLE' });
    return explicit;
  }
  const fromSsl = process.env.SSL_CERT_FILE;
  return fromSsl && existsSync(fromSsl) ? fromSsl : undefined;
}
