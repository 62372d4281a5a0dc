/**
 * Canonical hashing: sha256 of safe-stable-stringify's sorted-key JSON, so equal values always hash
 * alike whatever order their keys were written in.
 */
import { createHash } from 'node:crypto';
import { configure } from 'safe-stable-stringify';
import type { ImageSpec } from '../ir/codecs.ts';

const stable = configure({ deterministic: true, circularValue: Error, bigint: false });

/** Hex sha256 of the canonical JSON of `value`. */
export function hashCanonical(value: unknown): string {
  return createHash('sha256').update(stable(value) ?? 'null').digest('hex');
}

/**
 * The spec fields that decide what is built: everything except `name` and `shell` (as Conducto), and
 * `dir` / `pathMap`, which say where the definition came from, not what goes into the image.
 */
export function buildIdentity(spec: ImageSpec): Record<string, unknown> {
  const { name: _name, shell: _shell, dir: _dir, pathMap: _pathMap, ...rest } = spec as ImageSpec & { dir?: string };
  return rest;
}

/** The content address of an image: spec identity + provider version + input content. */
export function hashImage(spec: ImageSpec, providerVersion: string, inputs: unknown): string {
  return hashCanonical({ spec: buildIdentity(spec), provider: providerVersion, inputs });
}
