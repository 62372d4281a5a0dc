/**
 * A custom image kind in one file: "files" = a base image plus text files written from the pipeline's
 * own params. Add it with `filesImages()` (a pipeline file's `plugins` export, or createCaisson's) and use
 * it as `image({ provider: filesKind, params: { base, files }, name })`: the params are typed, and checked
 * by the codec when image() runs and again when the image resolves, naming the image in every error.
 */
import { posix } from 'node:path';
import { defineImageKind, rule, shellQuote, t, type Plugin } from 'caisson/plugin-kit';

const isFiles = (u: unknown): u is Record<string, string> =>
  typeof u === 'object' && u !== null && !Array.isArray(u) && Object.entries(u).every(([path, text]) => path.startsWith('/') && typeof text === 'string');

/** The "files" kind: FROM the base, one RUN per file (base64, so any text survives the Dockerfile line). */
export const filesKind = defineImageKind({
  kind: 'files',
  version: '1', // part of the image hash: bump when plan() would build differently
  params: t.type({ base: t.string, files: rule('Files', 'expected an object of absolute path → text', isFiles) }),
  plan: ({ base, files }, ctx) => ({
    context: ctx.emptyContext,
    dockerfile: [`FROM ${base}`, ...Object.entries(files).sort().map(([path, text]) =>
      `RUN mkdir -p ${shellQuote(posix.dirname(path))} && echo ${Buffer.from(text).toString('base64')} | base64 -d > ${shellQuote(path)}`)].join('\n') + '\n',
    labels: { 'dev.caisson.example': 'files' },
  }),
});

/** The plugin: contributes the kind. */
export const filesImages = (): Plugin => ({ name: 'image-files', imageKinds: [filesKind] });
