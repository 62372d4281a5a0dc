/**
 * Runs every benchmark in bench/ (each *.bench.ts in its own process, so peak-memory figures do not
 * mix) and prints their figures. `npm run bench` or `npm run bench -- engine` for the ones matching;
 * `--json [FILE]` also writes every figure as a JSON array (to FILE, or to stdout after the text).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = import.meta.dirname;
const args = process.argv.slice(2);
const jsonAt = args.indexOf('--json');
let jsonFile: string | undefined;
if (jsonAt >= 0) {
  const next = args[jsonAt + 1];
  jsonFile = next?.endsWith('.json') ? next : '-'; // `--json out.json`, or bare `--json` for stdout
  args.splice(jsonAt, jsonFile === '-' ? 1 : 2);
}
const filter = args[0];
const files = readdirFiltered();
const scratch = mkdtempSync(join(tmpdir(), 'caisson-bench-'));
const lines = join(scratch, 'figures.jsonl');
writeFileSync(lines, '');
let failed = 0;
for (const file of files) {
  process.stdout.write(`\n=== ${file}\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(dir, file)], {
    stdio: 'inherit', env: { ...process.env, ...(jsonFile && { CAISSON_BENCH_JSON: lines }) },
  });
  if (r.status !== 0) failed++;
}
if (jsonFile) {
  const figures = readFileSync(lines, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown);
  const text = `${JSON.stringify({ node: process.version, at: new Date().toISOString(), figures }, null, 2)}\n`;
  if (jsonFile === '-') process.stdout.write(`\n${text}`);
  else writeFileSync(jsonFile, text);
}
rmSync(scratch, { recursive: true, force: true });
process.exitCode = failed ? 1 : 0;

function readdirFiltered(): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.bench.ts') && (!filter || f.includes(filter))).sort();
}
