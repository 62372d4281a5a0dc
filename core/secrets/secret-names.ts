/** Which secrets a pipeline refers to, so a runner knows whether it must look for values at all. */
import type { Node, PipelineIR } from '../ir/index.ts';

/** Secret names the IR's nodes refer to, sorted, each once. */
export function secretNames(ir: PipelineIR): string[] {
  const names = new Set<string>();
  const visit = (n: Node): void => {
    for (const name of Object.values(n.secrets ?? {})) names.add(name);
    if (n.kind !== 'exec') n.children.forEach(visit);
  };
  visit(ir.root);
  return [...names].sort();
}
