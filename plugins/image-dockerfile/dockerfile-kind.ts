/**
 * Dockerfile images: the user's Dockerfile (a file, or inline text) built as is with its context, build
 * args and build secrets; installs or copied code asked for on top are a second, generated stage FROM
 * its result. The content address covers the Dockerfile's text and the context as BuildKit sends it
 * (`<Dockerfile>.dockerignore` first, else the context's own), plus what the installs and copies add.
 */
import { readFileSync } from 'node:fs';
import {
  contextIgnore, defineImageKind, DockerfileImageCodec, hashFile, hashTree, hasRequirements, ImageBuildError, ImageSpecError, planRequirements,
  readDockerignore, requirePath, requirementsInputs, requirementsSecretNames, type BuildPlan, type DockerfileImage,
} from '../../core/plugin-kit.ts';

/** The ignore rules BuildKit applies to a dockerfile build: `<Dockerfile>.dockerignore` if present, else the context's. */
function dockerfileIgnore(dockerfile: string | undefined, context: string): string {
  if (dockerfile) {
    try { return readFileSync(`${dockerfile}.dockerignore`, 'utf8'); } catch { /* fall through */ }
  }
  return readDockerignore(context);
}

/** Reads what the image is built from; an unreadable file is the user's to fix: one line naming it, not a stack. */
function read<T>(image: string, option: string, fn: () => T): T {
  try { return fn(); } catch (e) { throw new ImageBuildError(image, `${option}: cannot read what the image is built from: ${(e as Error).message}`); }
}

/** The Dockerfile's text; a `# syntax=` line would pull a frontend image from a registry, and none is reachable. */
function dockerfileText(spec: DockerfileImage): string {
  const text = spec.dockerfileText ?? read(spec.name, 'dockerfile', () => readFileSync(spec.dockerfile!, 'utf8'));
  if (/^\s*#\s*syntax\s*=/im.test(text)) {
    throw new ImageSpecError(spec.name, `${spec.dockerfile ? `dockerfile (${spec.dockerfile})` : 'dockerfileText'}: remove the "# syntax=" line; Caisson builds with the engine's built-in Dockerfile frontend and pulls no frontend image`);
  }
  return text;
}

/**
 * The kind of `image({ dockerfile | dockerfileText, context })` definitions: builds the user's
 * Dockerfile unchanged, then any installs or copied code as a second stage. Its plugin is `dockerfileImages()`.
 */
export const dockerfileKind = defineImageKind({
  kind: 'dockerfile',
  // Part of every dockerfile image hash.
  version: '1',
  params: DockerfileImageCodec,
  secretNames: (spec) => [...Object.values(spec.buildSecrets ?? {}), ...requirementsSecretNames(spec)],
  async inputs(spec, ctx) {
    const inputs = await requirementsInputs(spec, ctx);
    if (spec.dockerfile) {
      requirePath(spec.name, 'dockerfile', spec.dockerfile, 'file', spec.dir);
      inputs.dockerfile = read(spec.name, 'dockerfile', () => hashFile(spec.dockerfile!));
    }
    dockerfileText(spec);
    if (spec.context) {
      const context = requirePath(spec.name, 'context', spec.context, 'directory', spec.dir);
      inputs.context = read(spec.name, 'context', () => hashTree(context, contextIgnore(dockerfileIgnore(spec.dockerfile, context))).hash);
    }
    return inputs;
  },
  async plan(spec, ctx) {
    const context = spec.context ?? ctx.emptyContext;
    const user: BuildPlan = { context, dockerfile: dockerfileText(spec), ignore: contextIgnore(dockerfileIgnore(spec.dockerfile, context)) };
    if (spec.buildArgs) user.buildArgs = spec.buildArgs;
    if (spec.buildSecrets) user.secretValues = Object.fromEntries(Object.entries(spec.buildSecrets).map(([id, name]) => [id, ctx.secret(name, `buildSecrets: ${id}`)]));
    if (!hasRequirements(spec)) return user;
    const built = await ctx.buildStage(user, 'dockerfile');
    return planRequirements(spec, ctx, built);
  },
});
