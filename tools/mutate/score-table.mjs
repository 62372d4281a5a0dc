// Prints the mutation score per folder of core/ from Stryker's JSON reports
// (reports/mutation/<folder>/mutation.json), as Stryker counts it: (killed + timeout) /
// (killed + timeout + survived + no coverage). Compile errors (the TypeScript checker rejected the
// mutant) and ignored mutants are not in the score. Usage: node score-table.mjs [folder...]
import { existsSync, readFileSync, readdirSync } from 'node:fs';

const TARGET = 80;
const dir = 'reports/mutation';
const asked = process.argv.slice(2);
const folders = asked.length > 0 ? asked : readdirSync(dir).filter((f) => existsSync(`${dir}/${f}/mutation.json`));

const rows = [];
for (const folder of folders) {
  const file = `${dir}/${folder}/mutation.json`;
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const n = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, CompileError: 0, RuntimeError: 0, Ignored: 0 };
  for (const { mutants } of Object.values(report.files)) for (const m of mutants) n[m.status] = (n[m.status] ?? 0) + 1;
  const detected = n.Killed + n.Timeout;
  const valid = detected + n.Survived + n.NoCoverage;
  rows.push({ folder: `core/${folder}`, score: valid ? (100 * detected) / valid : 100, ...n, valid });
}

const header = ['folder', 'score', 'killed', 'timeout', 'survived', 'no cov', 'compile err', 'ignored'];
const table = [header, ...rows.map((r) => [r.folder, `${r.score.toFixed(1)}%`, r.Killed, r.Timeout, r.Survived, r.NoCoverage, r.CompileError, r.Ignored].map(String))];
const widths = header.map((_, i) => Math.max(...table.map((row) => row[i].length)));
for (const row of table) console.log(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
const low = rows.filter((r) => r.score < TARGET).map((r) => r.folder);
console.log(low.length ? `below ${TARGET}%: ${low.join(', ')}` : `all folders at or above ${TARGET}%`);
