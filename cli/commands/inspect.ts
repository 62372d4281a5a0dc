/** `caisson pretty FILE` and `caisson compile FILE`: look at a pipeline without running it. */
import { canonicalJson, pretty } from '../../core/index.ts';
import { loadPipeline } from '../load-pipeline.ts';

/** Prints the tree as Conducto's pretty() does. */
export async function prettyCommand(file: string, opts: { export?: string; typecheck?: boolean }): Promise<number> {
  const { ir } = await loadPipeline(file, opts.export, { typecheck: opts.typecheck });
  process.stdout.write(`${pretty(ir, { color: Boolean(process.stdout.isTTY) })}\n`);
  return 0;
}

/** Prints the IR as canonical JSON. */
export async function compileCommand(file: string, opts: { export?: string; typecheck?: boolean }): Promise<number> {
  const { ir } = await loadPipeline(file, opts.export, { typecheck: opts.typecheck });
  process.stdout.write(`${canonicalJson(ir)}\n`);
  return 0;
}
