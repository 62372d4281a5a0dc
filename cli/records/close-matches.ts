/** "Did you mean": the candidates nearest to what the user typed, for one-line error messages. */

/** Edit distance between two strings (insertions, deletions, substitutions). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** Up to `max` candidates closest to `input`, nearest first; ones that share its last name come first. */
export function closeMatches(input: string, candidates: readonly string[], max = 3): string[] {
  const last = input.split('/').filter(Boolean).pop() ?? input;
  return candidates
    .map((c) => ({ c, d: distance(input, c) - (c.endsWith(`/${last}`) ? 100 : 0) }))
    .sort((x, y) => x.d - y.d)
    .slice(0, max)
    .map((x) => x.c);
}
