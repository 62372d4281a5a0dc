/**
 * Per-node, per-attempt output files: `logs/<node path, one folder per name>/<attempt>.jsonl`, each
 * line `{"at":…,"stream":"stdout"|"stderr","data":"…"}` (or `"b64":"…"` for a chunk of control bytes,
 * see output-encoding.ts) so the two streams keep their order and stay distinguishable. Written chunk
 * by chunk (a killed runner loses no acknowledged output), up to a cap per attempt (attempt-log.ts).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { splitPath } from '../ir/index.ts';
import { AttemptLog, DEFAULT_LOG_CAP } from './attempt-log.ts';
import { decodeChunk } from './output-encoding.ts';
import { mkdirPrivate } from './private-fs.ts';

/** One chunk of a node's output. */
export interface OutputChunk {
  /** Engine-clock epoch ms it was written. */
  at: number;
  /** Which stream it came from. */
  stream: 'stdout' | 'stderr';
  /** The text, secrets already masked. */
  data: string;
  /** Set on Caisson's own notes in the file (the log cap was reached, how much was dropped), not output. */
  marker?: true;
}

/** Options of an OutputWriter. */
export interface OutputWriterOptions {
  /** Bytes of output recorded per attempt at most, its last part included (0 = no cap); default 50 MB. */
  cap?: number;
}

// Names are user text: encode each so that no name can climb out of logs/ or clash with a file.
const encodeName = (name: string): string => encodeURIComponent(name).replaceAll('.', '%2E').replaceAll('*', '%2A');

/** The folder holding a node's attempt files. */
export const outputDirOf = (recordDir: string, path: string): string =>
  join(recordDir, 'logs', ...splitPath(path).map(encodeName));

/** The file of one attempt's output. */
export const outputFileOf = (recordDir: string, path: string, attempt: number): string =>
  join(outputDirOf(recordDir, path), `${attempt}.jsonl`);

/**
 * Parses output file text; a partial last line (a write cut by a kill) is left out, and so is a line
 * that is not JSON (it carries nothing readable).
 * @param where the file and the number of its first line in `text`, named in errors
 * @throws RunRecordError for a JSON line that is not an output chunk
 */
export function parseOutput(text: string, where: { file: string; firstLine?: number } = { file: 'output' }): OutputChunk[] {
  const lines = text.split('\n');
  lines.pop();
  const out: OutputChunk[] = [];
  const first = where.firstLine ?? 1;
  lines.forEach((line, i) => {
    const chunk = line ? decodeChunk(line, `${where.file}:${first + i}`) : undefined;
    if (chunk) out.push(chunk);
  });
  return out;
}

/** Reads one attempt's output ([] when it wrote none). */
export function readOutput(recordDir: string, path: string, attempt: number): OutputChunk[] {
  const file = outputFileOf(recordDir, path, attempt);
  return existsSync(file) ? parseOutput(readFileSync(file, 'utf8'), { file }) : [];
}

/** Attempt numbers that have an output file, ascending. */
export function attemptsWithOutput(recordDir: string, path: string): number[] {
  const dir = outputDirOf(recordDir, path);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).map((f) => /^(\d+)\.jsonl$/.exec(f)?.[1]).filter((n): n is string => n !== undefined).map(Number).sort((a, b) => a - b);
}

/** Keeps one open file per running attempt; close(path) when that attempt ends. */
export class OutputWriter {
  private readonly open = new Map<string, AttemptLog>();
  private readonly cap: number;

  /** @param recordDir the run record's folder; files go under its logs/ */
  constructor(private readonly recordDir: string, options: OutputWriterOptions = {}) {
    this.cap = options.cap ?? DEFAULT_LOG_CAP;
  }

  /** Appends a chunk to `path`'s attempt file (or keeps it for the tail, past the cap). */
  write(path: string, attempt: number, chunk: OutputChunk): void {
    const key = `${path}\u0000${attempt}`;
    let file = this.open.get(key);
    if (!file) {
      mkdirPrivate(outputDirOf(this.recordDir, path));
      this.open.set(key, (file = new AttemptLog(outputFileOf(this.recordDir, path, attempt), this.cap)));
    }
    file.write(chunk);
  }

  /** Closes the files of `path` (its attempt ended). */
  close(path: string): void {
    for (const [key, file] of this.open) {
      if (key.startsWith(`${path}\u0000`)) { file.close(); this.open.delete(key); }
    }
  }

  /** Closes everything. */
  closeAll(): void {
    for (const file of this.open.values()) file.close();
    this.open.clear();
  }
}
