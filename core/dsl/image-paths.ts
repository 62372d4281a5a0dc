/**
 * Host paths in commands (docs/conducto-semantics.md#host-paths). `relpath("./tests/run.sh")` marks a host
 * path; compile() rewrites each mark to where that path is inside the node's image, using the image's
 * pathMap (inferred from copyDir / copyRepo, or given). Under /mnt/caisson with dockerAutoWorkdir the
 * result is relative to it, since that is the working directory.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Command, ImageSpec } from '../ir/codecs.ts';
import { shellQuote } from '../ir/shell-quote.ts';
import { DslError } from '../errors.ts';
import { callerDir } from './image-caller.ts';
import { CODE_DIR } from './image-spec.ts';

const MARK = /__caisson_path:(.*?):endpath__/g;

/**
 * Marks a host path so that, in an Exec command, it becomes the path inside the container:
 * `exec('t', \`python ${relpath('./t.py')}\`)`. A relative path resolves from `dir` when given
 * (`import.meta.dirname`), else from the calling file's folder.
 */
export function relpath(path: string, dir?: string): string {
  if (typeof path !== 'string' || path === '') throw new DslError(`relpath(): expected a non-empty path, got ${JSON.stringify(path)}`, { path: 'relpath()' });
  if (dir !== undefined && (typeof dir !== 'string' || !isAbsolute(dir))) throw new DslError(`relpath(): dir: expected an absolute folder like import.meta.dirname, got ${JSON.stringify(dir)}`, { path: 'relpath()', option: 'dir' });
  return `__caisson_path:${resolve(dir ?? callerDir(), path)}:endpath__`;
}

/** Where host path `abs` is inside an image, or undefined when its pathMap does not cover it. */
export function containerPathOf(abs: string, spec: ImageSpec): string | undefined {
  let best: [string, string] | undefined;
  for (const [host, inside] of Object.entries(spec.pathMap ?? {})) {
    if ((abs === host || abs.startsWith(host.endsWith(sep) ? host : host + sep)) && (!best || host.length > best[0].length)) best = [host, inside];
  }
  if (!best) return undefined;
  const rest = relative(best[0], abs);
  const inside = rest ? `${best[1].replace(/\/$/, '')}/${rest.split(sep).join('/')}` : best[1];
  const autoWorkdir = 'dockerAutoWorkdir' in spec ? spec.dockerAutoWorkdir : false;
  if (autoWorkdir && (inside === CODE_DIR || inside.startsWith(`${CODE_DIR}/`))) return inside === CODE_DIR ? '.' : inside.slice(CODE_DIR.length + 1);
  return inside;
}

/** Rewrites relpath() marks in a command for the node at `at` running in `spec`. */
export function expandPathMarks(command: Command, spec: ImageSpec | undefined, at: string): Command {
  const one = (text: string, quote: boolean): string => text.replace(MARK, (_m, abs: string) => {
    if (!spec) throw new DslError(`${at}: command references local code (${abs}) but no image is specified`, { path: at, option: 'image' });
    const inside = containerPathOf(abs, spec);
    if (inside === undefined) {
      throw new DslError(`${at}: command references local code (${abs}) but image "${spec.name}" does not say where it is inside the container; give the image copyDir, copyRepo or a pathMap entry covering it`, { path: at, option: 'image' });
    }
    return quote ? shellQuote(inside) : inside;
  });
  if (typeof command === 'string') return command.includes('__caisson_path:') ? one(command, true) : command;
  return command.some((a) => a.includes('__caisson_path:')) ? command.map((a) => one(a, false)) : command;
}
