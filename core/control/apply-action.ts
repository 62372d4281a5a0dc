/**
 * Applies a control action to a Run: the runner's live Run, or one restored from a record. The Run
 * does the state changes (and emits their events); this keeps the run's IR copy saying the same (skip
 * flags, edits), since ir.json is what a later restore or resume starts from.
 */
import type { ExecNode, Node } from '../ir/index.ts';
import type { Run } from '../engine/index.ts';
import { checkAction, execsUsing, nodeOf, normalisePath, type ControlAction } from './actions.ts';

/** What an applied action touched, for its log entry. */
export interface Applied {
  /** The node paths it was applied to. */
  paths: string[];
  /** Details worth keeping in the log (an edit's new command and env names, the rebuilt images). */
  detail?: Record<string, unknown>;
  /** True when the run's IR copy changed, so ir.json must be saved. */
  irChanged: boolean;
}

const forSubtree = (node: Node, visit: (n: Node) => void): void => {
  visit(node);
  if (node.kind !== 'exec') for (const c of node.children) forSubtree(c, visit);
};

/**
 * Applies `action` to `run` at once (see checkAction for what is refused).
 * @throws RunOperationError for an action the run's IR does not allow
 */
export function applyToRun(run: Run, action: ControlAction): Applied {
  checkAction(run.ir, action);
  switch (action.op) {
    case 'reset':
    case 'kill': {
      const path = normalisePath(action.path);
      // A reset that reaches a lazy node's generator takes its graft back to the placeholder: save that.
      const ungrafted = action.op === 'reset' ? run.reset(path) : (run.kill(path), false);
      return { paths: [path], irChanged: ungrafted };
    }
    case 'skip': {
      const path = normalisePath(action.path);
      run.skip(path);
      nodeOf(run.ir, path).skip = true;
      return { paths: [path], irChanged: true };
    }
    case 'unskip': {
      const path = normalisePath(action.path);
      run.unskip(path);
      forSubtree(nodeOf(run.ir, path), (n) => { n.skip = false; });
      return { paths: [path], irChanged: true };
    }
    case 'retry': {
      const under = normalisePath(action.path);
      const statuses = run.statuses();
      const failed = Object.keys(statuses).filter((p) => (p === under || p.startsWith(`${under}/`))
        && nodeOf(run.ir, p).kind === 'exec' && !statuses[p]!.skipped && (statuses[p]!.state === 'error' || statuses[p]!.state === 'killed'));
      let ungrafted = false;
      for (const p of failed) ungrafted = run.reset(p) || ungrafted;
      return { paths: failed, irChanged: ungrafted };
    }
    case 'edit': {
      const path = normalisePath(action.path);
      const node = nodeOf(run.ir, path) as ExecNode;
      const env = { ...node.env, ...action.env };
      for (const name of action.unsetEnv ?? []) delete env[name];
      run.edit(path, { ...(action.command !== undefined ? { command: action.command } : {}), ...(action.args !== undefined ? { args: action.args } : {}), env });
      const detail = {
        ...(action.command !== undefined ? { command: action.command } : {}),
        ...(action.args !== undefined ? { args: action.args } : {}),
        ...(action.env && Object.keys(action.env).length ? { envNames: Object.keys(action.env) } : {}),
        ...(action.unsetEnv?.length ? { unsetEnv: action.unsetEnv } : {}),
      };
      return { paths: [path], detail, irChanged: true };
    }
    case 'rebuild': {
      const names = Object.keys(action.images);
      run.useImages(Object.fromEntries(Object.entries(action.images).map(([n, r]) => [n, {
        ref: r.id ?? r.ref, ...(r.shell ? { shell: r.shell } : {}), ...(r.workdir ? { workdir: r.workdir } : {}),
      }])));
      // Rebuild-and-reset, as Conducto: what ran (or runs) on the old image runs again on the new one.
      const statuses = run.statuses();
      const users = execsUsing(run.ir, names).filter((p) => statuses[p]!.state !== 'pending');
      let ungrafted = false;
      for (const p of users) ungrafted = run.reset(p) || ungrafted;
      return { paths: users, detail: { images: names }, irChanged: ungrafted };
    }
  }
}
