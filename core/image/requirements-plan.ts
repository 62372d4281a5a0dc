/**
 * The shared half of the built-in kinds' plans: probe the base, find the code to copy (copyDir, a local
 * checkout, or the host clone of copyUrl), render the generated Dockerfile
 * (docs/conducto-semantics.md#generated-dockerfile) and attach the CA and pip index
 * secrets. A kind only decides what the base is. Shared through caisson/plugin-kit, since all three
 * built-in kinds (and any kind that wants installs on top) use it, and plugins cannot import each other.
 */
import type { RequirementFields } from '../ir/codecs.ts';
import type { BuildPlan } from './contract.ts';
import type { PlanContext } from './kind.ts';
import { renderRequirements, CA_SECRET_ID } from './requirements-dockerfile.ts';
import { readDockerignore } from './tree-hash.ts';
import { gitConfigToCopy } from './git-config.ts';
import { pipConfig, PIP_SECRET_ID } from './pip-config.ts';
import { gitSourceOf, type RequirementsSpec } from './requirements-inputs.ts';

/** True when the spec asks for anything on top of its base (installs or copied code). */
export const hasRequirements = (s: RequirementFields): boolean =>
  Boolean(s.installPackages?.length || s.installPip?.length || s.installNpm || s.installDocker || s.copyDir || s.copyUrl);

/** The build plan for `spec`'s installs and copies on top of `from`. */
export async function planRequirements(spec: RequirementsSpec, ctx: PlanContext, from: string): Promise<BuildPlan> {
  const base = await ctx.probe(from);
  let context = ctx.emptyContext;
  let copy: Parameters<typeof renderRequirements>[0]['copy'];
  if (spec.copyUrl) {
    const { dir, sha } = await ctx.checkout(gitSourceOf(spec));
    context = dir;
    copy = { ignore: readDockerignore(dir), gitUrl: spec.copyUrl, gitBranch: spec.copyBranch, gitSha: sha };
  } else if (spec.copyDir) {
    context = spec.copyDir;
    const gitSha = spec.copyGit ? await ctx.gitHead(spec.copyDir) : undefined;
    copy = { ignore: readDockerignore(spec.copyDir), gitUrl: spec.gitUrl, gitBranch: spec.copyGit ? spec.copyBranch : undefined, gitSha };
  }
  if (copy) {
    const gitConfig = gitConfigToCopy(context, copy.ignore);
    if (gitConfig !== undefined) copy.gitConfig = gitConfig;
  }
  const pip = spec.installPip?.length ? pipConfig(spec, spec.name, ctx) : undefined;
  const { dockerfile, ignore } = renderRequirements({ image: spec.name, from, base, spec, copy, caBundle: Boolean(ctx.caBundle), pipConfig: pip !== undefined });
  const plan: BuildPlan = { context, dockerfile };
  if (ignore !== undefined) plan.ignore = ignore;
  if (ctx.caBundle) plan.secrets = { [CA_SECRET_ID]: ctx.caBundle };
  if (pip !== undefined) plan.secretValues = { [PIP_SECRET_ID]: pip };
  return plan;
}
