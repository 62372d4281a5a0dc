/**
 * The secret values of one run, read from its SecretSource once, when the run starts, for every secret
 * any of its nodes refers to.
 *
 * Why all of them, and why up front: a value does not stay in the node it was given to. A command can
 * leave it in a file of a reused container, or another node's leftover process can read it from /proc,
 * and a later node without secrets prints it. So every node's output (and every error reason) is masked
 * with every value the run knows, and the values must be known before the first command prints a byte,
 * not when the node that uses them starts. Reading once also guarantees the value a command gets is
 * exactly the value that is masked, even from a source that could answer differently later.
 */
import type { ExecNode } from '../ir/index.ts';
import { SecretPatterns, SecretScrubber, scrubText } from './scrubber.ts';
import { MIN_SECRET_LENGTH, maskForms } from './secret-forms.ts';
import type { SecretSource } from './secret-source.ts';

/** What a source said about one secret name: its value, or why it cannot be used (ends "secret X is …"). */
type Lookup = { value: string } | { missing: string; hint?: string };

/** A value too short to mask is refused: masking it would give it away wherever its characters occur. */
const tooShort = (value: string): Lookup | undefined => {
  const n = value.trim().length;
  if (n >= MIN_SECRET_LENGTH) return undefined;
  return {
    missing: `${n} character${n === 1 ? '' : 's'} long: too short to mask without giving it away (a secret "o" would turn "Downloading" into "D***wnl***ading")`,
    hint: `use a value of at least ${MIN_SECRET_LENGTH} characters`,
  };
};

/** One run's secret values: the env each Exec gets, and the masks every output stream goes through. */
export class RunSecrets {
  private readonly lookups = new Map<string, Lookup>();
  // Compiled once for the run's every stream: each value and the other forms output shows it in.
  private readonly patterns: SecretPatterns;

  /**
   * Reads every name in `names` from `source` (none given = every secret is missing).
   * A source that throws for a name fails only the nodes using that name, with its message.
   */
  constructor(private readonly source: SecretSource | undefined, names: Iterable<string>) {
    for (const name of new Set(names)) {
      let lookup: Lookup;
      try {
        const value = source?.get(name);
        lookup = value === undefined ? { missing: 'not set' } : tooShort(value) ?? { value };
      } catch (e) {
        lookup = { missing: `cannot be read (${e instanceof Error ? e.message : String(e)})` };
      }
      this.lookups.set(name, lookup);
    }
    const values = [...this.lookups.values()].flatMap((l) => ('value' in l ? [l.value] : []));
    this.patterns = new SecretPatterns(values.flatMap(maskForms));
  }

  /** A run without secrets: nothing to inject, nothing to mask. */
  static readonly none = new RunSecrets(undefined, []);

  /**
   * The secret env of `ir` (env var → value), or why it cannot run: the first of its secrets that has no
   * value, named with its env var, the node and how to set it.
   */
  envFor(ir: ExecNode, path: string): Record<string, string> | string {
    const env: Record<string, string> = {};
    for (const [key, name] of Object.entries(ir.secrets ?? {})) {
      const lookup = this.lookups.get(name) ?? { missing: 'not set' };
      if ('missing' in lookup) {
        const how = lookup.hint ?? (this.source ? this.source.howToSet(name) : 'the run was given no secrets (createRun({ secrets }))');
        return `secret "${name}" (env ${key} of ${path}) is ${lookup.missing}: ${how}`;
      }
      env[key] = lookup.value;
    }
    return env;
  }

  /** A streaming scrubber for one output stream, masking every secret of the run. */
  scrubber(): SecretScrubber { return new SecretScrubber(this.patterns); }

  /** `text` with every secret of the run masked (error reasons, messages). */
  scrub(text: string): string { return this.patterns.empty ? text : scrubText(text, this.patterns); }
}
