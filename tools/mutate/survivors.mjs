// Lists the mutants that were not detected (survived or no coverage) in reports/mutation/<folder>/,
// one a line: file:line:column, mutator, and the replacement, so they can be killed by a test or written
// down in test/mutation/SURVIVORS.md. Usage: node tools/mutate/survivors.mjs FOLDER [file-substring]
import { readFileSync } from 'node:fs';

const [folder, only = ''] = process.argv.slice(2);
if (!folder) throw new Error('usage: node tools/mutate/survivors.mjs FOLDER [file-substring]');
const report = JSON.parse(readFileSync(`reports/mutation/${folder}/mutation.json`, 'utf8'));
for (const [file, { source, mutants }] of Object.entries(report.files)) {
  if (!file.includes(only)) continue;
  const lines = source.split('\n');
  for (const m of mutants.filter((x) => x.status === 'Survived' || x.status === 'NoCoverage')) {
    const { line, column } = m.location.start;
    const original = lines[line - 1].trim();
    const replacement = String(m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 80);
    console.log(`${file}:${line}:${column} ${m.status === 'NoCoverage' ? '[no coverage] ' : ''}${m.mutatorName}: ${replacement}\n    ${original.slice(0, 140)}`);
  }
}
