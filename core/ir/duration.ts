/**
 * Duration strings as Conducto accepts them: one or more `<decimal><unit>` pairs, e.g. "90s",
 * "1h30m", "1.5d". Units: ns us µs ms s m h d w mm(month = 30 days) y(365 days).
 */
const UNIT_SECONDS: Record<string, number> = {
  ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600, d: 86400, w: 604800, mm: 2592000, y: 31536000,
};

const PAIR = /(\d+(?:\.\d+)?|\.\d+)(ns|us|µs|ms|mm|s|m|h|d|w|y)/y;

/** Parses a duration string to seconds; a bare number string counts as seconds. undefined if malformed. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  let total = 0;
  PAIR.lastIndex = 0;
  while (PAIR.lastIndex < s.length) {
    const start = PAIR.lastIndex;
    const m = PAIR.exec(s);
    if (!m || m.index !== start) return undefined;
    total += Number(m[1]) * UNIT_SECONDS[m[2]!]!;
  }
  return total;
}

/** Renders seconds compactly ("1h30m", "90s" → "1m30s", "0.5s"). */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${+seconds.toFixed(3)}s`;
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (rest >= size) { parts.push(`${Math.floor(rest / size)}${unit}`); rest %= size; }
  }
  return parts.join('');
}
