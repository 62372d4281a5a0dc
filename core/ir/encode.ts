/**
 * encodePipeline: a PipelineIR → plain JSON data in canonical key order. For an IR that compile()
 * produced, decodePipeline → encodePipeline gives back an equal document.
 */
import { PipelineIR } from './codecs.ts';
import { sortKeysDeep } from './canonical-json.ts';

/** Plain JSON data for an IR (keys sorted at every depth), ready for `JSON.stringify` or a file. */
export function encodePipeline(ir: PipelineIR): PipelineIR {
  return sortKeysDeep(PipelineIR.encode(ir));
}
