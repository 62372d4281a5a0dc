/** `caisson run FILE`: load, build the engine from the chosen runtime plugin, run, report, exit 0 only when the root is done. */
import { dirname, join, resolve } from 'node:path';
import { createCaisson, execNodes, FolderArtifactStore, FolderDataStore, generateRunId, pretty, refusedNodes, RunStore, serviceNodes, serviceSummary, type ImageSpec, type PipelineIR, type ResolvedImage, type RuntimeProvider } from '../../core/plugin-kit.ts';
import { imagePlugins } from '../image-plugins.ts';
import { loadPipeline } from '../load-pipeline.ts';
import { runReporter } from '../run-reporter.ts';
import { imageSecrets, runSecrets } from '../run-secrets.ts';
import { positiveInt, positiveNumber } from '../options.ts';
import { checkRuntimeName, nativePlugins, runtimePlugin } from '../runtimes.ts';
import { placeholderImages } from '../../plugins/runtime-fake/index.ts';
import { cancellable, cancelledExitCode } from '../cancellable.ts';
import { executeRun } from '../records/execute-run.ts';
import { listenForControl, outputOptions, recordRun } from '../records/record-run.ts';
import { recordImages, saveImages } from '../records/run-images.ts';
import { discardRecord, indexRecord, recordedLine } from '../records/known-runs.ts';
import { cacheScope, resultStore, runCache } from '../result-cache.ts';
import { predictCache } from '../cache-prediction.ts';

/** Options of `caisson run`. */
export interface RunCommandOptions {
  export?: string;
  runtime: string;
  cpu?: string;
  mem?: string;
  concurrency?: string;
  dryRun?: boolean;
  /** Build every built image even when its content-addressed tag exists. */
  rebuild?: boolean;
  /** False (--no-typecheck): load a TypeScript pipeline file without type-checking it first. */
  typecheck?: boolean;
  /** False (--no-cache): run every cached node without looking the cache up (fresh results are stored). */
  cache?: boolean;
  /** Also serve the web UI for this run; it stays up after the run until Ctrl-C. */
  ui?: boolean;
  /** With ui: port and address to listen on. */
  port?: string;
  host?: string;
}

