/**
 * THE table of node options (docs/conducto-semantics.md#node-options). Each entry is the one place an
 * option is defined: the kinds that take it, how the DSL reads a user's value, how it inherits (its
 * #inheritance section), its default, its IR field and codec, and its README row. From this table come the
 * DSL validation (applyOptions), the compiler's inheritance loop, the IR node codecs and types, the
 * decoder's "only on some kinds" messages and the README's options table. The user-facing types
 * (NodeOptions…, core/dsl/options.ts) are declared by hand for their editor docs and checked against this
 * table at compile time.
 *
 * Adding an option (say `retries`, Exec only, not inherited, default 0):
 *   1. its rule, if no existing one fits, in rules.ts:
 *        export const Retries = rule('Retries', 'expected a whole number of retries >= 0', isWholeNumber);
 *   2. its entry here:
 *        retries: option<number>()({
 *          kinds: ['exec'], read: checkedBy(Retries), ...perNode(0), ir: always(Retries),
 *          readme: { meaning: 'run a failing command again, up to this many times' },
 *        }),
 *   3. its field with its doc in ExecOptions (tsc refuses the build until the declared types match);
 *   4. `UPDATE_README=1 npx mocha test/unit/readme.test.ts`, and, for an `always` IR field,
 *      `UPDATE_GOLDEN=1 npm run test:unit` (every node of its kinds now carries it).
 * The DSL then validates it, compile writes it (typed: ExecNode has `retries: number`), the decoder checks
 * it with the same message and refuses it on a Serial. test/unit/options/option-table.test.ts derives
 * everything from a table with such an option.
 *
 * The order of the entries is the order of the README table and of "known options" in messages.
 */
import type { Image } from '../dsl/image.ts';
import type { SecretRef } from '../dsl/secret.ts';
import { containerFor } from '../ir/tree-rules.ts';
import { renderValue } from '../ir/validation-errors.ts';
import { readDockerRunArgs } from './docker-run-args.ts';
import { mergeEnv, plainEnv, readEnv, type EnvSetting } from './env-option.ts';
import { readImage, resolveImage } from './image-option.ts';
import { readRetry, Retry, type RetryOptions, type RetryPolicy } from './retry-option.ts';
import { Cache, readCache, type CacheOptions, type CachePolicy } from './cache-option.ts';
import { Inputs, Outputs, readInputs, readOutputs, type InputIr, type InputSpec } from './artifact-options.ts';
import { EVERY_KIND } from './kinds.ts';
import { always, alwaysCopied, checkedBy, nearest, option, perNode, perNodeIfSet, whenSet } from './option.ts';
import { Bool, Cpus, Env, Gpus, MemoryGb, PositiveInt, Reuse, Seconds, StringList, Text, rule, type Checked } from './rules.ts';

const RegisteredName = rule('ImageName', 'expected the name of a registered image', (u): u is string => typeof u === 'string' && u !== '');

/** Tags: one string or a list, stored as a frozen list. */
function readTags(value: unknown): Checked<readonly string[]> {
  if (typeof value === 'string') return { ok: true, value: Object.freeze([value]) };
  if (Array.isArray(value) && value.every((tag) => typeof tag === 'string')) return { ok: true, value: Object.freeze([...value]) };
  return { ok: false, field: '', message: `expected a string or a list of strings, got ${renderValue(value)}` };
}

const NO_ENV: EnvSetting = Object.freeze({});

