/**
 * Dockerfile images: the user's Dockerfile (a file, or inline text) built as is with its context and
 * build args; installs or copied code asked for on top are a second, generated stage FROM its result.
 */
import { readFileSync } from 'node:fs';
import type { BuildPlan, DockerfileImage, ImageProvider, PlanContext } from '../../core/plugin-kit.ts';
import { contextIgnore, dockerfileIgnore, hasRequirements, ImageSpecError, planRequirements } from '../../core/plugin-kit.ts';

/**
 * The ImageProvider of `image({ dockerfile | dockerfileText, context })` definitions: builds the user's
 * Dockerfile unchanged, then any installs or copied code as a second stage. Register it with
 * `dockerfileImages()`.
 */
export class DockerfileImageProvider implements ImageProvider<DockerfileImage> {
  /** Builds specs of kind "dockerfile". */
  readonly kind = 'dockerfile';
  /** Part of every dockerfile image hash. */
  readonly version = '1';

  /** A `# syntax=` line would pull a frontend image from a registry; none is reachable, and the built-in frontend suffices. */
  validate(spec: DockerfileImage): void {
    if (/^\s*#\s*syntax\s*=/im.test(this.text(spec))) {
      throw new ImageSpecError(spec.name, `${spec.dockerfile ? `dockerfile (${spec.dockerfile})` : 'dockerfileText'}: remove the "# syntax=" line; Caisson builds with the engine's built-in Dockerfile frontend and pulls no frontend image`);
    }
  }

  /** The user's build, plus a generated stage when the spec also installs or copies. */
  async plan(spec: DockerfileImage, ctx: PlanContext): Promise<BuildPlan> {
    const context = spec.context ?? ctx.emptyContext;
    const user: BuildPlan = { context, dockerfile: this.text(spec), ignore: contextIgnore(dockerfileIgnore(spec.dockerfile, context)) };
    if (spec.buildArgs) user.buildArgs = spec.buildArgs;
    if (spec.buildSecrets) user.secretValues = Object.fromEntries(Object.entries(spec.buildSecrets).map(([id, name]) => [id, ctx.secret(name, `buildSecrets: ${id}`)]));
    if (!hasRequirements(spec)) return user;
    const built = await ctx.buildStage(user, 'dockerfile');
    return planRequirements(spec, ctx, built);
  }

  private text(spec: DockerfileImage): string {
    return spec.dockerfileText ?? readFileSync(spec.dockerfile!, 'utf8');
  }
}
