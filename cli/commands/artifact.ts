/**
 * `caisson artifact <run> <node-path> [output] --out DIR`: writes a node's stored artifacts (one
 * output, or all of them) into a host folder, as they were in the node's working dir.
 */
import { extractEntries, FolderArtifactStore, formatBytes, readTar, UsageError } from '../../core/plugin-kit.ts';
import { type DirOption, findRecord } from '../records/open-run.ts';

/** Options of `caisson artifact`. */
export interface ArtifactCommandOptions extends DirOption {
  /** Host folder to write into (default: the current directory). */
  out?: string;
}

/** Extracts; 0 on success, a UsageError naming what exists when nothing matches. */
export function artifactCommand(ref: string, path: string, output: string | undefined, opts: ArtifactCommandOptions): number {
  const record = findRecord(opts, ref);
  const store = new FolderArtifactStore(record.dir);
  const all = store.list();
  const mine = all.filter((a) => a.node === path);
  const chosen = mine.filter((a) => output === undefined || a.output === output);
  if (!chosen.length) {
    const what = mine.length
      ? `${path} has no output ${JSON.stringify(output)}; its artifacts: ${mine.map((a) => JSON.stringify(a.output)).join(', ')}`
      : `run ${record.id} has no artifacts of ${path}${all.length ? `; nodes with artifacts: ${[...new Set(all.map((a) => a.node))].join(', ')}` : ' (no node of it stored any: declare outputs)'}`;
    throw new UsageError(what, { path });
  }
  const out = opts.out ?? '.';
  for (const a of chosen) {
    const files = extractEntries(readTar(store.read(a.sha256)), out);
    process.stdout.write(`${a.node} ${a.output}: ${files} file${files === 1 ? '' : 's'}, ${formatBytes(a.size)} → ${out} (sha256 ${a.sha256.slice(0, 12)})\n`);
  }
  return 0;
}
