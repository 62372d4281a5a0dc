/**
 * io-ts codecs for the files of a run record: meta.json, the lines of events.jsonl and of each
 * attempt's output file. What is read is decoded, not cast, so a record another (newer) Caisson wrote,
 * or one edited by hand, is one RunRecordError naming the file, the line and the field instead of a
 * status silently computed from a wrong shape.
 *
 * Each codec is checked against the interface it decodes (log-entries.ts, output-files.ts), so the two
 * cannot drift apart unnoticed.
 */
import * as t from 'io-ts';
import type { CacheEvent, ContainerEvent, GraftEvent, HookFiredEvent, RetryEvent, RunFinishedEvent, RunStartedEvent, StateEvent } from '../engine/index.ts';
import { RunRecordError } from '../errors.ts';
import { describeExpected, renderValue } from '../ir/validation-errors.ts';
import type { ControlEntry, LogEntry, RunMeta, RunnerEntry } from './log-entries.ts';

/** The record format this Caisson writes and reads (meta.json's `version`). */
export const RECORD_VERSION = 1;

const NodeState = t.keyof({ pending: null, queued: null, running: null, done: null, error: null, killed: null });
const Stream = t.keyof({ stdout: null, stderr: null });
const Failure = t.keyof({ oom: null, timeout: null, infra: null, killed: null, exit: null });
const RetryMark = t.type({ attempt: t.number, of: t.number, since: t.number });

const StateEntry: t.Decoder<unknown, StateEvent> = t.intersection([
  t.type({ type: t.literal('state'), at: t.number, path: t.string, state: NodeState, previous: NodeState, skipped: t.boolean, attempt: t.number }),
  t.partial({ reason: t.string, exitCode: t.number, failure: Failure, retry: RetryMark, cacheKey: t.string, cached: t.type({ runId: t.string, at: t.number }), bypassCache: t.literal(true), result: t.string, service: t.keyof({ starting: null, ready: null, stopped: null, failed: null }) }),
]);
const CacheEntry: t.Decoder<unknown, CacheEvent> = t.intersection([
  t.type({ type: t.literal('cache'), at: t.number, path: t.string, attempt: t.number, key: t.string, decision: t.keyof({ hit: null, miss: null, expired: null, bypass: null }) }),
  t.partial({ reason: t.string, from: t.string, storedAt: t.number, previousKey: t.string }),
]);
const RetryEntry: t.Decoder<unknown, RetryEvent> = t.intersection([
  t.type({ type: t.literal('retry'), at: t.number, path: t.string, failed: t.number, failure: Failure, reason: t.string, attempt: t.number, of: t.number, delayMs: t.number }),
  t.partial({ exitCode: t.number }),
]);
const ContainerEntry: t.Decoder<unknown, ContainerEvent> = t.type({
  type: t.literal('container'), at: t.number, path: t.string, attempt: t.number, containerId: t.string, group: t.string, reused: t.boolean,
});
const RunStartedEntry: t.Decoder<unknown, RunStartedEvent> = t.type({ type: t.literal('run-started'), at: t.number, runId: t.string, pipeline: t.string });
const RunFinishedEntry: t.Decoder<unknown, RunFinishedEvent> = t.type({ type: t.literal('run-finished'), at: t.number, runId: t.string, state: NodeState });
const Runner: t.Decoder<unknown, RunnerEntry> = t.type({ type: t.literal('runner'), at: t.number, pid: t.number, host: t.string, command: t.string });
const Control: t.Decoder<unknown, ControlEntry> = t.intersection([
  t.type({ type: t.literal('control'), at: t.number, op: t.string, paths: t.array(t.string), events: t.array(StateEntry as t.Type<StateEvent, unknown, unknown>) }),
  t.partial({ detail: t.record(t.string, t.unknown), request: t.string, requestedAt: t.number, error: t.string }),
]);

// The subtree itself was validated when it was grafted, and the run's ir.json holds it: kept as history here.
const GraftEntry = t.type({
  type: t.literal('graft'), at: t.number, path: t.string, generator: t.string, attempt: t.number,
  node: t.UnknownRecord, images: t.UnknownRecord, resolved: t.UnknownRecord,
}) as unknown as t.Decoder<unknown, GraftEvent>;

const HookEntry: t.Decoder<unknown, HookFiredEvent> = t.intersection([
  t.type({ type: t.literal('hook'), at: t.number, path: t.string, attempt: t.number, event: t.string, hook: t.string, from: t.string, key: t.string, ok: t.boolean }),
  t.partial({ error: t.string }),
]);

