/**
 * The cpu/mem capacity Exec reservations come out of, and the check that a reservation can ever fit.
 */
import os from 'node:os';
import type { EngineOptions } from './types.ts';

export interface Capacity { cpu: number; mem: number }

/** The host's cores and memory (GB), overridden by what the caller set. */
export function resolveCapacity(options: EngineOptions['capacity']): Capacity {
  return {
    cpu: options?.cpu ?? os.availableParallelism(),
    mem: options?.mem ?? os.totalmem() / 1024 ** 3,
  };
}

/** Integer units for the budget: milli-CPUs and MB, so fractional reservations add up exactly. */
export const cpuUnits = (cpu: number): number => Math.round(cpu * 1000);
export const memUnits = (gb: number): number => Math.round(gb * 1024);

const show = (n: number) => (Number.isFinite(n) ? String(+n.toFixed(3)) : String(n));

/** Why a reservation can never fit, or undefined when it can. */
export function neverFitsReason(need: { cpu: number; mem: number }, capacity: Capacity): string | undefined {
  if (cpuUnits(need.cpu) > cpuUnits(capacity.cpu)) {
    return `needs cpu=${show(need.cpu)} but the capacity is cpu=${show(capacity.cpu)}; lower cpu or raise the capacity (--cpu)`;
  }
  if (memUnits(need.mem) > memUnits(capacity.mem)) {
    return `needs mem=${show(need.mem)} GB but the capacity is mem=${show(capacity.mem)} GB; lower mem or raise the capacity (--mem)`;
  }
  return undefined;
}
