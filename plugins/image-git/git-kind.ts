/**
 * Git images: copyUrl + copyBranch (or copyRepo with a branch) cloned on the host into Caisson's cache,
 * then copied with COPY, `.git` kept and CAISSON_GIT_URL/BRANCH/SHA set. The clone happens while the
 * content address is worked out (the commit is part of it), so planning reuses it. The token, if any, is
 * the copyCredentials secret, handed to git out of band (see plugins/buildkit/git-source.ts).
 */
import { defineImageKind, GitImageCodec, planRequirements, requirementsInputs, requirementsSecretNames } from '../../core/plugin-kit.ts';

/**
 * The kind of images whose code comes from a git URL and branch: the branch is cloned on the host and
 * copied in, so the commit decides the image. Its plugin is `gitImages()`.
 */
export const gitKind = defineImageKind({
  kind: 'git',
  // Part of every git image hash; bump when the generated Dockerfile changes.
  version: '1',
  params: GitImageCodec,
  // The token of the clone (copyCredentials), and any secret package index.
  secretNames: requirementsSecretNames,
  // The commit the branch points at, from the host clone.
  inputs: requirementsInputs,
  // Installs on `ref`, then the host clone copied to /mnt/caisson.
  plan: (spec, ctx) => planRequirements(spec, ctx, spec.ref),
});
