/**
 * IR fixtures for engine and fake-runtime tests, built directly (no DSL): each builder fills the
 * compiler's defaults (cpu 1, mem 2, gpu 0, maxTime 14400, env {}, image "img") so a test states only
 * what it is about. `pipeline()` fills each Exec's `container` group from `reuse` the way the compiler
 * does (docs/conducto-semantics.md#container-reuse) unless the test set it.
 */
import { strict as assert } from 'node:assert';
import { decodePipeline, IrDecodeError, type ExecNode, type Node, type ParallelNode, type PipelineIR, type SerialNode } from '../../core/index.ts';

type Common = Omit<ExecNode, 'kind' | 'name' | 'command' | 'container'>;
type Opts<T> = Partial<Omit<T, 'kind' | 'name' | 'children'>>;

const defaults = (): Common => ({
  image: 'img', env: {}, cpu: 1, gpu: 0, mem: 2, requiresDocker: false, dockerRunArgs: [], maxTime: 14400,
  skip: false, suppressErrors: false, tags: [],
});

/** An Exec running `command` (default "true"). */
export const exec = (name: string, command: string | string[] = 'true', opts: Opts<ExecNode> = {}): ExecNode =>
  ({ kind: 'exec', name, ...defaults(), command, container: '', ...opts });

/** A Serial (stopOnError true unless set). */
export const serial = (name: string, children: Node[], opts: Opts<SerialNode> = {}): SerialNode =>
  ({ kind: 'serial', name, ...defaults(), stopOnError: true, children, ...opts });

/** A Parallel. */
export const parallel = (name: string, children: Node[], opts: Opts<ParallelNode> = {}): ParallelNode =>
  ({ kind: 'parallel', name, ...defaults(), children, ...opts });

/**
 * A pipeline around `root`. Images: "img" → "img:latest" plus every other image name used, mapped to
 * "<name>:latest", unless given.
 */
export function pipeline(root: Node, images: Record<string, string> = {}): PipelineIR {
  const table: PipelineIR['images'] = {};
  const visit = (n: Node, path: string, group: string) => {
    const here = n.reuse === 'new' ? path : n.reuse === 'global' ? 'global' : group;
    table[n.image] ??= { kind: 'ref', name: n.image, ref: images[n.image] ?? `${n.image}:latest` };
    if (n.kind === 'exec') { if (!n.container) n.container = here; return; }
    for (const c of n.children) visit(c, `${path}/${c.name}`, here);
  };
  visit(root, `/${root.name}`, 'global');
  return { apiVersion: 'caisson/v1', name: root.name, images: table, root };
}

/** n Execs named prefix0…prefix(n-1). */
export const execs = (n: number, prefix = 'e', opts: Opts<ExecNode> = {}): ExecNode[] =>
  Array.from({ length: n }, (_, i) => exec(`${prefix}${i}`, 'true', opts));

/** The "path: field: message" lines decodePipeline reports for `input`; fails the test when it accepts it. */
export function decodeProblems(input: unknown): string[] {
  try {
    decodePipeline(input);
  } catch (e) {
    assert.ok(e instanceof IrDecodeError, String(e));
    return e.problems.map((p) => `${p.path || '(pipeline)'}: ${p.field ? `${p.field}: ` : ''}${p.message}`);
  }
  assert.fail('decodePipeline accepted the document');
}
