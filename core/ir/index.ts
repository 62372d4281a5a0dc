export {
  API_VERSION, PipelineIR, Node as NodeCodec, ImageSpec as ImageSpecCodec, RefImage as RefImageCodec,
  IMAGE_KIND_CODECS, NODE_KINDS,
} from './codecs.ts';
export type { Node, ExecNode, SerialNode, ParallelNode, ContainerNode, ImageSpec, RefImage, Command, Env, Reuse, ImageKind, NodeKind } from './codecs.ts';
export { parseDuration, formatDuration } from './duration.ts';
export { walk, execNodes, findNode, childPath, splitPath } from './walk.ts';
export { decodePipeline } from './decode.ts';
export { encodePipeline } from './encode.ts';
export { canonicalJson } from './canonical-json.ts';
export { pretty } from './pretty.ts';
export type { PrettyOptions } from './pretty.ts';
export { shellQuote, shellJoin } from './shell-quote.ts';
export { containerFor } from './tree-rules.ts';
