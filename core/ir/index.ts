export {
  API_VERSION, PipelineIR, Node as NodeCodec, ImageSpec as ImageSpecCodec, RefImage as RefImageCodec,
  IMAGE_KIND_CODECS, NODE_KINDS, BaseReqsImage as BaseReqsImageCodec, GitImage as GitImageCodec,
  DockerfileImage as DockerfileImageCodec, CustomImage as CustomImageCodec,
} from './codecs.ts';
export type { Graft, Node, ExecNode, SerialNode, ParallelNode, ContainerNode, ImageSpec, RefImage, BaseReqsImage, GitImage, DockerfileImage, CustomImage, RequirementFields, Command, Env, Reuse, ImageSpecKind, NodeKind } from './codecs.ts';
export { parseDuration, formatDuration } from './duration.ts';
export { walk, execNodes, findNode, childPath, splitPath } from './walk.ts';
export { decodePipeline } from './decode.ts';
export { encodePipeline } from './encode.ts';
export { canonicalJson } from './canonical-json.ts';
export { pretty } from './pretty.ts';
export type { PrettyOptions } from './pretty.ts';
export { shellQuote, shellJoin } from './shell-quote.ts';
export { containerFor } from './tree-rules.ts';
export { optionOrigins, DEFAULT_IMAGE_NAME } from './option-origins.ts';
export type { OptionOrigin } from './option-origins.ts';
export { serviceNodes } from './service-walk.ts';
export { ServiceSpec as ServiceSpecCodec, Wait as WaitCodec } from './service-codecs.ts';
export { describeWait } from './describe-wait.ts';
export { serviceSummary } from './pretty.ts';