export async function runCommand(file: string, opts: RunCommandOptions): Promise<number> {
  const capacity = { cpu: positiveNumber('--cpu', opts.cpu), mem: positiveNumber('--mem', opts.mem) };
  const concurrency = positiveInt('--concurrency', opts.concurrency);
  checkRuntimeName(opts.runtime); // an unknown --runtime is a usage error before anything is loaded
  const output = outputOptions();
  // The runtime and image plugins (the Docker client, execa) load before the pipeline file: once the
  // TypeScript loader is registered every later module, CommonJS ones included, goes through its
  // hooks, which made loading them about twice as slow.
  // Relative host paths in dockerRunArgs (-v ./data:/data, --env-file .env) are the pipeline folder's.
  const [[plugin, nativeBundling], builtinImagePlugins] = await Promise.all([
    runtimePlugin(opts.runtime, { baseDir: dirname(resolve(file)) }).then(async (p) => [p, await nativePlugins(p.runtime!)] as const),
    imagePlugins(),
  ]);
  // A runtime that uses no images (the fake) gets placeholders for them: nothing is built or looked up.
  const noImages = plugin.runtime!.capabilities.images === 'none';
  // The backend's ping and sweep go on while the pipeline file loads (a dry run opens nothing).
  if (!opts.dryRun) plugin.runtime!.prepare?.();
  const { ir, file: pipelineFile, exportName, plugins } = await loadPipeline(file, opts.export, { typecheck: opts.typecheck });
  if (concurrency !== undefined && ir.root.kind !== 'exec') ir.root.maxConcurrent = Math.min(ir.root.maxConcurrent ?? Infinity, concurrency);
  const color = Boolean(process.stdout.isTTY);
  if (opts.dryRun) {
    // An image kind no plugin provides, or params it refuses, is the same error a run would give, before the plan.
    const { images } = createCaisson({ plugins: [plugin, ...await imagePlugins(plugins)], capacity });
    if (!noImages) images.checkKinds(ir);
    printPlan(ir, color, plugin.runtime!);
    if (execNodes(ir.root).some(({ node }) => node.cache)) {
      await printCachePlan(ir, pipelineFile, cacheScope(pipelineFile, noImages), opts, () => noImages ? Promise.resolve(placeholderImages(ir))
        : images.resolveAll(ir, { noBuild: true, secrets: imageSecrets(images, ir, pipelineFile) }));
    }
    return 0;
  }

  // secret() values: the environment over .caisson/secrets (refused unless mode 0600), read only if used.
  const secrets = runSecrets(ir, pipelineFile);
  const { engine, images } = createCaisson({ plugins: [plugin, ...nativeBundling, ...builtinImagePlugins, ...plugins], capacity });
  // The live tree on a terminal, plain lines otherwise; image progress goes to the same reporter.
  const reporter = runReporter(ir);
  // Images first (built only when their content changed); a runtime without images builds none: placeholders.
  let resolved: Record<string, ResolvedImage>;
  try {
    // Ctrl-C while images build cancels the build (and removes its temp folder); no run is recorded.
    const built = noImages ? { done: true as const, value: placeholderImages(ir) }
      : await cancellable((signal) => images.resolveAll(ir, { rebuild: opts.rebuild, signal, secrets: imageSecrets(images, ir, pipelineFile), onEvent: (e) => reporter.onImageEvent(e) }), (line) => reporter.note(line));
    if (!built.done) {
      reporter.stop();
      process.stderr.write('caisson: image build cancelled; nothing ran\n');
      return cancelledExitCode(built.signal);
    }
    resolved = built.value;
  } catch (e) {
    reporter.stop();
    throw e;
  }
  // The engine gets each image's probed shell and working dir too; the record keeps them with the ids.
  // Ids from the wall clock: the fake runtime's virtual clock would date every run 2026-01-01.
  const runId = generateRunId(Date.now());
  // Declared artifacts and the data store go to the record folder recordRun creates below, before anything runs.
  const recordDir = join(RunStore.forPipelineFile(pipelineFile).runsDir, runId);
  // Images a lazy node's generated subtree adds are built on demand, shown like the others, and recorded for resume.
  const resolveImages = async (specs: ImageSpec[], signal: AbortSignal): Promise<Record<string, ResolvedImage>> => {
    const added = { ...ir, images: Object.fromEntries(specs.map((s) => [s.name, s])) };
    if (noImages) return placeholderImages(added);
    const built = await images.resolveAll(added, { signal, secrets: imageSecrets(images, added, pipelineFile), onEvent: (e) => reporter.onImageEvent(e) });
    saveImages(recorder.record, recorder.record.loadMeta(), built);
    return built;
  };
  const run = engine.createRun(ir, {
    runId, images: resolved, secrets, resolveImages, baseDir: dirname(pipelineFile),
    artifacts: new FolderArtifactStore(recordDir), data: new FolderDataStore(recordDir),
    cache: runCache(ir, pipelineFile, opts.cache === false ? '--no-cache' : undefined, cacheScope(pipelineFile, noImages)),
  });
  // The durable record (.caisson/runs/<id>/ next to the file): what show, logs, resume and the control commands read.
  const recorder = recordRun(run, { file: pipelineFile, exportName, runtime: opts.runtime, capacity, images: recordImages(resolved) }, output);
  indexRecord(recorder.record, ir.name);
  const control = listenForControl(run, recorder, (line) => reporter.note(line));
  // The UI server (and its static app) loads only for --ui.
  const ui = opts.ui ? await import('./ui.ts').then((m) => m.serveUi(m.runSourceOf(recorder.record), { ...opts, title: ir.name, runId: run.id }, (line) => reporter.note(line))) : undefined;
  // On stdout either way (above the live tree on a terminal): it is what the person came for.
  if (ui) { const line = `caisson: the web UI of this run: ${ui.server.url}`; if (process.stdout.isTTY) reporter.note(line); else process.stdout.write(`${line}\n`); }
  // A run whose runtime or network could not be opened (no daemon, no registry for Swarm) ran nothing: its
  // record would be listed as pending forever, so it is removed, and the error is all the person sees.
  let ranSomething = false;
  const offActivity = run.on((e) => { if (e.type !== 'run-started' && e.type !== 'run-finished') ranSomething = true; });
  let code: number;
  let threw = true;
  try {
    code = await executeRun(run, reporter);
    threw = false;
  } finally {
    offActivity();
    control.close();
    recorder.close();
    if (threw && !ranSomething) {
      discardRecord(recorder.record);
      process.stderr.write(`\ncaisson: run ${run.id} could not start; nothing ran, and it is not recorded\n`);
    } else {
      // The record may live next to the file in another folder: say where, and how to look at it.
      process.stdout.write(`\n${recordedLine(recorder.record)}\n`);
    }
  }
  if (ui) {
    // The run is over; its record can still be looked at and acted on (reset, then run pending) from the UI.
    process.stdout.write(`the web UI stays up at ${ui.server.url} (Ctrl-C to stop)\n`);
    await untilSignal();
    await ui.close();
  }
  return code;
}

