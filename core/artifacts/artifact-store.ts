/**
 * Where a run keeps its artifacts: content-addressed archives (normalised tar, named by sha256) and
 * one record per output a node produced. The engine writes through this interface; the run record's
 * folder store (core/store/artifact-folder.ts) keeps them on disk, MemoryArtifactStore in memory for
 * runs without a record (tests, runFake).
 */
import { createHash } from 'node:crypto';

/** One artifact: what a node's declared output held when the node ended done. */
export interface ArtifactRecord {
  /** The producing Exec's path. */
  node: string;
  /** The attempt that produced it. */
  attempt: number;
  /** The output as declared ("dist", "reports/*.xml"). */
  output: string;
  /** sha256 (hex) of the normalised archive: equal content, equal hash. */
  sha256: string;
  /** Bytes of file content in it. */
  size: number;
  /** Files (and symlinks) in it. */
  files: number;
  /** Wall-clock epoch ms it was stored. */
  at: number;
}

/** What an artifact store does; see the module comment. */
export interface ArtifactStore {
  /** Stores `tar` (a normalised archive) once by its hash and records the artifact; returns the record. */
  save(artifact: Omit<ArtifactRecord, 'sha256'>, tar: Buffer): ArtifactRecord;
  /** The latest artifact of every (node, output), in the order they were stored. */
  list(): ArtifactRecord[];
  /** The archive of a hash; throws when the store does not have it. */
  read(sha256: string): Buffer;
}

/** sha256 of a buffer, hex. */
export const sha256Of = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** The latest record per (node, output) from records in store order. */
export function latestArtifacts(records: readonly ArtifactRecord[]): ArtifactRecord[] {
  const latest = new Map<string, ArtifactRecord>();
  for (const r of records) {
    const key = `${r.node}\0${r.output}`;
    latest.delete(key); // re-inserted last: the list stays in store order
    latest.set(key, r);
  }
  return [...latest.values()];
}

/** An artifact store in memory: for runs without a record. */
export class MemoryArtifactStore implements ArtifactStore {
  private readonly blobs = new Map<string, Buffer>();
  private readonly records: ArtifactRecord[] = [];

  /** See ArtifactStore.save. */
  save(artifact: Omit<ArtifactRecord, 'sha256'>, tar: Buffer): ArtifactRecord {
    const sha256 = sha256Of(tar);
    if (!this.blobs.has(sha256)) this.blobs.set(sha256, tar);
    const record = { ...artifact, sha256 };
    this.records.push(record);
    return record;
  }

  /** See ArtifactStore.list. */
  list(): ArtifactRecord[] { return latestArtifacts(this.records); }

  /** See ArtifactStore.read. */
  read(sha256: string): Buffer {
    const blob = this.blobs.get(sha256);
    if (!blob) throw new Error(`no artifact ${sha256} in this run`);
    return blob;
  }
}

/**
 * The hashes of the artifacts a node's inputs take, in input order, from a store's records: the seam
 * for the result cache (a consumer's key includes its inputs' hashes). Missing artifacts are left out,
 * so compare the count with what the inputs expect if that matters.
 */
export function inputHashes(
  inputs: ReadonlyArray<{ from: string; output?: string }> | undefined,
  records: readonly ArtifactRecord[],
): Array<{ from: string; node: string; output: string; sha256: string }> {
  if (!inputs) return [];
  const latest = latestArtifacts(records);
  return inputs.flatMap((i) => latest
    .filter((r) => (r.node === i.from || r.node.startsWith(`${i.from}/`)) && (i.output === undefined || r.output === i.output))
    .map((r) => ({ from: i.from, node: r.node, output: r.output, sha256: r.sha256 })));
}
