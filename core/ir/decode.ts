/**
 * decodePipeline: unknown JSON → a validated PipelineIR, or ONE IrDecodeError listing every problem
 * with its node path and field. `Either` stays inside this module.
 */
import { API_VERSION, ImageSpec, NodeName, type PipelineIR, type Node } from './codecs.ts';
import { decodeNode } from './decode-node.ts';
import { checkTreeRules } from './tree-rules.ts';
import { checkInputOrder } from '../artifacts/input-order.ts';
import { renderValue, toProblems } from './validation-errors.ts';
import { IrDecodeError, type IrProblem } from '../errors.ts';

const DOCUMENT_FIELDS = new Set(['apiVersion', 'name', 'images', 'root']);

const isObject = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

function decodeImages(raw: unknown, problems: IrProblem[]): Record<string, ImageSpec> {
  const images: Record<string, ImageSpec> = {};
  if (!isObject(raw)) {
    problems.push({ path: '', field: 'images', message: `expected an object of image specs keyed by name, got ${renderValue(raw)}` });
    return images;
  }
  for (const [key, value] of Object.entries(raw)) {
    const result = ImageSpec.validate(value, [{ key: '', type: ImageSpec, actual: value }]);
    if (result._tag === 'Left') {
      problems.push(...toProblems(result.left, '', `images.${key}`));
      continue;
    }
    if (result.right.name !== key) {
      problems.push({ path: '', field: `images.${key}.name`, message: `expected the table key ${JSON.stringify(key)}, got ${renderValue(result.right.name)}` });
    }
    images[key] = result.right;
  }
  return images;
}

/**
 * Validates an IR document (e.g. parsed from a file or produced by `compile`) and returns it typed.
 * Accepts `maxTime` as seconds or a duration string ("90s"); the result always holds seconds.
 * @throws IrDecodeError listing every problem, one per line: `<node path>: <field>: <message>`.
 */
export function decodePipeline(input: unknown): PipelineIR {
  const problems: IrProblem[] = [];
  if (!isObject(input)) throw new IrDecodeError([{ path: '', field: '', message: `expected a pipeline object, got ${renderValue(input)}` }]);

  if (input.apiVersion !== API_VERSION) {
    problems.push({ path: '', field: 'apiVersion', message: `expected ${JSON.stringify(API_VERSION)}, got ${renderValue(input.apiVersion)}` });
  }
  const name = NodeName.validate(input.name, [{ key: 'name', type: NodeName, actual: input.name }]);
  if (name._tag === 'Left') problems.push(...toProblems(name.left, '', 'name'));
  for (const key of Object.keys(input)) if (!DOCUMENT_FIELDS.has(key)) problems.push({ path: '', field: key, message: 'unknown field' });

  const images = decodeImages(input.images, problems);
  const rawRoot = input.root;
  const rootName = isObject(rawRoot) && NodeName.is(rawRoot.name) ? rawRoot.name : '(root)';
  const rootPath = `/${rootName}`;
  const root: Node | undefined = decodeNode(rawRoot, rootPath, problems);
  if (root) {
    checkTreeRules(root, rootPath, isObject(input.images) ? new Set(Object.keys(input.images)) : undefined, problems);
    checkInputOrder(root, rootPath, problems);
    if (name._tag === 'Right' && typeof root.name === 'string' && root.name !== name.right) {
      problems.push({ path: '', field: 'name', message: `expected the root node's name ${JSON.stringify(root.name)}, got ${renderValue(name.right)}` });
    }
  }
  if (problems.length > 0 || !root || name._tag === 'Left') throw new IrDecodeError(problems);
  return { apiVersion: API_VERSION, name: name.right, images, root };
}
