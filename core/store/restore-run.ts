/**
 * A Run rebuilt from a record, for looking and for control actions between runners: the run's IR
 * copy plus the replayed statuses (nodes that were queued or running become killed, as the engine's
 * restore does). Its runtime refuses to start containers, so nothing here can execute by accident.
 */
import type { PipelineIR } from '../ir/index.ts';
import type { NodeStatus, Run } from '../engine/index.ts';
import { Engine } from '../engine/index.ts';
import type { RuntimeProvider } from '../runtime/index.ts';
import { RunRecordError } from '../errors.ts';

const refuse = (): Promise<never> => Promise.reject(new RunRecordError('this run was restored for inspection and control only; resume it to execute'));

const detachedRuntime: RuntimeProvider = {
  name: 'detached', open: refuse, capabilities: { images: 'none', hostMounts: false, native: 'in-process', warmContainers: false, backendSettings: [] },
};
const detachedEngine = new Engine(detachedRuntime, undefined, { capacity: { cpu: 1, mem: 1 } });

/** The run with id `runId` as replayed; use for statuses(), reset(), skip(), unskip(), edit(). */
export function restoreRun(ir: PipelineIR, runId: string, statuses: Record<string, NodeStatus>): Run {
  return detachedEngine.createRun(ir, { runId, initial: statuses });
}
