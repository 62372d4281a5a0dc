/**
 * Every reply of the UI server goes through its run's mask: the values of the secrets the run's IR
 * refers to (read once from the source the `caisson` command gives), in each form output shows them in
 * and as JSON escapes them, become `***`. Run records are masked already when written; this is the
 * belt to those braces, and what keeps a debug shell's output clean.
 */
import { SecretPatterns, SecretScrubber, maskForms, scrubText, secretNames, type RunRecord } from '../../core/plugin-kit.ts';
import type { UiHooks } from './hooks.ts';

/** The patterns of one run's secrets (empty without a source or secrets). */
export function patternsOf(record: RunRecord, hooks: UiHooks): SecretPatterns {
  const source = hooks.secretsOf?.(record);
  const values: string[] = [];
  if (source) {
    for (const name of secretNames(record.loadIr())) {
      try { const v = source.get(name); if (v !== undefined && v.trim().length > 0) values.push(v); } catch { /* unreadable: nothing to mask */ }
    }
  }
  // As JSON writes them too: a value with a quote or a backslash is escaped in a reply.
  return new SecretPatterns(values.flatMap((v) => [...maskForms(v), JSON.stringify(v).slice(1, -1)]));
}

/** Masks whole texts of a run (replies, events), with the patterns cached per record folder. */
export class Masks {
  private readonly cache = new Map<string, SecretPatterns>();

  /** @param hooks where secret values come from */
  constructor(private readonly hooks: UiHooks) {}

  /** `text` with the run's secret values masked. */
  mask(record: RunRecord, text: string): string {
    const p = this.patterns(record);
    return p.empty ? text : scrubText(text, p);
  }

  /** A streaming masker for one output stream of a run (a debug shell). */
  scrubber(record: RunRecord): SecretScrubber { return new SecretScrubber(this.patterns(record)); }

  private patterns(record: RunRecord): SecretPatterns {
    let p = this.cache.get(record.dir);
    if (!p) this.cache.set(record.dir, (p = patternsOf(record, this.hooks)));
    return p;
  }
}
