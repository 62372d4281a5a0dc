/**
 * Loads a user's pipeline file (TypeScript through tsx, or JavaScript; ES module or CommonJS; no build step) and
 * turns its chosen export into IR. Every way this can go wrong ends in one UsageError naming the file,
 * the export or the line.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compile, GroupBuilder, CaissonError, registerModule, walk, type PipelineIR, type Plugin } from '../core/index.ts';
import { pluginsOf } from './pipeline-plugins.ts';
import { importModule } from './import-module.ts';
import { typecheckPipeline } from './typecheck.ts';
import { ensureTypeScriptLoader, isTypeScriptFile } from './typescript-loader.ts';
import { UsageError } from './usage-error.ts';

/** Another pipeline a file exports: its export name, pipeline name, and whether it has a node at a path. */
export interface OtherPipeline {
  exportName: string;
  name: string;
  /** Every node path of it ([] when it does not compile). */
  paths(): string[];
}

/** A loaded pipeline: its IR and where it came from. */
export interface LoadedPipeline {
  file: string;
  exportName: string;
  ir: PipelineIR;
  /** The file's `plugins` export (custom image kinds and the like); [] when it has none. */
  plugins: Plugin[];
  /** The file's other exports that are pipelines (builders made by `pipeline()`), by export name: for hints. */
  otherPipelines: OtherPipeline[];
}

/**
 * Type-checks `file` (unless `typecheck` is false), imports it, picks `exportName` (default: the
 * default export), calls it if it is a function, compiles.
 */
export async function loadPipeline(file: string, exportName = 'default', opts: { typecheck?: boolean } = {}): Promise<LoadedPipeline> {
  const abs = resolve(file);
  if (!existsSync(abs)) throw new UsageError(`${file}: no such file`, { file });
  if (opts.typecheck !== false) typecheckPipeline(file);
  let mod: Record<string, unknown>;
  try {
    if (isTypeScriptFile(abs)) await ensureTypeScriptLoader();
    mod = await importModule(abs);
    // Native functions' export names are then found by identity in what the file exports.
    registerModule(pathToFileURL(abs).href, mod);
  } catch (e) {
    throw new UsageError(`${file}: could not load the pipeline file: ${describeLoadError(e, abs)}`, { file, cause: e });
  }
  if (!(exportName in mod)) {
    const names = Object.keys(mod).filter((k) => k !== '__esModule');
    throw new UsageError(
      `${file}: no export named "${exportName}"` +
        (names.length ? `; it exports: ${names.join(', ')} (choose one with --export NAME)` : '; export a pipeline builder: export default pipeline("name")…'),
      { file, option: '--export' },
    );
  }
  let value = mod[exportName];
  if (typeof value === 'function') {
    try {
      value = await (value as () => unknown)();
    } catch (e) {
      if (e instanceof CaissonError) throw new UsageError(`${file}: ${e.message}`, { file, cause: e });
      throw new UsageError(`${file}: export "${exportName}" threw while building the pipeline: ${describeLoadError(e, abs)}`, { file, cause: e });
    }
  }
  if (!(value instanceof GroupBuilder)) {
    throw new UsageError(
      `${file}: export "${exportName}" is not a pipeline (got ${describeValue(value)}); export a builder such as pipeline("ci")…, or a function returning one`,
      { file, option: '--export' },
    );
  }
  try {
    return { file: abs, exportName, ir: compile(value, { baseDir: dirname(abs) }), plugins: pluginsOf(mod, file), otherPipelines: otherPipelinesOf(mod, exportName, dirname(abs)) };
  } catch (e) {
    // A usage error (the plugins export) already names the file.
    if (e instanceof CaissonError && !(e instanceof UsageError)) throw new UsageError(`${file}: ${e.message}`, { file, cause: e });
    throw e;
  }
}

/** Exports other than `chosen` that are pipeline roots; functions are not called (they may do work). */
function otherPipelinesOf(mod: Record<string, unknown>, chosen: string, baseDir: string): OtherPipeline[] {
  const found: OtherPipeline[] = [];
  for (const [exportName, v] of Object.entries(mod)) {
    if (exportName === chosen || !(v instanceof GroupBuilder) || v.name === undefined || v === mod[chosen]) continue;
    const builder = v;
    const paths = () => {
      try {
        const all: string[] = [];
        walk(compile(builder, { baseDir }).root, (_n, p) => all.push(p));
        return all;
      } catch { return []; }
    };
    found.push({ exportName, name: builder.name!, paths });
  }
  return found;
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return `an object${v.constructor && v.constructor !== Object ? ` (${v.constructor.name})` : ''}`;
  return typeof v;
}

/** The error's first line, plus the file:line where it points into the user's file (syntax errors included). */
function describeLoadError(e: unknown, abs: string): string {
  if (e instanceof CaissonError) return e.message;
  const err = e as Error & { errors?: Array<{ text: string; location?: { file: string; line: number; column: number } }> };
  // esbuild (through tsx) reports syntax errors with a location.
  const first = err.errors?.[0];
  if (first?.location) return `${first.location.file}:${first.location.line}:${first.location.column}: ${first.text}`;
  // tsx reports syntax errors as "Transform failed with N error(s):\n<file>:<line>:<col>: ERROR: <text>".
  const lines = String(err?.message ?? e).split('\n');
  const located = lines.find((l) => /^\S+:\d+:\d+: ERROR: /.test(l));
  if (located) return located.replace(': ERROR: ', ': ');
  const message = withHint(lines[0] ?? '', abs);
  const at = String(err?.stack ?? '').split('\n').find((l) => l.includes(abs));
  const where = at?.match(/(\d+):(\d+)\)?\s*$/);
  return where ? `${abs}:${where[1]}:${where[2]}: ${message}` : message;
}

/** Node's own words for ES syntax in a CommonJS file, with what to do about it. */
function withHint(message: string, abs: string): string {
  if (!/Cannot use import statement outside a module|Unexpected token 'export'/.test(message)) return message;
  return `${message}: ${abs} uses import/export, but Node runs it as CommonJS; name it .mjs (or .mts), or set "type": "module" in its package.json`;
}
