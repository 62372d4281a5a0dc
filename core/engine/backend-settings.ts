/**
 * A node's backend-specific options as the runtime contract carries them (ContainerSpec.backend), and
 * the engine's one refusal of settings a runtime does not honour. The IR and the DSL keep their options
 * (`requiresDocker`, `dockerRunArgs`); only the contract namespaces them, so a second backend can say
 * "not mine" without knowing Docker's options one by one.
 *
 * Why a node fails rather than the whole run at start: a lazy node's subtree, an edit or a resume can
 * bring settings the run did not have at start, and the check must hold for those too; failing the node
 * (not retried: it is the pipeline's doing) names exactly which one, and the rest of the run goes on as
 * it would for any other node that cannot run.
 */
import { execNodes, type ExecNode, type PipelineIR } from '../ir/index.ts';
import type { BackendSettings, RuntimeProvider } from '../runtime/index.ts';
import { RuntimeOptionError } from '../errors.ts';

const NONE: BackendSettings = Object.freeze({});

/** The backend settings of an Exec: `docker` only when it sets requiresDocker or dockerRunArgs. */
export function backendSettingsOf(ir: Pick<ExecNode, 'requiresDocker' | 'dockerRunArgs'>): BackendSettings {
  if (!ir.requiresDocker && ir.dockerRunArgs.length === 0) return NONE;
  return { docker: { requiresDocker: ir.requiresDocker, runArgs: ir.dockerRunArgs } };
}

/** Per namespace: the node options its settings come from, as a user wrote them, and the backend that honours them. */
const NAMESPACES: { [N in keyof Required<BackendSettings>]: { options(s: Required<BackendSettings>[N]): string[]; backend: string } } = {
  docker: {
    options: (s) => [...(s.requiresDocker ? ['requiresDocker'] : []), ...(s.runArgs.length ? ['dockerRunArgs'] : [])],
    backend: 'Docker',
  },
};

/** Throws one RuntimeOptionError when the node asks for GPUs and `runtime` cannot give them (capabilities.gpus false). */
export function refuseGpus(gpu: number, path: string, runtime: RuntimeProvider): void {
  if (gpu > 0 && runtime.capabilities.gpus === false) {
    throw new RuntimeOptionError(`${path}: gpu is not supported by the ${runtime.name} runtime; remove it from this node (or from the group it inherits it from), or run the pipeline on the Docker runtime`, { path, flag: 'gpu' });
  }
}

/**
 * Throws one RuntimeOptionError when `settings` has a namespace `runtime` does not honour, naming the
 * node, the options and the runtime, and what to do.
 */
export function refuseUnhonoured(settings: BackendSettings, path: string, runtime: RuntimeProvider): void {
  const honoured = runtime.capabilities.backendSettings;
  for (const ns of Object.keys(settings) as (keyof BackendSettings)[]) {
    const given = settings[ns];
    if (given === undefined || honoured.includes(ns)) continue;
    const { options, backend } = NAMESPACES[ns];
    const named = options(given);
    const [them, are] = named.length > 1 ? ['them', 'are'] : ['it', 'is'];
    throw new RuntimeOptionError(
      `${path}: ${named.join(' and ')} ${are} ${backend}-only, and the ${runtime.name} runtime does not honour ${backend} settings; remove ${them} from this node (or from the group it inherits ${them} from), or run the pipeline on the ${backend} runtime`,
      { path, flag: named[0]! },
    );
  }
}

/**
 * What `runtime` would refuse in `ir` before running it: one message per Exec that asks for GPUs it cannot
 * give or for settings it does not honour (the errors those nodes would fail with). For `caisson run --dry-run`.
 */
export function refusedNodes(ir: PipelineIR, runtime: RuntimeProvider): Array<{ path: string; message: string }> {
  const refused: Array<{ path: string; message: string }> = [];
  for (const { node, path } of execNodes(ir.root)) {
    try {
      refuseUnhonoured(backendSettingsOf(node), path, runtime);
      refuseGpus(node.gpu, path, runtime);
    } catch (e) {
      if (!(e instanceof RuntimeOptionError)) throw e;
      refused.push({ path, message: e.message });
    }
  }
  return refused;
}
