/**
 * `caisson debug <run|file> <node-path> [--live]` (docs/conducto-semantics.md#debug): a shell in a new
 * container made from the node's exact image, env and working dir, with the node's command in
 * /caisson/cmd.sh. --live bind-mounts every pathMap entry of the image read-write, so edits on the host
 * show inside at once. The container is removed when the shell ends, and on SIGHUP/SIGTERM (the terminal
 * went away).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { debugCommandOf } from '../native-debug.ts';
import { createCaisson, findNode, FolderDataStore, MemoryDataStore, type DataStore, type ExecNode, type Mount, type PipelineIR, type SecretSource } from '../../core/index.ts';
import { debugDataArchive } from '../../core/plugin-kit.ts';
import { imagePlugins } from '../image-plugins.ts';
import { loadPipeline, type OtherPipeline } from '../load-pipeline.ts';
import { closeMatches } from '../records/close-matches.ts';
import { checkNodePath, findRecord, type DirOption } from '../records/open-run.ts';
import type { RunRecord } from '../../core/plugin-kit.ts';
import { imageSecrets, runSecrets } from '../run-secrets.ts';
import { DEFAULT_RUNTIME, debugShells, runtimePlugin } from '../runtimes.ts';
import { recordedImage, runnableRef } from '../records/run-images.ts';
import { UsageError } from '../usage-error.ts';

/** Options of `caisson debug`. */
export interface DebugOptions extends DirOption {
  live?: boolean;
  export?: string;
}

/**
 * What a debug session needs: the IR, the node, its image's resolved ref, where secrets come from, and
 * the runtime whose debug shells open it (the record's, or the default one for a pipeline file).
 */
export interface Target {
  ir: PipelineIR; path: string; node: ExecNode; imageRef: string; secrets?: SecretSource; origin: string; baseDir: string; runtime: string; file: string;
  /** The data store the shell gets a copy of: the run's, or an empty one for a pipeline file. */
  data: DataStore;
}

const isPipelineFile = (arg: string): boolean => /\.(c|m)?(t|j)s$/.test(arg) && existsSync(arg) && statSync(arg).isFile();

/** From a pipeline file: compile it and resolve (building if needed) the node's image, as `run` would. */
async function fromFile(file: string, nodePath: string, opts: DebugOptions): Promise<Target> {
  const { ir, file: abs, plugins, exportName, otherPipelines } = await loadPipeline(file, opts.export);
  const path = checkNodePath(ir, nodePath, fileWhere(file, exportName, ir.name, nodePath, otherPipelines));
  const node = execAt(ir, path);
  const { images } = createCaisson({ plugins: [await runtimePlugin(DEFAULT_RUNTIME), ...await imagePlugins(plugins)] });
  const secrets = imageSecrets(images, ir, abs);
  const resolved = await images.resolveAll(ir, { ...(secrets ? { secrets } : {}), onEvent: (e) => { if (e.type === 'image-build') process.stderr.write(`caisson: building image ${e.image}…\n`); } });
  const imageRef = resolved[node.image]?.ref ?? ir.images[node.image]?.ref;
  if (imageRef === undefined) throw new UsageError(`${path}: image "${node.image}" could not be resolved`, { path });
  return { ir, path, node, imageRef, secrets: runSecrets(ir, abs), origin: abs, baseDir: dirname(abs), runtime: DEFAULT_RUNTIME, file: abs, data: new MemoryDataStore() };
}

/**
 * How a missing node of a pipeline file is told: which export was looked in, and when the path starts with
 * the name of a pipeline another export holds, the command that debugs it there.
 */
function fileWhere(file: string, exportName: string, pipelineName: string, nodePath: string, others: OtherPipeline[]) {
  const chosen = exportName === 'default' ? 'the default export' : `export "${exportName}"`;
  const root = nodePath.split('/').filter(Boolean)[0];
  const holder = others.find((o) => o.name === root);
  const normalised = `/${nodePath.split('/').filter(Boolean).join('/')}`;
  const paths = holder?.paths() ?? [];
  const flag = holder?.exportName === 'default' ? '' : ` --export ${holder?.exportName}`;
  const exportFlag = exportName === 'default' ? '' : ` --export ${exportName}`;
  return {
    subject: `${file}: ${chosen} (pipeline "${pipelineName}")`,
    show: `caisson run ${file}${exportFlag} --dry-run`,
    ...(holder && {
      // The command only when that export has the node; otherwise the closest paths there.
      hint: `${holder.exportName === 'default' ? 'the default export' : `export "${holder.exportName}"`} is pipeline "${holder.name}"` + (paths.includes(normalised)
        ? `: caisson debug ${file} ${nodePath}${flag}`
        : `, which has no node ${nodePath} either; closest there: ${closeMatches(normalised, paths).join(', ')}`),
    }),
  };
}

/** From a run record: its copy of the IR and the images it recorded (by id). */
function fromRecord(ref: string, nodePath: string, opts: DirOption): Target {
  return debugTarget(findRecord(opts, ref), nodePath);
}

