/**
 * `caisson/plugin-kit`: what provider and tool authors need and pipeline authors don't. The IR's inner
 * codecs and path helpers, the labels and reuse key the engine uses, the image toolkit the built-in
 * kinds are made of (hashing, ignore files, probing, generated installs, credentials), the secret
 * scrubber and the run-record store. Less stable than the root entry: it follows the internals.
 */
export * from './index.ts';

export { nameForRef, containerPathOf, CODE_DIR, DEFAULT_BASE_REF } from './dsl/index.ts';

export {
  NodeCodec, ImageSpecCodec, RefImageCodec, BaseReqsImageCodec, GitImageCodec, DockerfileImageCodec, CustomImageCodec,
  IMAGE_KIND_CODECS, NODE_KINDS, childPath, splitPath, shellQuote, shellJoin, containerFor,
} from './ir/index.ts';
export type { RequirementFields } from './ir/index.ts';

export { RUN_LABEL, GROUP_LABEL, reuseKey, generateRunId } from './engine/index.ts';

export { RUN_ARG_FLAGS, parseRunArgs, runArgFlag, ACCEPTED_RUN_ARGS } from './runtime/index.ts';
export type { RunArgFlag, RunArgValue, RunArg } from './runtime/index.ts';

export {
  imageTag, formatImageEvent, hashCanonical, hashImage, buildIdentity, hashTree, readDockerignore, dockerfileIgnore,
  parseDockerignore, PROBE_SCRIPT, parseProbe, flavorOf, ImageProber, renderRequirements, CA_SECRET_ID,
  planRequirements, hasRequirements, DISTRO_COMMANDS, distroCommands, resolveCaBundle, redactSecrets,
  splitCredentials, stripUserinfo, cacheDir, contextIgnore, imageSecretNames,
} from './image/index.ts';
export type { IgnoreRules, RequirementsInput, RequirementsSpec } from './image/index.ts';

export { SecretScrubber, scrubText, MASK, parseSecrets, readSecretsFile, secretsFilePath, secretNames } from './secrets/index.ts';

export {
  IN_PROGRESS_STATES, replayLog, parseLog, applyStateEvent, AppendFile, outputDirOf, outputFileOf, parseOutput, readOutput,
  attemptsWithOutput, OutputWriter, RunRecord, writeJsonAtomic, META_FILE, IR_FILE, LOG_FILE, RunStore, runsDirOf,
  isProcessAlive, runnerStateOf, RunRecorder, restoreRun, recordControl,
} from './store/index.ts';
export type { LogEntry, RunnerEntry, ControlEntry, RunMeta, RecordedImage, ReplayedRun, OutputChunk, RunnerState } from './store/index.ts';
