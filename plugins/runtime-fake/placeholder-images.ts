/**
 * What a run on the fake runtime uses for images: nothing is built or pulled, so each built image gets a
 * placeholder reference, `caisson/<name>:fake`, and a plain reference stays as written. Tests see in
 * `fake.calls` which image each node would have run in.
 */
import { imageTag, type PipelineIR, type ResolvedImage } from '../../core/plugin-kit.ts';

/** Image name → the placeholder the fake runtime runs it as (plain refs as they are, with their shell). */
export function placeholderImages(ir: PipelineIR): Record<string, ResolvedImage> {
  return Object.fromEntries(Object.values(ir.images).map((spec) => [spec.name, {
    ref: spec.kind === 'ref' ? spec.ref : imageTag(spec.name, 'fake'),
    ...(spec.shell ? { shell: spec.shell } : {}),
  }]));
}