/** The node options, keyed by name; see the module comment. */
export const NODE_OPTIONS = {
  env: option<Record<string, string | SecretRef>>()({
    kinds: EVERY_KIND,
    read: readEnv,
    combine: mergeEnv,
    inherit: 'per-key',
    top: NO_ENV,
    resolve: (own: EnvSetting | undefined, parent: EnvSetting) => (own ? { ...parent, ...own } : parent),
    ir: { codec: Env, presence: 'always', value: (_own: unknown, effective: EnvSetting) => plainEnv(effective) },
    readme: { inherited: 'per key, nearer wins', default: '`{}`', meaning: 'environment variables: strings, or `secret("NAME")` (read at run time, never stored)' },
  }),
  image: option<string | Image>()({
    kinds: EVERY_KIND,
    read: readImage,
    replaces: ['imageName'],
    inherit: 'special',
    top: '',
    resolve: resolveImage,
    ir: always(Text),
    readme: { inherited: 'yes', default: '`debian:bookworm-slim`', meaning: 'an image reference string or an `image({...})` value' },
  }),
  imageName: option<string>()({
    kinds: EVERY_KIND,
    read: checkedBy(RegisteredName),
    replaces: ['image'],
    inherit: 'special',
    top: undefined,
    resolve: () => undefined,
    ir: undefined,
    readme: { inherited: 'yes', meaning: 'an image registered in this pipeline, by name' },
  }),
  cpu: option<number>()({
    kinds: EVERY_KIND, read: checkedBy(Cpus), ...nearest(1), ir: always(Cpus),
    readme: { inherited: 'yes', meaning: 'CPUs each Exec reserves (fractions allowed)' },
  }),
  mem: option<number>()({
    kinds: EVERY_KIND, read: checkedBy(MemoryGb), ...nearest(2), ir: always(MemoryGb),
    readme: { meaning: 'GB of memory each Exec reserves' },
  }),
  gpu: option<number>()({
    kinds: EVERY_KIND, read: checkedBy(Gpus), ...nearest(0), ir: always(Gpus),
    readme: { meaning: 'GPUs (whole number)' },
  }),
  requiresDocker: option<boolean>()({
    kinds: EVERY_KIND, read: checkedBy(Bool), ...nearest(false), ir: always(Bool),
    readme: { meaning: "mount the host's Docker socket into the container" },
  }),
  dockerRunArgs: option<string | string[]>()({
    kinds: EVERY_KIND, read: readDockerRunArgs, ...nearest<readonly string[]>([]), ir: alwaysCopied(StringList),
    readme: { meaning: 'extra `docker run` flags (string, shell-split, or list), checked when the pipeline compiles; see [dockerRunArgs](#dockerrunargs)' },
  }),
  maxTime: option<number | string>()({
    kinds: EVERY_KIND, read: checkedBy(Seconds), ...nearest(4 * 3600), ir: always(Seconds),
    readme: { default: '4h', meaning: 'seconds or a duration (`"90s"`, `"1h30m"`); the node is killed when it runs longer' },
  }),
  retry: option<number | RetryOptions>()({
    kinds: EVERY_KIND, read: readRetry, ...nearest<RetryPolicy | undefined>(undefined), ir: whenSet(Retry),
    readme: {
      default: 'infra failures: 3 attempts',
      meaning: 'try a failing Exec again: a number of attempts or `{ attempts, backoff, budget, rules }`; see [Retries](#retries)',
    },
  }),
  cache: option<boolean | CacheOptions>()({
    kinds: EVERY_KIND, read: readCache, ...nearest<CachePolicy | false | undefined>(undefined),
    ir: { codec: Cache, presence: 'when set', value: (_own: unknown, effective: CachePolicy | false | undefined) => effective || undefined },
    readme: {
      default: 'false',
      meaning: 'reuse an Exec\'s earlier successful result when its key is unchanged: `true` or `{ inputs, env, ttl }`; `false` turns it off below; see [Result cache](#result-cache)',
    },
  }),
  reuse: option<Reuse>()({
    kinds: EVERY_KIND,
    read: checkedBy(Reuse),
    inherit: 'special',
    // The effective value is the container group: "global", or the path of the node whose "new" owns it.
    top: 'global',
    resolve: (own: Reuse | undefined, parent: string, scope) => containerFor({ reuse: own }, scope.at, parent),
    ir: { codec: Reuse, presence: 'when set', value: (own: Reuse | undefined) => own },
    readme: { default: 'inherit', meaning: 'container reuse: `"new"` or `"global"` (see below)' },
  }),
  skip: option<boolean>()({
    kinds: EVERY_KIND, read: checkedBy(Bool), ...perNode(false), ir: always(Bool),
    readme: { inherited: 'no (the subtree is skipped)', meaning: 'pass over the node and everything under it' },
  }),
  suppressErrors: option<boolean>()({
    kinds: EVERY_KIND, read: checkedBy(Bool), ...perNode(false), ir: always(Bool),
    readme: { meaning: 'end `done` where the node would end in `error`' },
  }),
  stopOnError: option<boolean>()({
    kinds: ['serial'], read: checkedBy(Bool), ...perNode(true), ir: always(Bool),
    readme: { meaning: 'stop at the first failing child, leaving the rest pending; false runs them all, then fails' },
  }),
  maxConcurrent: option<number>()({
    kinds: ['serial', 'parallel'], read: checkedBy(PositiveInt), ...perNodeIfSet<number>(), ir: whenSet(PositiveInt),
    readme: { default: 'unlimited', meaning: 'at most this many descendant Execs at once' },
  }),
  doc: option<string>()({
    kinds: EVERY_KIND, read: checkedBy(Text), ...perNodeIfSet<string>(), ir: whenSet(Text),
    readme: { meaning: 'Markdown describing the node' },
  }),
  tags: option<string | string[]>()({
    kinds: EVERY_KIND, read: readTags, ...perNode<readonly string[]>([]), ir: alwaysCopied(StringList),
    readme: { meaning: 'tags (one string or a list)' },
  }),
  title: option<string>()({
    kinds: EVERY_KIND, read: checkedBy(Text), ...perNodeIfSet<string>(), ir: whenSet(Text),
    readme: { meaning: 'a title (shown for the root in run listings)' },
  }),
  outputs: option<string | string[]>()({
    kinds: ['exec'], read: readOutputs, ...perNodeIfSet<string[]>(), ir: whenSet(Outputs),
    readme: { meaning: 'files the Exec produces: paths or globs relative to its working dir, kept in the run record when it ends done; see [Artifacts](#artifacts)' },
  }),
  inputs: option<string | InputSpec | (string | InputSpec)[]>()({
    kinds: ['exec'], read: readInputs, ...perNodeIfSet<InputIr[]>(), ir: whenSet(Inputs),
    readme: { meaning: 'outputs of earlier nodes copied in before the command: `{ from: "/ci/build", output?, to? }` or the path; see [Artifacts](#artifacts)' },
  }),
};
