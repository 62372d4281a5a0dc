/**
 * What the live terminal tree shows, kept up to date from run and image events: one row per node in
 * tree order with its state and times, the last line each node printed, and the latest image build
 * step of each image being built. Plain data, so the frame can be a pure function of it.
 */
import { foldStatus, type ImageEvent, type Node, type NodeStatus, type PipelineIR, type RunEvent } from '../core/plugin-kit.ts';

/** One node of the tree as the terminal shows it. */
export interface LiveNode extends NodeStatus {
  path: string;
  name: string;
  depth: number;
  kind: Node['kind'];
  /** Indexes (into LiveState.nodes) of the children, in order. */
  children: number[];
  /** The latest complete (or partial) line of output, control characters removed. */
  lastLine?: string;
  /** Set on a service's row (its name is shown "◆ name"). */
  isService?: true;
}

export interface LiveState {
  pipeline: string;
  runId?: string;
  startedAt?: number;
  finishedAt?: number;
  /** Nodes in tree order; nodes[0] is the root. */
  nodes: LiveNode[];
  /** Image name → its latest build line, while resolving images. */
  images: Map<string, string>;
}

/** A fresh state for `ir`: every node pending. */
export function liveStateOf(ir: PipelineIR): LiveState {
  const nodes: LiveNode[] = [];
  addRows(nodes, ir.root, `/${ir.root.name}`, 0);
  return { pipeline: ir.name, nodes, images: new Map() };
}

/** Appends the rows of `n` and its subtree (a placeholder row under an ungrafted lazy node); its index. */
function addRows(nodes: LiveNode[], n: Node, path: string, depth: number, kept?: (path: string) => LiveNode | undefined): number {
  const index = nodes.length;
  const old = kept?.(path);
  const row: LiveNode = old ? { ...old, children: [] } : { path, name: n.name, depth, kind: n.kind, children: [], state: 'pending', skipped: n.skip, attempt: 0 };
  nodes.push(row);
  if (n.kind === 'exec') return index;
  // A group's services first, as leaf rows: they start before its first Exec.
  for (const s of n.services ?? []) {
    const at = `${path}/${s.name}`;
    const keptRow = kept?.(at);
    row.children.push(nodes.length);
    nodes.push(keptRow ? { ...keptRow, children: [] } : { path: at, name: `◆ ${s.name}`, depth: depth + 1, kind: 'exec', children: [], state: 'pending', skipped: false, attempt: 0, isService: true });
  }
  for (const c of n.children) row.children.push(addRows(nodes, c, `${path}/${c.name}`, depth + 1, kept));
  if (n.kind === 'serial' && n.placeholder !== undefined && n.children.length === 0) {
    row.children.push(nodes.length);
    nodes.push({ path: `${path}/…`, name: `… ${n.placeholder}`, depth: depth + 1, kind: 'exec', children: [], state: 'pending', skipped: false, attempt: 0 });
  }
  return index;
}

/** The most of a line the live tree keeps (its end): more than any terminal is wide. */
const LAST_LINE = 500;

// eslint-disable-next-line no-control-regex
const CONTROL = /\x1b\[[0-9;?]*[ -/]*[@-~]|[\x00-\x08\x0b-\x1f\x7f]/g;

/** Applies run events to a state; returns whether anything shown changed. */
export class LiveStateUpdater {
  private readonly byPath = new Map<string, LiveNode>();
  private readonly partial = new Map<string, string>();

  constructor(readonly state: LiveState) {
    for (const n of state.nodes) this.byPath.set(n.path, n);
  }

  /** Applies one run event. */
  apply(e: RunEvent): boolean {
    switch (e.type) {
      case 'run-started':
        this.state.runId = e.runId;
        this.state.startedAt = e.at;
        this.state.images.clear();
        return true;
      case 'run-finished':
        this.state.finishedAt = e.at;
        return true;
      case 'state': {
        const n = this.byPath.get(e.path);
        if (!n) return false;
        if (e.state === 'running' && n.state !== 'running') n.lastLine = undefined;
        // The one fold of state events (core/store), so the live tree and `caisson show` agree.
        const { state, skipped, attempt, startedAt, endedAt, reason, exitCode, cached, result, service } = foldStatus(n, e);
        Object.assign(n, { state, skipped, attempt, startedAt, endedAt, reason, exitCode, cached, result, service });
        return true;
      }
      case 'graft':
        this.graft(e.path, e.node);
        return true;
      case 'output': {
        const n = this.byPath.get(e.path);
        if (!n) return false;
        const last = this.lastLineOf(e.path, e.data);
        if (last === undefined || last === n.lastLine) return false;
        n.lastLine = last;
        return true;
      }
      default:
        return false;
    }
  }

  /**
   * The last non-empty line once `data` is added to what `path` printed, control characters removed,
   * at most LAST_LINE characters (its end). Looks only at the chunk's last lines, not all of them, and
   * keeps at most LAST_LINE characters of an unfinished line, so any output costs linear time.
   */
  private lastLineOf(path: string, data: string): string | undefined {
    const clean = (line: string) => line.slice(-LAST_LINE).replace(CONTROL, '').trim();
    const before = this.partial.get(path) ?? '';
    const nl = data.lastIndexOf('\n');
    const rest = nl < 0 ? before + data : data.slice(nl + 1);
    this.partial.set(path, rest.slice(-LAST_LINE));
    const unfinished = clean(rest);
    if (unfinished || nl < 0) return unfinished || undefined;
    // The unfinished line is empty: the latest finished one that is not, walking back from the end.
    for (let end = nl; end >= 0;) {
      const start = end === 0 ? -1 : data.lastIndexOf('\n', end - 1);
      const line = clean(start < 0 ? before + data.slice(0, end) : data.slice(start + 1, end));
      if (line) return line;
      end = start;
    }
    return undefined;
  }

  /** A lazy node's subtree was grafted at `path`: its rows replace the placeholder's, the others are kept. */
  private graft(path: string, node: Node): void {
    const rows = this.state.nodes;
    const nodes: LiveNode[] = [];
    const copy = (i: number): number => {
      const row = rows[i]!;
      if (row.path === path) return addRows(nodes, node, path, row.depth);
      const index = nodes.length;
      const next = { ...row, children: [] as number[] };
      nodes.push(next);
      for (const c of row.children) next.children.push(copy(c));
      return index;
    };
    copy(0);
    this.state.nodes = nodes;
    this.byPath.clear();
    for (const n of nodes) this.byPath.set(n.path, n);
  }

  /** Applies one image event: keeps the latest step or log line per image. */
  applyImage(e: ImageEvent): boolean {
    const line = e.type === 'image-cached' || e.type === 'image-push-cached' ? undefined
      : e.type === 'image-build' ? `building ${e.tag}`
        : e.type === 'image-step' ? `${e.cached ? 'CACHED ' : ''}${e.step}`
          : e.type === 'image-log' ? `| ${e.line}`
            : e.type === 'image-pushed' ? `pushed in ${e.seconds.toFixed(1)}s`
              : `built in ${e.seconds.toFixed(1)}s`;
    if (line === undefined) return false;
    this.state.images.set(e.image, line.replace(CONTROL, ''));
    return true;
  }
}
