/**
 * Images after the IR: the kind and builder contracts, the service that resolves a pipeline's images
 * through the kinds' table, and the building blocks the built-in kinds are made of (content hashing,
 * ignore files, probing, the generated install + copy stage).
 */
export type { BuildOptions, BuildPlan, BuildProgress, ImageBuilder, InspectedImage, ProbeResult, DistroFlavor, GitCheckoutResult, GitSource, PushTarget, PushResult } from './contract.ts';
export { defineImageKind } from './kind.ts';
export type { ImageKind, ParamsCodec, DefineContext, InputsContext, PlanContext, GitSourceRef } from './kind.ts';
export { ImageService, imageTag } from './image-service.ts';
export type { ResolvedImage, ResolveOptions } from './image-service.ts';
export type { ImageEvent } from './events.ts';
export { DEFAULT_REGISTRY, publishRegistry } from './publish.ts';
export type { PublishOptions } from './publish.ts';
export { formatImageEvent } from './events.ts';
export { hashCanonical, hashImage, buildIdentity } from './hash.ts';
export { hashFile, hashTree, readDockerignore } from './tree-hash.ts';
export { contextIgnore } from './context-ignore.ts';
export { parseDockerignore } from './dockerignore.ts';
export type { IgnoreRules } from './dockerignore.ts';
export { requirePath } from './host-paths.ts';
export { PROBE_SCRIPT, parseProbe, flavorOf, ImageProber } from './probe.ts';
export { renderRequirements, CA_SECRET_ID } from './requirements-dockerfile.ts';
export type { RequirementsInput } from './requirements-dockerfile.ts';
export { planRequirements, hasRequirements } from './requirements-plan.ts';
export { requirementsInputs, requirementsSecretNames, gitSourceOf } from './requirements-inputs.ts';
export type { RequirementsSpec } from './requirements-inputs.ts';
export { DISTRO_COMMANDS, distroCommands } from './distro-commands.ts';
export { resolveCaBundle } from './ca-bundle.ts';
export { cacheDir } from './cache-dir.ts';
export { t, rule } from './params-codecs.ts';
