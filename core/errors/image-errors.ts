/**
 * Errors about images: definitions that cannot work, references that are not there, builds that fail.
 * Each carries the image's name (or reference) as `image`.
 */
import { brandError, CaissonError, type ErrorOptions } from './caisson-error.ts';
import { DslError } from './input-errors.ts';

/**
 * Two different image definitions were registered under one name in a pipeline; the message says where
 * both come from.
 */
export class ImageConflictError extends CaissonError {
  /** The name both definitions use. */
  declare readonly image: string;
  /**
   * @param name the image name both definitions use
   * @param detail where the two definitions come from and how they differ
   */
  constructor(name: string, detail = '') {
    super('IMAGE_CONFLICT', `image "${name}" is already present with a different definition in this pipeline${detail ? `: ${detail}` : ''}; give one of them another name`, { image: name });
  }
}
brandError(ImageConflictError, 'ImageConflictError');

/** An image is neither present locally nor pullable; `image` is the reference that was asked for. */
export class ImageNotFoundError extends CaissonError {
  /** The reference that was asked for. */
  declare readonly image: string;
  /**
   * @param image the reference that was asked for, kept on the error as `image`
   * @param detail why it could not be had (the daemon's answer), appended in parentheses
   */
  constructor(image: string, detail: string) {
    super('IMAGE_NOT_FOUND', `image "${image}" is not present locally and could not be pulled${detail ? ` (${detail})` : ''}; build or load it (docker images lists what is present)`, { image });
  }
}
brandError(ImageNotFoundError, 'ImageNotFoundError');

/** A node runs a built image (or one missing from the table) that was not resolved for its run. */
export class ImageUnresolvedError extends CaissonError {
  /** The Exec that needs the image. */
  declare readonly path: string;
  /** The image's name in the pipeline's table. */
  declare readonly image: string;
  /** @param data the node, the image, and its kind when the table has it (undefined: not in the table) */
  constructor(data: { path: string; image: string; kind?: string }) {
    const { path, image, kind } = data;
    super('IMAGE_UNRESOLVED', kind !== undefined
      ? `${path}: image "${image}" is built (kind ${kind}) and was not resolved for this run; resolve images first (caisson.images.resolveAll(ir)) and pass them as createRun(ir, { images }), or on the fake runtime use runFake() or placeholderImages(ir) from caisson/testing`
      : `${path}: image "${image}" is not in the pipeline's images table and was not resolved for this run; register it, or pass it in createRun(ir, { images })`,
    { path, image });
  }
}
brandError(ImageUnresolvedError, 'ImageUnresolvedError');

/** An image definition that cannot work; the message names the image and the option. A DslError when image() finds it. */
export class ImageSpecError extends DslError {
  /** IMAGE_SPEC, although it is a DslError, so programs can tell image problems from other builder misuse. */
  override readonly code = 'IMAGE_SPEC';
  /** The image's name in the pipeline. */
  declare readonly image: string;
  /**
   * @param image the image's name in the pipeline, kept as `image` and prefixed to the message
   * @param message what is wrong, usually starting with the option ("copyDir: …")
   * @param data the option at fault, when the caller names it
   */
  constructor(image: string, message: string, data: { option?: string } = {}) {
    super(`image "${image}": ${message}`, data);
    Object.defineProperty(this, 'image', { value: image, enumerable: true });
  }
}
brandError(ImageSpecError, 'ImageSpecError');

/** A build, clone or probe of an image failed; the message names the image and ends with the tool's output tail. */
export class ImageBuildError extends CaissonError {
  /** The image's name in the pipeline. */
  declare readonly image: string;
  /**
   * @param image the image's name in the pipeline, kept as `image` and prefixed to the message
   * @param message what failed, with the tool's output tail
   * @param options the underlying error
   */
  constructor(image: string, message: string, options: ErrorOptions = {}) {
    super('IMAGE_BUILD', `image "${image}": ${message}`, { ...options, image });
  }
}
brandError(ImageBuildError, 'ImageBuildError');

/** Images a recorded run uses were not recorded, or are no longer in the Docker daemon. */
export class RecordedImageMissingError extends CaissonError {
  /** The run whose images are missing. */
  declare readonly runId: string;
  /** The missing images' names in the pipeline. */
  declare readonly images: string[];
  /**
   * @param message names each image, its ref and id, and the rebuild command
   * @param data the run and the images' names
   */
  constructor(message: string, data: { runId: string; images: string[] }) {
    super('RECORDED_IMAGE_MISSING', message, data);
  }
}
brandError(RecordedImageMissingError, 'RecordedImageMissingError');
