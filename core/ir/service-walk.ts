/**
 * The services of a pipeline with their paths: a group's service `web` is `<group path>/web`, shown and
 * addressed like a node (show, logs), though it is not one of the group's children.
 */
import type { ContainerNode, Node } from './codecs.ts';
import type { ServiceSpec } from './service-codecs.ts';
import { walk } from './walk.ts';

/** Every service in tree order, with its path and the group that declares it. */
export function serviceNodes(root: Node): Array<{ service: ServiceSpec; path: string; group: ContainerNode }> {
  const out: Array<{ service: ServiceSpec; path: string; group: ContainerNode }> = [];
  walk(root, (n, path) => {
    if (n.kind !== 'exec') for (const service of n.services ?? []) out.push({ service, path: `${path}/${service.name}`, group: n });
  });
  return out;
}
