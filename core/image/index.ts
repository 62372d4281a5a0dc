/**
 * Images after the IR: the provider and builder contracts, content hashing, probing, the generated
 * Dockerfile of the built-in kinds, and the service that resolves a pipeline's images.
 */
export type { BuildOptions, BuildPlan, BuildProgress, ImageBuilder, ImageProvider, InspectedImage, PlanContext, ProbeResult, DistroFlavor, GitCheckoutResult, GitSource } from './contract.ts';
export { ImageService, imageTag } from './image-service.ts';
export type { ResolvedImage, ResolveOptions } from './image-service.ts';
export type { ImageEvent } from './events.ts';
export { formatImageEvent } from './events.ts';
export { hashCanonical, hashImage, buildIdentity } from './hash.ts';
export { hashTree, readDockerignore } from './tree-hash.ts';
export { dockerfileIgnore } from './inputs.ts';
export { contextIgnore } from './context-ignore.ts';
export { parseDockerignore } from './dockerignore.ts';
export type { IgnoreRules } from './dockerignore.ts';
export { PROBE_SCRIPT, parseProbe, flavorOf, ImageProber } from './probe.ts';
export { renderRequirements, CA_SECRET_ID } from './requirements-dockerfile.ts';
export type { RequirementsInput } from './requirements-dockerfile.ts';
export { planRequirements, hasRequirements } from './requirements-plan.ts';
export type { RequirementsSpec } from './requirements-plan.ts';
export { DISTRO_COMMANDS, distroCommands } from './distro-commands.ts';
export { resolveCaBundle } from './ca-bundle.ts';
export { redactSecrets, splitCredentials, stripUserinfo } from './credentials.ts';
export { cacheDir } from './cache-dir.ts';
export { imageSecretNames } from './secret-names.ts';
