/**
 * Base + requirements images: a base reference with installs (apt/apk/yum/dnf, pip, npm, docker) and code
 * copied from copyDir or the enclosing checkout (copyRepo), per
 * docs/conducto-semantics.md#generated-dockerfile.
 */
import type { BaseReqsImage, BuildPlan, ImageProvider, PlanContext } from '../../core/plugin-kit.ts';
import { planRequirements } from '../../core/plugin-kit.ts';

/**
 * The ImageProvider of `image({ ref, installPackages…, copyDir })` definitions: a base image with package, pip,
 * npm or docker installs and optionally copied code. Register it with `baseReqsImages()`.
 */
export class BaseReqsImageProvider implements ImageProvider<BaseReqsImage> {
  /** Builds specs of kind "base-reqs". */
  readonly kind = 'base-reqs';
  /** Part of every base-reqs image hash; bump when the generated Dockerfile changes. */
  readonly version = '1';

  /** The generated Dockerfile on top of `spec.ref`, probed first so installs use the right package manager. */
  plan(spec: BaseReqsImage, ctx: PlanContext): Promise<BuildPlan> {
    return planRequirements(spec, ctx, spec.ref);
  }
}
