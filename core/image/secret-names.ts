/** Which secrets a pipeline's images need while they build, so a runner knows whether to look for values. */
import type { PipelineIR } from '../ir/codecs.ts';

/** Secret names the IR's images refer to (build secrets), sorted, each once. */
export function imageSecretNames(ir: PipelineIR): string[] {
  const names = new Set<string>();
  for (const spec of Object.values(ir.images)) {
    if (spec.kind === 'dockerfile') for (const name of Object.values(spec.buildSecrets ?? {})) names.add(name);
  }
  return [...names].sort();
}
