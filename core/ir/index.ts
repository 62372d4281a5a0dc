export { API_VERSION } from './codecs.ts';
export type { PipelineIR, Node, ExecNode, SerialNode, ParallelNode, ContainerNode, ImageSpec, RefImage, Command, Env, Reuse } from './codecs.ts';
export { parseDuration, formatDuration } from './duration.ts';
export { walk, execNodes, findNode, childPath, splitPath } from './walk.ts';
