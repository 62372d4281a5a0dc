/**
 * Git images: copyUrl + copyBranch (or copyRepo with a branch) cloned on the host into Caisson's cache,
 * then copied with COPY, `.git` kept and CAISSON_GIT_URL/BRANCH/SHA set. The clone happens while
 * hashing (the commit is part of the content address), so planning reuses it. Credentials reach git
 * out of band and never the image (see plugins/buildkit/git-source.ts).
 */
import type { BuildPlan, GitImage, ImageProvider, PlanContext } from '../../core/plugin-kit.ts';
import { ImageSpecError, planRequirements } from '../../core/plugin-kit.ts';

/**
 * The ImageProvider of images whose code comes from a git URL and branch: the branch is cloned on the
 * host and copied in, so the commit decides the image. Register it with `gitImages()`.
 */
export class GitImageProvider implements ImageProvider<GitImage> {
  /** Builds specs of kind "git". */
  readonly kind = 'git';
  /** Part of every git image hash; bump when the generated Dockerfile changes. */
  readonly version = '1';

  /** A git source needs a branch: the commit it points at decides the image. */
  validate(spec: GitImage): void {
    if (!spec.copyBranch) throw new ImageSpecError(spec.name, `copyBranch: required with copyUrl (${spec.copyUrl})`);
  }

  /** Installs on `spec.ref`, then the host clone copied to /mnt/caisson. */
  plan(spec: GitImage, ctx: PlanContext): Promise<BuildPlan> {
    return planRequirements(spec, ctx, spec.ref);
  }
}
