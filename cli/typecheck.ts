/**
 * Type-checks a TypeScript pipeline file before it is loaded: tsx strips types without checking them,
 * so without this a type error would run anyway. Uses the TypeScript compiler the pipeline's project has,
 * else Caisson's own; reports only problems in the user's files (not in Caisson or node_modules), as one
 * UsageError with file:line:column. Without any TypeScript installed it checks nothing.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { UsageError } from './usage-error.ts';
import { passedBefore, rememberPass, type CheckKey } from './typecheck-cache.ts';

const CAISSON_ROOT = resolve(import.meta.dirname, '..');
// Running from the repository's TypeScript sources (not dist/): `caisson` must resolve to them too,
// as it does for the process itself, or a check would read stale (or no) declarations.
const FROM_SOURCES = import.meta.url.endsWith('.ts');

/** Path of a tsc entry script, from the pipeline's folder first, then Caisson's own dependencies. */
function findTsc(fromDir: string): string | undefined {
  for (const base of [join(fromDir, 'noop.js'), join(CAISSON_ROOT, 'package.json')]) {
    try {
      const pkg = createRequire(base).resolve('typescript/package.json');
      const bin = (createRequire(pkg)('./package.json') as { bin?: Record<string, string> }).bin?.tsc;
      if (bin) return join(dirname(pkg), bin);
    } catch { /* not installed there */ }
  }
  return undefined;
}

// Lenient on purpose (no --strict): the point is to catch what would be wrong at run time, not to
// impose a style the user's own tsconfig may not have.
const FLAGS = ['--noEmit', '--pretty', 'false', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022',
  '--allowImportingTsExtensions', '--skipLibCheck', '--types', 'node'];

/** The version in the package.json above a tsc entry script ("" when it cannot be read). */
function versionOf(tsc: string): string {
  try {
    return (JSON.parse(readFileSync(join(dirname(tsc), '..', 'package.json'), 'utf8')) as { version?: string }).version ?? '';
  } catch {
    return '';
  }
}

/** Throws a UsageError listing the type errors in `file` (and the user's files it imports). */
export function typecheckPipeline(file: string): void {
  if (!/\.(c|m)?ts$/.test(file)) return;
  const abs = resolve(file);
  const tsc = findTsc(dirname(abs));
  if (!tsc) return;
  const key: CheckKey = { file: abs, tsc, tscVersion: versionOf(tsc), flags: [...FLAGS, ...(FROM_SOURCES ? ['--customConditions', 'caisson-source'] : [])] };
  if (passedBefore(key)) return;
  const r = spawnSync(process.execPath, [tsc, '--ignoreConfig', ...key.flags, '--listFiles', abs], { cwd: dirname(abs), encoding: 'utf8' });
  if (r.error) return;
  if (r.status === 0) {
    rememberPass(key, r.stdout.split('\n').filter((line) => line.startsWith('/')));
    return;
  }
  // Without Node's types or Caisson's own module in reach, every use of them would look like the user's
  // mistake: check nothing rather than refuse a good file.
  if (/error TS2688:|error TS2307: Cannot find module 'caisson/.test(r.stdout)) return;
  const problems = withDetails(`${r.stdout}${r.stderr}`.split('\n'))
    .map((line) => line.match(/^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .filter((m) => {
      const where = resolve(dirname(abs), m[1]!);
      return !where.startsWith(`${CAISSON_ROOT}/core/`) && !where.startsWith(`${CAISSON_ROOT}/plugins/`) && !where.includes('/node_modules/');
    })
    .map((m) => ({ code: m[4]!, text: `${relative(process.cwd(), resolve(dirname(abs), m[1]!))}:${m[2]}:${m[3]}: ${m[5]} (${m[4]})` }));
  const first = problems[0];
  if (!first) return;
  // TS1xxx diagnostics are the parser's: a syntax error, which no flag can run past.
  const kind = first.code.startsWith('TS1') && first.code.length === 6 ? 'syntax error' : 'type error';
  const rest = problems.slice(1).map((p) => p.text);
  const more = rest.length ? ` (and ${rest.length} more: ${rest.slice(0, 3).join('; ')}${rest.length > 3 ? '; …' : ''})` : '';
  const hint = kind === 'type error' ? '; fix it, or pass --no-typecheck to run anyway' : '';
  throw new UsageError(`${file}: ${kind}: ${first.text}${more}${hint}`, { file });
}

/**
 * Error lines with their indented continuation joined on: a chained diagnostic ("No overload matches
 * this call." then "The last overload gave the following error." then the mismatch) says what is wrong
 * only in its last line, which is the one kept ("No overload matches this call: Object literal may only
 * specify known properties, and 'workdir' does not exist in type 'ExecOptions'.").
 */
function withDetails(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const last = out.length - 1;
    if (/^\s+\S/.test(line) && last >= 0 && / error TS\d+: /.test(out[last]!)) {
      const detail = line.trim();
      if (!/^The last overload gave the following error\.$|^Overload \d+ of \d+,/.test(detail)) out[last] = `${out[last]!.replace(/\.$/, '')}: ${detail}`;
      continue;
    }
    out.push(line);
  }
  return out;
}
