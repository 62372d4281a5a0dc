/**
 * Reads `dockerRunArgs` the way the docker CLI reads its flags (`--flag value`, `--flag=value`, `-f value`,
 * `-fVALUE`, `-f=VALUE`, switches bundled as in `-it`), against the table in run-arg-flags.ts. Every
 * spelling becomes its flag's long name first, so an alias is refused exactly like the flag it stands
 * for (`--net=host` like `--network`). Pure: the caller decides which error a problem becomes.
 */
import { RUN_ARG_FLAGS, type RunArgFlag } from './run-arg-flags.ts';

/** One accepted flag, as the runtime maps it. */
export interface RunArg {
  /** The flag's long name (`--publish`), whatever spelling was used. */
  readonly flag: string;
  /** Its value; "true" for a switch that is on (a switch set to false is left out). */
  readonly value: string;
  /** The argument as written, for messages. */
  readonly arg: string;
}

const BY_SPELLING = new Map<string, RunArgFlag>(
  RUN_ARG_FLAGS.flatMap((f) => [f.name, ...(f.aliases ?? [])].map((s) => [s, f] as const)),
);

/** The table entry for a spelling (`-p`, `--net`, `--publish`), if it is a docker run flag. */
export const runArgFlag = (spelling: string): RunArgFlag | undefined => BY_SPELLING.get(spelling);

/** Long names of the accepted flags, for messages and docs. */
export const ACCEPTED_RUN_ARGS: readonly string[] = RUN_ARG_FLAGS.filter((f) => !f.refused).map((f) => f.name);

const FORMS: Record<Exclude<RunArgFlag['value'], 'none' | 'text'>, { pattern: RegExp; expected: string }> = {
  int: { pattern: /^-?\d+$/, expected: 'a whole number' },
  size: { pattern: /^\d+(\.\d+)?[bkmgBKMG]?[bB]?$/, expected: 'a size like 64m or 1g' },
  duration: { pattern: /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/, expected: 'a duration like 30s, 1m30s or 500ms' },
};

/** Checks a value against its flag's form; returns what is wrong, or undefined. */
const valueProblem = (flag: RunArgFlag, value: string): string | undefined => {
  if (flag.value === 'none') return /^(true|false)$/.test(value) ? undefined : `takes no value (use ${flag.name} or ${flag.name}=false)`;
  const form = flag.value === 'text' ? undefined : FORMS[flag.value];
  if (form && !form.pattern.test(value)) return `expects ${form.expected}`;
  if (flag.syntax && !flag.syntax.pattern.test(value)) return `expects ${flag.syntax.expected}`;
  return undefined;
};

/**
 * Parses `args`, calling `fail` (which must throw) with the first problem: an argument that is not a
 * docker run flag, a refused flag (saying why and what to use instead), a missing or malformed value.
 * `fail` also gets the long name of the flag at fault when the argument is one (`--network` for `--net=host`).
 */
export function parseRunArgs(args: readonly string[], fail: (message: string, flag?: string) => never): RunArg[] {
  const out: RunArg[] = [];
  const accept = (flag: RunArgFlag, value: string | undefined, arg: string, next: () => string | undefined): void => {
    if (flag.refused) fail(`"${arg}" is not allowed (${flag.refused})`, flag.name);
    if (flag.value !== 'none' && value === undefined) {
      value = next();
      if (value === undefined) fail(`"${arg}" needs a value`, flag.name);
    }
    const v = value ?? 'true';
    const problem = valueProblem(flag, v);
    if (problem) fail(`"${arg}"${value !== undefined && !arg.includes(v) ? ` ${v}` : ''} ${problem}`, flag.name);
    if (v !== 'false') out.push({ flag: flag.name, value: v, arg });
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = () => (i + 1 < args.length ? args[++i] : undefined);
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const spelling = eq < 0 ? arg : arg.slice(0, eq);
      const flag = BY_SPELLING.get(spelling) ?? fail(`"${arg}" is not a docker run flag`);
      accept(flag, eq < 0 ? undefined : arg.slice(eq + 1), arg, next);
    } else if (/^-[^-]/.test(arg)) {
      // Short spellings: switches may be bundled (-it); a flag taking a value takes the rest (-eA=1, -e=A=1).
      for (let at = 1; at < arg.length; at++) {
        const flag = BY_SPELLING.get(`-${arg[at]}`) ?? fail(`"${arg}" is not a docker run flag${at > 1 ? ` (no -${arg[at]})` : ''}`);
        const rest = arg.slice(at + 1);
        if (flag.value === 'none') {
          accept(flag, rest.startsWith('=') ? rest.slice(1) : undefined, arg, next);
          if (rest.startsWith('=')) break;
          continue;
        }
        accept(flag, rest === '' ? undefined : rest.replace(/^=/, ''), arg, next);
        break;
      }
    } else {
      fail(`"${arg}" is not a flag: dockerRunArgs holds docker run flags only (the image and the command come from the node)`);
    }
  }
  return out;
}
