/**
 * The engine: executes pipeline IR through an injected RuntimeProvider on an injected Clock.
 */
import type { PipelineIR } from '../ir/index.ts';
import type { RuntimeProvider } from '../runtime/index.ts';
import type { Clock } from './clock.ts';
import { systemClock } from './clock.ts';
import type { Capacity } from './capacity.ts';
import { cpuUnits, memUnits, resolveCapacity } from './capacity.ts';
import { ResourceGate } from './gates.ts';
import { Run } from './run.ts';
import { generateRunId } from './run-id.ts';
import type { CreateRunOptions, EngineOptions } from './types.ts';
import type { NativeBundler } from '../native/contract.ts';

export type { EngineOptions, CreateRunOptions } from './types.ts';

/**
 * Runs pipeline IR: holds the runtime, the clock and the machine's cpu/mem budget that all its runs
 * share, and makes Runs. `new Engine(runtime)` for real runs; pass a virtual clock to test timing.
 */
export class Engine {
  /** The cpu (cores) and mem (GB) Exec reservations come out of. */
  readonly capacity: Capacity;
  // One budget per engine: concurrent runs on the same engine share the machine.
  private readonly budget: ResourceGate;
  private readonly native: NativeBundler | undefined;

  /**
   * @param runtime where containers come from (Docker, the fake, …)
   * @param clock time source for timestamps and maxTime timers; the fake runtime passes its virtual clock
   * @param options capacity overrides
   */
  constructor(private readonly runtime: RuntimeProvider, private readonly clock: Clock = systemClock, options: EngineOptions = {}) {
    this.capacity = resolveCapacity(options.capacity);
    this.native = options.nativeBundler;
    this.budget = new ResourceGate({ cpu: cpuUnits(this.capacity.cpu), mem: memUnits(this.capacity.mem) });
  }

  /** A run of an IR; nothing executes until start(). */
  createRun(ir: PipelineIR, opts: CreateRunOptions = {}): Run {
    const id = opts.runId ?? generateRunId(this.clock.now());
    return new Run(ir, id, { runtime: this.runtime, clock: this.clock, capacity: this.capacity, budget: this.budget, native: this.native }, opts);
  }
}
