/**
 * A live run's control log, `control.jsonl` in its record folder: whoever acts on the run (`caisson
 * reset`, the web UI) appends one request line; the runner tails the file and applies each request
 * within 200 ms, then writes ONE control entry (with the request's id and the state changes it caused)
 * to events.jsonl, where the requester sees it.
 *
 * Why a file rather than a socket or a FIFO: an append of one line is atomic (O_APPEND, one write), so
 * any number of requesters may write at once; it works at any path length (a unix socket path is
 * limited to 108 bytes, and records live deep in projects); nothing is left to clean up when a runner
 * is SIGKILLed (a stale socket or FIFO blocks or fails the next one); a FIFO's writer blocks or fails
 * while no runner reads it; and a request is on disk, so one a dead runner never applied is seen and
 * applied to the record instead. Each request names the runner it is for (its runner entry), so a
 * later runner never applies an old one, and a runner applies every request made for it, even one
 * written in the instant between its runner entry and its first look at the file.
 */
import { join } from 'node:path';
import * as t from 'io-ts';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { AppendFile, type RunnerEntry, type RunRecord } from '../store/index.ts';
import type { ControlAction } from './actions.ts';
import { CONTROL_OPS } from './actions.ts';

/** Name of the control log in a record folder. */
export const CONTROL_FILE = 'control.jsonl';

/** One request line of the control log. */
export interface ControlRequest {
  /** Unique id; the runner's control entry carries it. */
  id: string;
  /** Epoch ms it was written. */
  at: number;
  /** Who asked (pid and host), for the record. */
  pid: number;
  /** The requester's host. */
  host: string;
  /** The runner it is for (its runner entry's pid, host and start): no other runner applies it. */
  runner: { pid: number; host: string; at: number };
  /** What to do. */
  action: ControlAction;
}

/** The control log of a record. */
export const controlFileOf = (record: RunRecord): string => join(record.dir, CONTROL_FILE);

/** Appends a request for `action`; returns it (its id is what to wait for in events.jsonl). */
export function appendRequest(record: RunRecord, runner: RunnerEntry, action: ControlAction): ControlRequest {
  const request: ControlRequest = {
    id: `${Date.now().toString(36)}-${process.pid}-${randomBytes(4).toString('hex')}`, at: Date.now(), pid: process.pid, host: hostname(),
    runner: { pid: runner.pid, host: runner.host, at: runner.at }, action,
  };
  const log = new AppendFile(controlFileOf(record), false);
  try { log.append(request); } finally { log.close(); }
  return request;
}

const Request = t.type({ id: t.string, at: t.number, pid: t.number, host: t.string, runner: t.type({ pid: t.number, host: t.string, at: t.number }), action: t.type({ op: t.keyof(Object.fromEntries(CONTROL_OPS.map((o) => [o, null])) as Record<ControlAction['op'], null>) }) });

/** A parsed request line, or undefined for a line that is not one (written by hand, or by a newer Caisson). */
export function decodeRequest(line: string): ControlRequest | undefined {
  let value: unknown;
  try { value = JSON.parse(line); } catch { return undefined; }
  // The action's own fields are checked when it is applied (checkAction), with a message for the requester.
  return Request.is(value) ? (value as unknown as ControlRequest) : undefined;
}
