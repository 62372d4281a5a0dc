/**
 * runFake: compile (if needed), run on a fresh FakeRuntimeProvider, collect everything, in one call.
 */
import type { CreateRunOptions, EngineOptions, GroupBuilder, NodeStatus, PipelineIR, Run, RunEvent, RunResult } from '../../core/index.ts';
import { API_VERSION, compile, Engine } from '../../core/index.ts';
import { FakeRuntimeProvider } from './fake-runtime-provider.ts';
import type { ScriptSpec } from './script.ts';
import type { ServiceScript } from './fake-service.ts';
import { placeholderImages } from './placeholder-images.ts';

/**
 * Options of `runFake()`: the scripts to play plus the usual `createRun` options (run id, images,
 * labels, secrets). Built images run as placeholders (`caisson/<name>:fake`) unless `images` names them.
 */
export interface RunFakeOptions extends Omit<CreateRunOptions, 'initial'> {
  /** Scripts by node path, e.g. `{ '/ci/checks/unit': { exitCode: 1 } }`. */
  scripts?: Record<string, ScriptSpec>;
  /** Service scripts by service path, e.g. `{ '/ci/test/db': { readyAfter: '3s' } }`. */
  services?: Record<string, ServiceScript>;
  /** Script for nodes not in `scripts` (default: exit 0 at once). */
  defaultScript?: ScriptSpec;
  /** Capacity for cpu/mem reservations. Default: unlimited, so results never depend on the test machine. */
  capacity?: EngineOptions['capacity'];
  /** A provider to run on (e.g. one with failImage() set); default: a new one. */
  fake?: FakeRuntimeProvider;
  /** Cancels the run. */
  signal?: AbortSignal;
}

/** What `runFake()` returns: the run's result and everything observed along the way. */
export interface FakeRunOutcome {
  /** What start() resolved to: the root's state, the failed Execs and every status. */
  result: RunResult;
  /** The provider, with `calls`, `containers`, `ran()`. */
  fake: FakeRuntimeProvider;
  /** Every event of the run, in order. */
  events: RunEvent[];
  /** The status of a node after the run. */
  status(path: string): NodeStatus;
  /** The run itself, for reset()/skip()/start() again. */
  run: Run;
}

/** A pipeline to run: a builder made by pipeline(), or its compiled IR. */
type PipelineLike = GroupBuilder | PipelineIR;

const isIr = (x: unknown): x is PipelineIR => typeof x === 'object' && x !== null && (x as { apiVersion?: unknown }).apiVersion === API_VERSION;

/** IR as is; anything else goes to compile(), which takes a builder and refuses the rest with one DslError. */
export function toIr(pipeline: PipelineLike): PipelineIR {
  return isIr(pipeline) ? pipeline : compile(pipeline);
}

/**
 * Runs a pipeline (IR or builder) on the fake runtime and returns what happened.
 *
 * ```ts
 * const { result, fake, status } = await runFake(ci, { scripts: { '/ci/checks/unit': { exitCode: 1 } } });
 * assert.deepEqual(fake.ran(), ['/ci/install', '/ci/checks/lint', '/ci/checks/unit']);
 * assert.equal(status('/ci/deploy').state, 'pending');
 * ```
 */
export async function runFake(pipeline: PipelineLike, options: RunFakeOptions = {}): Promise<FakeRunOutcome> {
  const { scripts = {}, services = {}, defaultScript, capacity, signal, fake = new FakeRuntimeProvider(), ...createOptions } = options;
  for (const [path, spec] of Object.entries(scripts)) fake.script(path, spec);
  for (const [path, script] of Object.entries(services)) fake.service(path, script);
  if (defaultScript) fake.scriptDefault(defaultScript);
  const engine = new Engine(fake, fake.clock, { capacity: { cpu: Infinity, mem: Infinity, ...capacity } });
  const ir = toIr(pipeline);
  // Built images are placeholders (caisson/<name>:fake): nothing is built; `images` overrides any of them.
  const run = engine.createRun(ir, {
    // Images a lazy node's generated subtree adds are placeholders too.
    resolveImages: (specs) => Promise.resolve(placeholderImages({ ...ir, images: Object.fromEntries(specs.map((s) => [s.name, s])) })),
    ...createOptions, images: { ...placeholderImages(ir), ...createOptions.images },
  });
  const events: RunEvent[] = [];
  run.on((e) => events.push(e));
  const result = await run.start(signal ? { signal } : {});
  return { result, fake, events, status: (path) => run.status(path), run };
}
