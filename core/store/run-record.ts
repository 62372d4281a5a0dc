/**
 * One run's record folder, `.caisson/runs/<run-id>/`: meta.json (where it came from), ir.json (the
 * run's own copy of the IR; edits change it, never the user's file), events.jsonl (the append-only
 * log) and logs/ (output per node and attempt).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PipelineIR } from '../ir/index.ts';
import { decodePipeline } from '../ir/index.ts';
import { RunRecordError } from '../errors.ts';
import { AppendFile } from './append-file.ts';
import { writePrivateAtomic } from './private-fs.ts';
import type { RunMeta } from './log-entries.ts';
import { attemptsWithOutput, outputFileOf, readOutput, type OutputChunk } from './output-files.ts';
import { LogFollower, OutputFollower } from './record-followers.ts';
import { RunProjection } from './run-projection.ts';
import { decodeMeta } from './record-codecs.ts';

/** Name of the record file describing where the run came from (RunMeta). */
export const META_FILE = 'meta.json';
/** Name of the record file holding the run's own copy of the IR. */
export const IR_FILE = 'ir.json';
/** Name of the record's append-only event log (JSON lines). */
export const LOG_FILE = 'events.jsonl';

/** Writes JSON through a temporary file and a rename, so a reader never sees half a document; mode 0600. */
export function writeJsonAtomic(file: string, value: unknown): void {
  writePrivateAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * One recorded run's folder: read its meta, IR, log and output, replace its IR copy, or open its log
 * for appending. Get one from RunStore (create, open, find).
 */
export class RunRecord {
  /**
   * @param dir the record folder
   * @param id the run id (the folder's name)
   */
  constructor(readonly dir: string, readonly id: string) {}

  /** The log file's path. */
  get logFile(): string { return join(this.dir, LOG_FILE); }

  /** Reads and decodes meta.json; RunRecordError for a newer record version or a bad field. */
  loadMeta(): RunMeta { return decodeMeta(this.loadJson<unknown>(META_FILE), join(this.dir, META_FILE)); }

  /** Reads and validates the run's copy of the IR. */
  loadIr(): PipelineIR {
    try {
      return decodePipeline(this.loadJson<unknown>(IR_FILE));
    } catch (e) {
      if (e instanceof RunRecordError) throw e;
      throw new RunRecordError(`run ${this.id}: ${join(this.dir, IR_FILE)} is not a valid pipeline IR: ${(e as Error).message}`, { runId: this.id, file: join(this.dir, IR_FILE), cause: e });
    }
  }

  /** Replaces the run's copy of the IR (atomically). */
  saveIr(ir: PipelineIR): void { writeJsonAtomic(join(this.dir, IR_FILE), ir); }

  /** The log's text ("" when missing). */
  loadLogText(): string { return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : ''; }

  /**
   * The run's state as its log tells it (read a window at a time); RunRecordError naming the line of an
   * entry that is not valid. Keep feeding it from `follow(projection's offset)` to stay current.
   */
  replay(): RunProjection & { offset: number } {
    const follower = this.follow();
    const projection = new RunProjection();
    for (let batch = follower.read(); batch.length; batch = follower.read()) for (const { entry } of batch) projection.apply(entry);
    projection.damagedLines = follower.damagedLines;
    projection.truncatedTail = follower.partial;
    return Object.assign(projection, { offset: follower.offset });
  }

  /** A reader of the entries appended to the log from byte `from` on (0: all of them). */
  follow(from = 0): LogFollower { return new LogFollower(this.logFile, from); }

  /** A reader of one attempt's output from byte `from` on. */
  followOutput(path: string, attempt: number, from = 0): OutputFollower { return new OutputFollower(outputFileOf(this.dir, path, attempt), from); }

  /** Opens the log for appending (cutting a partial last line left by a killed writer). */
  openLog(): AppendFile { return new AppendFile(this.logFile); }

  /** One attempt's output chunks. */
  loadOutput(path: string, attempt: number): OutputChunk[] { return readOutput(this.dir, path, attempt); }

  /** Attempts of `path` that wrote output. */
  outputAttempts(path: string): number[] { return attemptsWithOutput(this.dir, path); }

  private loadJson<T>(name: string): T {
    const file = join(this.dir, name);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new RunRecordError(`run ${this.id}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); the record is incomplete`, { runId: this.id, file, cause: e });
    }
    try {
      return JSON.parse(text) as T;
    } catch (e) {
      throw new RunRecordError(`run ${this.id}: ${file} is not valid JSON: ${(e as Error).message}`, { runId: this.id, file, cause: e });
    }
  }
}
