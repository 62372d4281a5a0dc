/**
 * caisson/testing: the scripted, recording fake runtime. Test a pipeline's logic (what ran, in which
 * order, with which image, env and command; what a failure leaves pending) in milliseconds, no Docker.
 */
import type { Plugin } from '../../core/index.ts';
import { FakeRuntimeProvider } from './fake-runtime-provider.ts';

export { FakeRuntimeProvider } from './fake-runtime-provider.ts';
export { VirtualClock, VIRTUAL_EPOCH } from './virtual-clock.ts';
export type { Script, ScriptSpec } from './script.ts';
export type { FakeCall, FakeContainer } from './records.ts';
export type { ServiceScript, FakeServiceRecord, FakeProbe } from './fake-service.ts';
export { FakeFiles, type FakeFile } from './fake-files.ts';
export { runFake, toIr } from './run-fake.ts';
export { placeholderImages } from './placeholder-images.ts';
export type { RunFakeOptions, FakeRunOutcome } from './run-fake.ts';

/**
 * The fake runtime as a plugin: contributes `fake` (default: a new FakeRuntimeProvider) as the runtime
 * and its virtual clock as the engine's clock. `createCaisson({ plugins: [fakeRuntime(fake)] })`.
 */
export const fakeRuntime = (fake: FakeRuntimeProvider = new FakeRuntimeProvider()): Plugin => ({
  name: 'runtime-fake',
  runtime: fake,
  clock: fake.clock,
});
