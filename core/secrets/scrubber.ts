/**
 * Replaces secret values in a stream of text chunks with `***`, even when a value arrives split across
 * chunks. Only the shortest tail that could still be the start of a secret is held back; flush() at
 * the end of the stream releases it (a tail that never completed a secret is not one).
 */

/** What scrubbed text shows instead of a secret. */
export const MASK = '***';

/**
 * Masks secret values in one output stream as it arrives, so a secret never reaches events, logs or the
 * terminal even when a chunk boundary splits it. Use one per stream; `scrubText` for whole strings.
 */
export class SecretScrubber {
  private readonly secrets: string[];
  private readonly firstChars: Set<string>;
  private held = '';

  /** @param values secret values to hide; empty ones are ignored (they would match everywhere). */
  constructor(values: Iterable<string>) {
    // Longest first, so when two secrets start at one place the longer one is hidden whole.
    this.secrets = [...new Set([...values].filter((v) => v.length > 0))].sort((a, b) => b.length - a.length);
    this.firstChars = new Set(this.secrets.map((s) => s[0]!));
  }

  /** True when there is nothing to hide (push() then returns its input unchanged). */
  get empty(): boolean { return this.secrets.length === 0; }

  /** Takes the next chunk; returns what can be shown now, secrets masked. */
  push(chunk: string): string {
    if (this.secrets.length === 0) return chunk;
    const text = this.held + chunk;
    this.held = '';
    return this.scan(text, false);
  }

  /** Ends the stream: returns the held-back tail, masked where it holds a (shorter) secret whole. */
  flush(): string {
    const rest = this.held;
    this.held = '';
    return rest && this.scan(rest, true);
  }

  /**
   * Copies `text`, masking secrets. Unless `final`, stops at the first place where more text could
   * still complete a secret (preferring the longest) and holds the rest back.
   */
  private scan(text: string, final: boolean): string {
    let out = '';
    let from = 0; // start of the clean run not yet copied to `out`
    for (let i = 0; i < text.length; i++) {
      if (!this.firstChars.has(text[i]!)) continue;
      const rest = text.length - i;
      let matched: string | undefined;
      let couldStart = false;
      for (const s of this.secrets) {
        if (s.length <= rest) {
          if (text.startsWith(s, i)) { matched = s; break; }
        } else if (!final && !couldStart && s.startsWith(text.slice(i))) {
          couldStart = true; // a longer secret may still come: decide when more text arrives
        }
      }
      if (couldStart) {
        this.held = text.slice(i);
        return out + text.slice(from, i);
      }
      if (matched !== undefined) {
        out += text.slice(from, i) + MASK;
        i += matched.length - 1;
        from = i + 1;
      }
    }
    return out + text.slice(from);
  }
}

/** Masks every secret in a complete string (reasons, messages). */
export function scrubText(text: string, values: Iterable<string>): string {
  const s = new SecretScrubber(values);
  return s.push(text) + s.flush();
}
