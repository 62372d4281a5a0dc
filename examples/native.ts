// examples/native.ts: Exec nodes that call functions of this file, in the container (native functions).
import { image, pipeline } from 'caisson';

/** Counts words; its return value is kept in the run record and shown by `caisson show`. */
export function countWords(text: string, opts: { minLength: number; since: Date }): { words: number; long: string[]; checkedAt: string } {
  const words = text.split(/\s+/).filter(Boolean);
  console.log(`counting ${words.length} words (since ${opts.since.toISOString().slice(0, 10)})`);
  return { words: words.length, long: words.filter((w) => w.length >= opts.minLength), checkedAt: new Date().toISOString() };
}

/** Fails when the limit is exceeded: the node ends in error with this message and this file's line. */
export async function checkBudget(spent: Map<string, number>, limit: bigint): Promise<string> {
  const total = [...spent.values()].reduce((a, b) => a + b, 0);
  if (BigInt(total) > limit) throw new Error(`over budget: ${total} > ${limit}`);
  return `within budget: ${total} <= ${limit}`;
}

// Any image with node 18 or newer; Debian's nodejs package is 18.x on bookworm.
const node = image({ image: 'debian:bookworm-slim', installPackages: ['nodejs'], name: 'node' });

export default pipeline('native', { image: node })
  .exec('count', countWords, 'the quick brown fox jumps over the lazy dog', { minLength: 5, since: new Date('2026-01-01T00:00:00Z') })
  .exec('budget', checkBudget, new Map([['build', 40], ['test', 25]]), 100n)
  .exec('shell-too', 'echo "native and shell nodes mix freely"');
