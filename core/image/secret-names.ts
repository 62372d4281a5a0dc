/** Which secrets a pipeline's images need while they build, so a runner knows whether to look for values. */
import type { PipelineIR } from '../ir/codecs.ts';

/** Secret names the IR's images refer to (build secrets, secret package indexes), sorted, each once. */
export function imageSecretNames(ir: PipelineIR): string[] {
  const names = new Set<string>();
  for (const spec of Object.values(ir.images)) {
    if (spec.kind === 'dockerfile') for (const name of Object.values(spec.buildSecrets ?? {})) names.add(name);
    if (spec.kind === 'ref' || spec.kind === 'custom') continue;
    for (const url of [spec.pipIndexUrl, ...(spec.pipExtraIndexUrls ?? [])]) if (typeof url === 'object') names.add(url.secret);
  }
  return [...names].sort();
}
