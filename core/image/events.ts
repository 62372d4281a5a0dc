/**
 * What resolving images reports, for a CLI to print as plain lines. Every text field has passed through
 * the resolve's one scrubber (resolve-secrets.ts), so no secret a build read can be shown.
 */

/** One thing that happened while resolving images. */
export type ImageEvent =
  /** The content-addressed tag already exists: nothing to build. */
  | { type: 'image-cached'; image: string; tag: string }
  /** A build starts (missing tag, or rebuild asked for). */
  | { type: 'image-build'; image: string; tag: string; reason: 'missing' | 'rebuild' }
  /** A BuildKit step started; `cached` when the layer cache answered it. */
  | { type: 'image-step'; image: string; step: string; cached: boolean }
  /** A line a build step printed. */
  | { type: 'image-log'; image: string; step: string; line: string }
  /** The build finished. */
  | { type: 'image-built'; image: string; tag: string; id: string; seconds: number }
  /** The image was pushed to the publish registry; `ref` is its digest reference. */
  | { type: 'image-pushed'; image: string; ref: string; seconds: number }
  /** The publish registry already had the image at this digest: nothing was pushed. */
  | { type: 'image-push-cached'; image: string; ref: string };

/** Renders an event as one plain line. */
export function formatImageEvent(e: ImageEvent): string {
  switch (e.type) {
    case 'image-cached': return `image ${e.image}: up to date (${e.tag})`;
    case 'image-build': return `image ${e.image}: building ${e.tag}${e.reason === 'rebuild' ? ' (rebuild requested)' : ''}`;
    case 'image-step': return `image ${e.image}: ${e.cached ? 'CACHED ' : ''}${e.step}`;
    case 'image-log': return `image ${e.image}: | ${e.line}`;
    case 'image-built': return `image ${e.image}: built ${e.tag} in ${e.seconds.toFixed(1)}s`;
    case 'image-pushed': return `image ${e.image}: pushed ${e.ref} in ${e.seconds.toFixed(1)}s`;
    case 'image-push-cached': return `image ${e.image}: already in the registry (${e.ref})`;
  }
}
