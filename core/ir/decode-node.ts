/**
 * Decodes one node and, recursively, its children, collecting problems with exact node paths.
 * Uses the shallow per-kind codecs so a node is checked only against the kind it claims to be.
 */
import { NODE_KINDS, NodeFieldCodecs, NodeName, type Node, type NodeKind } from './codecs.ts';
import { renderValue, toProblems } from './validation-errors.ts';
import type { IrProblem } from '../errors.ts';
import { onlyOnMessage } from '../options/kinds.ts';

const fieldsOf = (kind: NodeKind): ReadonlySet<string> => {
  const { required, optional } = NodeFieldCodecs[kind];
  return new Set([...Object.keys(required.props), ...Object.keys(optional.props)]);
};
const ALLOWED = { serial: fieldsOf('serial'), parallel: fieldsOf('parallel'), exec: fieldsOf('exec') };

/** Why `field` is refused on a `kind` node: only on some other kinds (the DSL's message too), or unknown. */
function refusal(field: string, kind: NodeKind): string {
  const kinds = NODE_KINDS.filter((k) => ALLOWED[k].has(field));
  return kinds.length > 0 ? onlyOnMessage(kinds, kind) : 'unknown field';
}

const isObject = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);
const isKind = (u: unknown): u is NodeKind => NODE_KINDS.some((kind) => kind === u);

/** The path to show for a child: its name when usable, else its index. */
export const childPathFor = (parentPath: string, raw: unknown, index: number): string =>
  isObject(raw) && NodeName.is(raw.name) ? `${parentPath}/${raw.name}` : `${parentPath}/children[${index}]`;

/** Decodes `raw` found at `path`; pushes problems and returns the node (undefined if unusable). */
export function decodeNode(raw: unknown, path: string, problems: IrProblem[]): Node | undefined {
  if (!isObject(raw)) {
    problems.push({ path, field: '', message: `expected a node object, got ${renderValue(raw)}` });
    return undefined;
  }
  const kind = raw.kind;
  if (!isKind(kind)) {
    problems.push({ path, field: 'kind', message: `expected "serial", "parallel" or "exec", got ${renderValue(kind)}` });
    return undefined;
  }
  const codecs = NodeFieldCodecs[kind];
  const allowed = ALLOWED[kind];
  const required = codecs.required.validate(raw, [{ key: '', type: codecs.required, actual: raw }]);
  if (required._tag === 'Left') problems.push(...toProblems(required.left, path));
  const optional = codecs.optional.validate(raw, [{ key: '', type: codecs.optional, actual: raw }]);
  if (optional._tag === 'Left') problems.push(...toProblems(optional.left, path));
  for (const key of Object.keys(raw)) {
    if (!allowed.has(key)) problems.push({ path, field: key, message: refusal(key, kind) });
  }

  // Pick known fields only: io-ts returns the input object itself when nothing changed.
  const node: Record<string, unknown> = {};
  const fromRequired = required._tag === 'Right' ? (required.right as Record<string, unknown>) : raw;
  const fromOptional = optional._tag === 'Right' ? (optional.right as Record<string, unknown>) : raw;
  for (const key of Object.keys(codecs.required.props)) node[key] = fromRequired[key];
  for (const key of Object.keys(codecs.optional.props)) if (fromOptional[key] !== undefined) node[key] = fromOptional[key];

  if (kind !== 'exec' && Array.isArray(raw.children)) {
    const children: Node[] = [];
    raw.children.forEach((child, i) => {
      const decoded = decodeNode(child, childPathFor(path, child, i), problems);
      if (decoded) children.push(decoded);
    });
    node.children = children;
  }
  return node as unknown as Node;
}