/** Resolves at the first SIGINT or SIGTERM. */
function untilSignal(): Promise<void> {
  return new Promise((done) => {
    const stop = () => { process.off('SIGINT', stop); process.off('SIGTERM', stop); done(); };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** --dry-run: the tree, the images and the container groups, and nothing started. */
function printPlan(ir: PipelineIR, color: boolean, runtime: RuntimeProvider): void {
  const execs = execNodes(ir.root);
  const out = (s: string) => process.stdout.write(`${s}\n`);
  out(pretty(ir, { color }));
  out('');
  const lazy = execs.filter((e) => e.node.graft).length;
  out(`${execs.length} exec node${execs.length === 1 ? '' : 's'} would run (skipped ones excluded: ${execs.filter((e) => e.node.skip).length} set skip)${lazy ? `, plus what ${lazy} lazy node${lazy === 1 ? '' : 's'} generate${lazy === 1 ? 's' : ''}` : ''}`);
  out('images:');
  for (const [name, spec] of Object.entries(ir.images)) out(`  ${name}: ${JSON.stringify(spec)}`);
  const groups = new Map<string, number>();
  for (const { node } of execs) groups.set(node.container, (groups.get(node.container) ?? 0) + 1);
  out('containers:');
  for (const [group, n] of groups) out(`  ${group === 'global' ? 'global reuse pool' : `dedicated to ${group}`}: ${n} node${n === 1 ? '' : 's'}`);
  const services = serviceNodes(ir.root);
  if (services.length) {
    out('services (on the run\'s own network, started before their group\'s first Exec):');
    for (const s of services) out(`  ${s.path}: ${serviceSummary(s.service)}`);
  }
  // What this runtime would refuse (the nodes would fail with these errors; the rest would run).
  const refused = refusedNodes(ir, runtime);
  if (refused.length) {
    out(`would fail on the ${runtime.name} runtime (${refused.length} node${refused.length === 1 ? '' : 's'}):`);
    for (const r of refused) out(`  ${r.message}`);
  }
}

/** --dry-run: each Exec's predicted cache decision (images resolved without building, nothing stored). */
async function printCachePlan(ir: PipelineIR, file: string, scope: string, opts: RunCommandOptions, resolve: () => Promise<Record<string, ResolvedImage>>): Promise<void> {
  const out = (s: string) => process.stdout.write(`${s}\n`);
  out('cache (predicted):');
  let images: Record<string, ResolvedImage>;
  try {
    images = await resolve();
  } catch (e) {
    out(`  cannot predict: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  const lines = predictCache({ ir, file, scope, images, secrets: runSecrets(ir, file), store: resultStore(), bypass: opts.cache === false, now: Date.now() });
  const width = Math.max(...lines.map((l) => l.path.length));
  for (const { path, prediction } of lines) out(`  ${path.padEnd(width)}  ${prediction}`);
}
