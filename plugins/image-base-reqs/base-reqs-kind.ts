/**
 * Base + requirements images: a base reference with installs (apt/apk/yum/dnf, pip, npm, docker) and
 * code copied from copyDir or the enclosing checkout (copyRepo), per docs/conducto-semantics.md#generated-dockerfile. The install + copy stage is
 * the building block all three built-in kinds share (caisson/plugin-kit); this kind puts it on `ref`.
 */
import { BaseReqsImageCodec, defineImageKind, planRequirements, requirementsInputs, requirementsSecretNames } from '../../core/plugin-kit.ts';

/**
 * The kind of `image({ ref, installPackages…, copyDir })` definitions: a base image with package, pip,
 * npm or docker installs and optionally copied code. Its plugin is `baseReqsImages()`.
 */
export const baseReqsKind = defineImageKind({
  kind: 'base-reqs',
  // Part of every base-reqs image hash; bump when the generated Dockerfile changes.
  version: '1',
  params: BaseReqsImageCodec,
  secretNames: requirementsSecretNames,
  // The copied tree (copyDir must exist), its credential-free .git/config.
  inputs: requirementsInputs,
  // The generated Dockerfile on top of `ref`, probed first so installs use the right package manager.
  plan: (spec, ctx) => planRequirements(spec, ctx, spec.ref),
});
