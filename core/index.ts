/**
 * `caisson`: the public API, listed by name so that every change to it is deliberate
 * (test/unit/api-surface.test.ts lists it). What pipeline authors, library users and test writers use:
 * the DSL, the IR, the engine, `createCaisson`, the provider contracts, secret sources and the errors.
 * Helpers that only provider and tool authors need are in `caisson/plugin-kit`.
 */
// The DSL: immutable fluent builders that compile to the IR.
export { pipeline, serial, parallel, exec, compile, DEFAULTS, image, isImage, DEFAULT_IMAGE, relpath, GroupBuilder, ExecBuilder, unindent, secret, isSecret } from './dsl/index.ts';
export type { Image, ImageOptions, Subtree, BuildFn, GroupOptions, NodeOptions, ExecOptions, SerialOptions, ParallelOptions, PipelineOptions, NodeSettings, GroupKind, SecretRef, RetryOptions, RetryBackoff, RetryRule, FailureClass, CacheOptions } from './dsl/index.ts';

// The IR: codec, decode/encode, walks, pretty.
export { API_VERSION, PipelineIR, decodePipeline, encodePipeline, pretty, walk, execNodes, findNode, canonicalJson, parseDuration, formatDuration } from './ir/index.ts';
export type { Node, ExecNode, SerialNode, ParallelNode, ContainerNode, ImageSpec, RefImage, BaseReqsImage, GitImage, DockerfileImage, CustomImage, Command, Env, Reuse, ImageSpecKind, NodeKind, PrettyOptions } from './ir/index.ts';

// The engine: runs, their events and statuses.
export { Engine, Run, systemClock, FINISHED_STATES, MAX_TIME_EXCEEDED, CANCELLED, KILLED_BY_USER, RAISE_MEM_HINT } from './engine/index.ts';
export type { RunEvent, StateEvent, OutputEvent, ContainerEvent, RetryEvent, RetryMark, CacheEvent, CacheDecision, CachedMark, RunCacheOptions, RunStartedEvent, RunFinishedEvent, GraftEvent, NodeState, Clock, EngineOptions, CreateRunOptions, NodeStatus, RunImage, RunResult } from './engine/index.ts';

// Wiring: plugins in, an engine and an image service out.
export { createCaisson, PLUGIN_SLOTS } from './di/index.ts';
export type { Caisson, CaissonOptions, Plugin } from './di/index.ts';

// The provider contracts: runtimes and images.
export type { RuntimeProvider, ContainerLease, ContainerSpec, CommandSpec, CommandResult, Mount, RunContext } from './runtime/index.ts';
export { ImageService } from './image/index.ts';
export { defineImageKind } from './image/index.ts';
export type { ImageKind, ParamsCodec, DefineContext, InputsContext, PlanContext, GitSourceRef, ImageBuilder, BuildOptions, BuildPlan, BuildProgress, ProbeResult, DistroFlavor, GitCheckoutResult, GitSource, InspectedImage, ResolvedImage, ResolveOptions, ImageEvent } from './image/index.ts';

// Secrets: where secret("NAME") values come from.
export { pipelineSecrets, staticSecrets } from './secrets/index.ts';
export type { SecretSource } from './secrets/index.ts';

// Errors: one catalogue, every user mistake a CaissonError with a stable code and data fields.
export {
  CaissonError, UsageError, DslError, IrDecodeError, NodeNotFoundError, RunOperationError, ImageConflictError, ImageNotFoundError,
  ImageUnresolvedError, ImageSpecError, ImageBuildError, RecordedImageMissingError, RuntimeUnavailableError, RuntimeOptionError,
  LeaseError, PluginError, SecretError, RunRecordError, RunNotFoundError, isUserError, ERROR_CODES,
} from './errors.ts';
export type { ErrorCode, ErrorOptions, IrProblem } from './errors.ts';

// Lazy subtrees: lazyCommand()'s options, what a TypeScript generator writes, and the env var naming the file.
export { compileSubtree } from './dsl/index.ts';
export type { LazyOptions, LazyLimits, SubtreeDocument } from './dsl/index.ts';
export { GRAFT_FILE_ENV, DEFAULT_GRAFT_LIMITS } from './engine/index.ts';

// The result cache: the local store the CLI uses, and the interface a custom store implements.
export { LocalResultCache, type ResultCache, type StoredResult } from './cache/index.ts';

// Native functions: exec(name, fn, ...args) calls an exported function in the container.
export type { NativeBundler, BundleRequest, Bundle, NativeReply } from './native/index.ts';
export { encodeTagged, decodeTagged, registerModule } from './native/index.ts';
export type { NativeFunction } from './dsl/native-call.ts';
export type { CompileOptions } from './dsl/compile.ts';
export type { NativeCall } from './ir/codecs.ts';
export { callText, execText, returnedText } from './ir/call-text.ts';

// Services: long-running containers of a group (databases, servers), reached by name on the run's network.
export type { ServiceContainerSpec, ServiceLease, ServiceProbeResult } from './runtime/index.ts';
export type { ServiceOptions, ServiceWait } from './dsl/service.ts';
export type { ServiceSpec, Wait as ServiceWaitSpec } from './ir/service-codecs.ts';
export type { ServicePhase } from './engine/index.ts';

// Hooks (notifications): .on(event, hook, { inherited }) with a webhook, a host command, a container command or a registered host function.
export { defineHook, webhook, hostCommand, containerHook } from './dsl/hooks.ts';
export type { Hook, OnOptions } from './dsl/hooks.ts';
export type { HookFunction, HookPayload } from './engine/hook-registry.ts';
export type { HookFiredEvent } from './engine/index.ts';
export type { HookSpec, HookEvent, HookAction } from './ir/hook-codecs.ts';

// Declared artifacts (outputs/inputs): what a run stores, and the input hashes a cache key can include.
export { MemoryArtifactStore, inputHashes } from './artifacts/index.ts';
export type { ArtifactRecord, ArtifactStore } from './artifacts/index.ts';
export type { InputSpec } from './options/artifact-options.ts';

// The per-run data store (caisson-data in containers): the host-side API.
export { MemoryDataStore, FolderDataStore } from './data/index.ts';
// The same store from a native function: pipelineData.get/put/list/exists/delete (as caisson-data).
export { pipelineData } from './data/index.ts';
export type { DataStore } from './data/index.ts';

// Publishing images to a registry (resolveAll's `publish` option, ImageBuilder.push), for runtimes whose nodes pull by digest.
export { DEFAULT_REGISTRY, publishRegistry } from './image/index.ts';
export type { PublishOptions, PushTarget, PushResult } from './image/index.ts';
export type { RuntimeSession, RuntimeCapabilities, BackendSettings, DockerSettings, RuntimeDebug, DebugContainer, DebugContainerSpec, DebugTerminal } from './runtime/index.ts';
export type { ContainerFile } from './runtime/index.ts';