/** Log entry codecs by `type`. */
const ENTRIES: Record<LogEntry['type'], t.Decoder<unknown, LogEntry>> = {
  state: StateEntry, container: ContainerEntry, retry: RetryEntry, cache: CacheEntry, 'run-started': RunStartedEntry, 'run-finished': RunFinishedEntry, runner: Runner, control: Control,
  graft: GraftEntry, hook: HookEntry,
};

/** An image as a run recorded it: its ref, id, shell and workdir; a bare ref in records from before ids were kept. */
const RecordedImageCodec = t.union([
  t.string,
  t.intersection([t.type({ ref: t.string }), t.partial({ id: t.string, shell: t.string, workdir: t.string })]),
]);

const Meta: t.Decoder<unknown, RunMeta> = t.intersection([
  t.type({ version: t.literal(RECORD_VERSION), runId: t.string, pipeline: t.string, file: t.string, exportName: t.string, runtime: t.string, createdAt: t.number }),
  t.partial({ images: t.record(t.string, RecordedImageCodec), capacity: t.partial({ cpu: t.number, mem: t.number }) }),
]);

/** An output file's line as stored: text in `data`, or base64 in `b64` (output-encoding.ts). */
export type StoredChunk = { at: number; stream: 'stdout' | 'stderr'; marker?: true } & ({ data: string } | { b64: string });
const StoredChunkCodec: t.Decoder<unknown, StoredChunk> = t.intersection([
  t.type({ at: t.number, stream: Stream }),
  t.partial({ marker: t.literal(true) }),
  t.union([t.type({ data: t.string }), t.type({ b64: t.string })]),
]);

const newer = (what: string) => `${what}: written by a newer Caisson (this one reads record version ${RECORD_VERSION}); upgrade Caisson to read it`;

/** The first problem of a failed decode, as "field: expected …, got …" (intersection members unnamed). */
function problem(errors: t.Errors): string {
  const error = errors[0];
  if (!error) return 'not valid';
  const entries = error.context;
  const keys = entries.slice(1).filter((_, i) => {
    const parent = (entries[i]!.type as { _tag?: string })._tag;
    return parent !== 'IntersectionType' && parent !== 'UnionType';
  }).map((e) => e.key);
  const last = entries[entries.length - 1];
  const expected = error.message ?? (last ? describeExpected(last.type) : 'invalid');
  return `${keys.length ? `${keys.join('.')}: ` : ''}${expected}, got ${renderValue(error.value)}`;
}

/**
 * meta.json's content.
 * @throws RunRecordError naming `file`: a newer record version, or a field that is missing or wrong
 */
export function decodeMeta(value: unknown, file: string): RunMeta {
  const version = (value as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > RECORD_VERSION) throw new RunRecordError(newer(`${file} is a version ${version} run record`), { file });
  const r = Meta.decode(value);
  if (r._tag === 'Left') throw new RunRecordError(`${file} is not a valid run record: ${problem(r.left)}`, { file });
  return r.right;
}

/**
 * One parsed line of events.jsonl.
 * @throws RunRecordError naming `where` (file:line): an entry type this Caisson does not know, or a bad field
 */
export function decodeLogEntry(value: unknown, where: string): LogEntry {
  const type = (value as { type?: unknown } | null)?.type;
  const codec = typeof type === 'string' && Object.hasOwn(ENTRIES, type) ? ENTRIES[type as LogEntry['type']] : undefined;
  if (!codec) {
    if (typeof type === 'string') throw new RunRecordError(newer(`${where}: unknown log entry type ${JSON.stringify(type)}`));
    throw new RunRecordError(`${where}: not a log entry (no "type")`);
  }
  const r = codec.decode(value);
  if (r._tag === 'Left') throw new RunRecordError(`${where}: not a valid "${type}" entry: ${problem(r.left)}`);
  return r.right;
}

/**
 * One parsed line of an attempt's output file.
 * @throws RunRecordError naming `where` (file:line) for a line that is not an output chunk
 */
export function decodeStoredChunk(value: unknown, where: string): StoredChunk {
  const r = StoredChunkCodec.decode(value);
  if (r._tag === 'Left') throw new RunRecordError(`${where}: not a valid output chunk: ${problem(r.left)}`);
  return r.right;
}
