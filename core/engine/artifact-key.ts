/**
 * Declared artifacts in the result cache's key: a consumer's key holds the hash of every artifact its
 * `inputs` take, so a changed build output makes its tests run again even when nothing else changed,
 * and an unchanged one lets them hit. Each artifact is its own key component, named after its producer
 * and output, so `caisson why` says which one changed ("artifact /ci/build dist changed").
 */
import { inputHashes, type ArtifactStore } from '../artifacts/artifact-store.ts';
import type { ExecNode } from '../ir/index.ts';

/** The key components for `ir`'s inputs, from the artifacts stored so far; undefined when it takes none. */
export function artifactKeyParts(ir: ExecNode, store: ArtifactStore): Record<string, string> | undefined {
  const inputs = ir.inputs;
  if (!inputs?.length) return undefined;
  const parts: Record<string, string> = {};
  for (const a of inputHashes(inputs, store.list())) parts[`artifact ${a.node} ${a.output}`] = a.sha256;
  return parts;
}

/** A cache's extraKeyParts with the artifact components added to whatever the caller's gives. */
export const withArtifactKeyParts = (
  callers: ((node: { path: string; ir: ExecNode }) => Readonly<Record<string, unknown>> | undefined) | undefined,
  store: ArtifactStore,
) => (node: { path: string; ir: ExecNode }): Readonly<Record<string, unknown>> | undefined => {
  const own = artifactKeyParts(node.ir, store);
  const given = callers?.(node);
  return own || given ? { ...given, ...own } : undefined;
};