/** What debugging a node of a recorded run needs (also the web UI's debug shell). */
export function debugTarget(record: RunRecord, nodePath: string): Target {
  const ir = record.loadIr();
  const meta = record.loadMeta();
  const path = checkNodePath(ir, nodePath, record.id);
  const node = execAt(ir, path);
  const recorded = recordedImage(meta, node.image);
  const imageRef = recorded ? runnableRef(recorded) : ir.images[node.image]?.ref;
  if (imageRef === undefined) {
    throw new UsageError(`${path}: run ${record.id} recorded no image for "${node.image}"; debug the pipeline file instead: caisson debug ${meta.file} ${path}`, { path });
  }
  return { ir, path, node, imageRef, secrets: runSecrets(ir, meta.file), origin: `run ${record.id}`, baseDir: dirname(meta.file), runtime: meta.runtime, file: meta.file, data: new FolderDataStore(record.dir) };
}

function execAt(ir: PipelineIR, path: string): ExecNode {
  const node = findNode(ir.root, path);
  if (node.kind !== 'exec') throw new UsageError(`${path} is a ${node.kind} node; debug one of its Exec nodes (they have commands)`, { path });
  return node;
}

/** --live: every pathMap entry of the node's image, mounted read-write. */
function liveMounts(t: Target): Mount[] {
  const spec = t.ir.images[t.node.image];
  const pathMap = spec?.pathMap ?? {};
  const entries = Object.entries(pathMap);
  if (entries.length === 0) throw new UsageError(`cannot live-debug ${t.path}: image ${t.node.image} has no copyDir or pathMap`, { path: t.path });
  for (const [host] of entries) {
    if (!existsSync(host)) throw new UsageError(`cannot live-debug ${t.path}: ${host} (pathMap of image ${t.node.image}) does not exist on this host`, { path: t.path, file: host });
  }
  return entries.map(([source, target]) => ({ source: resolve(source), target }));
}

/**
 * The node's secrets, filled in, for the shell's exec only; a missing one is left unset, with a warning.
 * A plain env value of the same name wins, as in a run.
 */
export function secretEnvOf(t: Target, warn: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, name] of Object.entries(t.node.secrets ?? {})) {
    if (key in t.node.env) continue;
    const value = t.secrets?.get(name) ?? process.env[name];
    if (value === undefined) warn(`caisson: secret "${name}" is not set, so ${key} is unset in this shell`);
    else env[key] = value;
  }
  return env;
}

export async function debugCommand(source: string, nodePath: string, opts: DebugOptions): Promise<number> {
  const target = isPipelineFile(source) ? await fromFile(source, nodePath, opts) : fromRecord(source, nodePath, opts);
  const { runtime, debug } = await shellsFor(target);
  if (opts.live && !runtime.capabilities.hostMounts) {
    throw new UsageError(`cannot live-debug ${target.path}: the ${target.runtime} runtime cannot bind-mount host paths; debug without --live`, { path: target.path, option: '--live' });
  }
  const native = await debugCommandOf(target.node, target.baseDir, opts.live);
  // A native node is live through its bundle; its image's pathMap is mounted too when it has one.
  const live = opts.live && !(target.node.call && !hasPathMap(target)) ? liveMounts(target) : [];
  const mounts = [...live, ...native.mounts];
  const container = await debug.start({
    path: target.path, image: target.imageRef, env: target.node.env, secretEnv: secretEnvOf(target), command: native.command,
    shell: target.ir.images[target.node.image]?.shell, mounts, labels: { 'dev.caisson.debug-origin': target.origin.slice(0, 200) },
    archive: debugDataArchive(target.data),
  });
  // The shell owns Ctrl-C; a closed terminal (SIGHUP) or a kill (SIGTERM) still removes the container.
  const ignore = () => {};
  const leave = (signal: NodeJS.Signals) => {
    void container.remove().finally(() => process.exit(signal === 'SIGHUP' ? 129 : 143));
  };
  process.on('SIGINT', ignore);
  process.on('SIGHUP', leave);
  process.on('SIGTERM', leave);
  try {
    process.stdout.write(`Debugging ${target.path} (${target.origin}) in image ${target.imageRef}${live.length ? `, live: ${live.map((m) => `${m.source} → ${m.target}`).join(', ')}` : ''}\n`);
    process.stdout.write(`Execute the node's command by running ${debug.script}\n`);
    if (native.note) process.stdout.write(`${native.note}\n`);
    const values = target.data.list().length;
    if (values) process.stdout.write(`The data store holds a copy of the run's ${values} value${values === 1 ? '' : 's'} (caisson-data, pipelineData); what you put stays in this container\n`);
    return await container.openShell();
  } finally {
    process.off('SIGINT', ignore);
    process.off('SIGHUP', leave);
    process.off('SIGTERM', leave);
    await container.remove();
    native.close();
  }
}

/** The debug shells of the target's runtime; a UsageError when it has none (a run on the fake). */
export const shellsFor = (t: Target) =>
  debugShells(t.runtime, `debug the pipeline file instead (its images are built for the ${DEFAULT_RUNTIME} runtime): caisson debug ${t.file} ${t.path}`);

const hasPathMap = (t: Target): boolean => Object.keys(t.ir.images[t.node.image]?.pathMap ?? {}).length > 0;
