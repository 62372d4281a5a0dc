/**
 * A run record's artifacts (docs/container-paths.md): `artifacts/sha256/<hash>.tar`,
 * each normalised archive stored once by its hash, and `artifacts.jsonl`, one line per artifact a node
 * produced (the latest line of a node and output wins). Kept in the record folder, so `show`, `artifact`
 * and a `resume` in another process all read the same artifacts.
 */
import { appendFileSync, chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { latestArtifacts, sha256Of, type ArtifactRecord, type ArtifactStore } from '../artifacts/artifact-store.ts';
import { RunRecordError } from '../errors.ts';
import { mkdirPrivate, PRIVATE_FILE } from './private-fs.ts';

/** The record file listing a run's artifacts. */
export const ARTIFACTS_FILE = 'artifacts.jsonl';
/** The record folder holding the archives by hash. */
export const ARTIFACT_BLOBS = join('artifacts', 'sha256');

/** A record folder's artifacts; see the module comment. */
export class FolderArtifactStore implements ArtifactStore {
  /** @param dir the run record's folder */
  constructor(readonly dir: string) {}

  /** The archive file of a hash. */
  blobFile(sha256: string): string { return join(this.dir, ARTIFACT_BLOBS, `${sha256}.tar`); }

  /** See ArtifactStore.save: the archive first (through a rename), then its line. */
  save(artifact: Omit<ArtifactRecord, 'sha256'>, tar: Buffer): ArtifactRecord {
    const sha256 = sha256Of(tar);
    const file = this.blobFile(sha256);
    if (!existsSync(file)) {
      mkdirPrivate(join(this.dir, ARTIFACT_BLOBS));
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, tar, { mode: PRIVATE_FILE });
      chmodSync(tmp, PRIVATE_FILE);
      renameSync(tmp, file);
    }
    const record: ArtifactRecord = { ...artifact, sha256 };
    appendFileSync(join(this.dir, ARTIFACTS_FILE), `${JSON.stringify(record)}\n`, { mode: PRIVATE_FILE });
    return record;
  }

  /** See ArtifactStore.list; a line cut short by a killed writer is skipped. */
  list(): ArtifactRecord[] {
    const file = join(this.dir, ARTIFACTS_FILE);
    if (!existsSync(file)) return [];
    const records: ArtifactRecord[] = [];
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try { records.push(JSON.parse(line) as ArtifactRecord); } catch { /* a partial last line */ }
    }
    return latestArtifacts(records);
  }

  /** See ArtifactStore.read. */
  read(sha256: string): Buffer {
    const file = this.blobFile(sha256);
    try {
      return readFileSync(file);
    } catch (e) {
      throw new RunRecordError(`artifact ${sha256.slice(0, 12)} is missing from the run record (${file}); the record is incomplete`, { file, cause: e });
    }
  }
}
