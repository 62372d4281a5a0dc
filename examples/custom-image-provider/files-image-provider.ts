/**
 * A custom image kind in one file: "files" = a base image plus text files written from the pipeline's
 * own params. Register it with `filesImages()` in createCaisson({ plugins }) and use `filesImage()`.
 */
import { posix } from 'node:path';
import { image, ImageSpecError, shellQuote } from 'caisson/plugin-kit';
import type { BuildPlan, CustomImage, Image, ImageProvider, PlanContext, Plugin } from 'caisson/plugin-kit';

/** What a "files" image takes. */
export interface FilesParams { base: string; files: Record<string, string> }

export class FilesImageProvider implements ImageProvider<CustomImage> {
  /** Specs made with `image({ provider: 'files', ... })`. */
  readonly kind = 'files';
  /** Part of the image hash: bump when plan() would build differently. */
  readonly version = '1';

  /** One clear error per broken param, naming the image. */
  validate(spec: CustomImage): void {
    const { base, files } = spec.params as Partial<FilesParams>;
    if (typeof base !== 'string' || !base) throw new ImageSpecError(spec.name, 'params.base: expected an image reference like "busybox:latest"');
    if (typeof files !== 'object' || files === null || !Object.values(files).every((v) => typeof v === 'string')) {
      throw new ImageSpecError(spec.name, 'params.files: expected an object of absolute path → text');
    }
    for (const path of Object.keys(files)) if (!path.startsWith('/')) throw new ImageSpecError(spec.name, `params.files: "${path}" must be an absolute path`);
  }

  /** FROM the base, one RUN per file (base64, so any text survives the Dockerfile line). */
  async plan(spec: CustomImage, ctx: PlanContext): Promise<BuildPlan> {
    const { base, files } = spec.params as unknown as FilesParams;
    const lines = [`FROM ${base}`];
    for (const [path, text] of Object.entries(files).sort()) {
      const b64 = Buffer.from(text).toString('base64');
      lines.push(`RUN mkdir -p ${shellQuote(posix.dirname(path))} && echo ${b64} | base64 -d > ${shellQuote(path)}`);
    }
    return { context: ctx.emptyContext, dockerfile: `${lines.join('\n')}\n`, labels: { 'dev.caisson.example': 'files' } };
  }
}

/** The plugin: a name and the kinds it contributes. */
export const filesImages = (): Plugin => ({ name: 'image-files', imageKinds: [new FilesImageProvider()] });

/** DSL sugar: `filesImage('config', { base: 'busybox:latest', files: { '/etc/app.conf': 'x=1\n' } })`. */
export const filesImage = (name: string, params: FilesParams): Image => image({ provider: 'files', params: { ...params }, name });
