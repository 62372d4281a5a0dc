/**
 * The run's node tree: builds RunNodes from the IR, changes Exec states and skip flags, re-derives the
 * ancestors and emits a `state` event for every change it causes.
 */
import type { Node } from '../ir/index.ts';
import { childPath } from '../ir/index.ts';
import { NodeNotFoundError } from '../errors.ts';
import type { Clock } from './clock.ts';
import type { CachedMark, NodeState, RetryMark, RunEvent } from './events.ts';
import type { FailureClass } from '../options/retry-option.ts';
import { FINISHED_STATES } from './events.ts';
import type { NodeStatus } from './types.ts';
import type { RunExec, RunGroup, RunNode } from './run-node.ts';
import { isSkipped } from './run-node.ts';
import { deriveContainerState, emptyCounts, IN_PROGRESS } from './derive.ts';
import { restoreExecStatus } from './restore.ts';

/** What consumers see: an Exec's state, or a container's last announced state (see RunNode.shown). */
export const shownState = (n: RunNode): NodeState => (n.kind === 'exec' ? n.state : n.shown);

/** What an Exec's state change carries besides the state (see RunTree.setExecState). */
export interface ExecStateDetail {
  /** Why it is in the state. */
  reason?: string;
  /** The exit code of the attempt that ended. */
  exitCode?: number;
  /** How the attempt's failure was classified. */
  failure?: FailureClass;
  /** A native call's return value, tagged JSON text. */
  result?: string | undefined;
  /** A new attempt starts (the attempt number goes up). */
  newAttempt?: boolean;
  /** The node's new place in a retry series. */
  retry?: RetryMark;
  /** Going to pending keeps the node's retry series (cancel during a retry's wait). */
  keepRetry?: boolean;
  /** A cached Exec's key for the attempt. */
  cacheKey?: string;
  /** The attempt ended with a stored result. */
  cached?: CachedMark;
  /** A reset: the next attempt does not look the cache up. */
  bypassCache?: boolean;
}

/** Callbacks the Run gives its tree, so reuse groups and the scheduler hear about changes as they happen. */
export interface TreeHooks {
  /** A node's state changed (Execs and containers alike). */
  stateChanged(node: RunNode, previous: NodeState): void;
  /** A child of this group changed state or skip flag. */
  childChanged(parent: RunGroup, child: RunNode): void;
}

/**
 * The run's mutable node tree: the single place node states and skip flags change, so derived parent
 * states and `state` events can never disagree.
 */
export class RunTree {
  /** The pipeline's root node. */
  readonly root: RunNode;
  /** Every node, in tree order. */
  readonly nodes: RunNode[] = [];
  private readonly byPath = new Map<string, RunNode>();
  private readonly dirty = new Set<RunGroup>();

  constructor(
    root: Node,
    private readonly clock: Clock,
    private readonly emit: (e: RunEvent) => void,
    private readonly hooks: TreeHooks,
    private readonly initial: Record<string, NodeStatus> = {},
  ) {
    this.root = this.build(root, undefined, 0, initial);
  }

  // Attempt counts of nodes a graft took out (by path), so a regenerated node at a path goes on counting.
  private readonly retired = new Map<string, number>();

  /** The node at `path`; NodeNotFoundError names the path otherwise. */
  get(path: string): RunNode {
    const normalised = '/' + path.split('/').filter(Boolean).join('/');
    const node = this.byPath.get(normalised);
    if (!node) throw new NodeNotFoundError(path, this.root.children.map((c) => c.path).concat(this.root.path));
    return node;
  }

  /** A snapshot of one node's status. */
  statusOf(n: RunNode, skipped = isSkipped(n)): NodeStatus {
    const s: NodeStatus = { state: shownState(n), skipped, attempt: n.attempt };
    if (n.startedAt !== undefined) s.startedAt = n.startedAt;
    if (n.endedAt !== undefined) s.endedAt = n.endedAt;
    if (n.reason !== undefined) s.reason = n.reason;
    if (n.exitCode !== undefined) s.exitCode = n.exitCode;
    if (n.failure !== undefined) s.failure = n.failure;
    if (n.retry !== undefined) s.retry = { ...n.retry };
    if (n.cacheKey !== undefined) s.cacheKey = n.cacheKey;
    if (n.cached !== undefined) s.cached = { ...n.cached };
    if (n.bypassCache) s.bypassCache = true;
    if (n.result !== undefined) s.result = n.result;
    return s;
  }

  /** Snapshots of every node, keyed by path (one pass, skip flags handed down). */
  statuses(): Record<string, NodeStatus> {
    const out: Record<string, NodeStatus> = {};
    const visit = (n: RunNode, skipped: boolean) => {
      const here = skipped || n.skipFlag;
      out[n.path] = this.statusOf(n, here);
      for (const c of n.children) visit(c, here);
    };
    visit(this.root, false);
    return out;
  }

  /**
   * Moves an Exec to `state`, stamping times and attempt, then re-derives its ancestors. Going to
   * pending ends a retry series unless `keepRetry` (a cancel during a retry's wait, so resume goes on).
   */
  setExecState(n: RunExec, state: NodeState, detail: ExecStateDetail = {}): void {
    // An attempt that ends after a graft replaced its subtree: its node is gone, nothing to change.
    if (n.detached) return;
    const previous = n.state;
    n.state = state;
    n.reason = detail.reason;
    n.exitCode = detail.exitCode;
    n.failure = detail.failure;
    n.result = detail.result;
    if (detail.retry) n.retry = detail.retry;
    else if (state === 'pending' && !detail.keepRetry) n.retry = undefined;
    if (detail.newAttempt) { n.attempt++; n.startedAt = this.clock.now(); n.endedAt = undefined; n.cached = undefined; }
    if (state === 'pending') { n.cacheKey = undefined; n.cached = undefined; }
    if (detail.cacheKey !== undefined) n.cacheKey = detail.cacheKey;
    if (detail.cached !== undefined) n.cached = detail.cached;
    // The bypass lasts until the attempt it was for has ended.
    if (detail.bypassCache && n.ir.cache) n.bypassCache = true;
    else if (FINISHED_STATES.has(state)) n.bypassCache = undefined;
    if (FINISHED_STATES.has(state)) n.endedAt = this.clock.now();
    if (state === 'pending') { n.startedAt = undefined; n.endedAt = undefined; }
    this.emitState(n, previous);
    this.hooks.stateChanged(n, previous);
    this.propagate(n, previous, n.skipFlag);
  }

  /** Sets or clears the skip flag on one node; emits for every node whose skipped twin flips. */
  setSkipFlag(n: RunNode, flag: boolean): void {
    if (n.skipFlag === flag) return;
    const coveredAbove = isSkipped(n.parent);
    n.skipFlag = flag;
    if (!coveredAbove) {
      const visit = (d: RunNode) => {
        if (d !== n && d.skipFlag) return; // still skipped through its own flag
        this.emitState(d, shownState(d));
        for (const c of d.children) visit(c);
      };
      visit(n);
    }
    this.propagate(n, n.state, !flag);
  }

  private emitState(n: RunNode, previous: NodeState): void {
    this.emit({
      type: 'state', at: this.clock.now(), path: n.path, state: shownState(n), previous, skipped: isSkipped(n),
      attempt: n.attempt,
      ...(n.reason !== undefined ? { reason: n.reason } : {}),
      ...(n.exitCode !== undefined ? { exitCode: n.exitCode } : {}),
      ...(n.failure !== undefined ? { failure: n.failure } : {}),
      ...(n.retry !== undefined ? { retry: { ...n.retry } } : {}),
      ...(n.cacheKey !== undefined ? { cacheKey: n.cacheKey } : {}),
      ...(n.cached !== undefined ? { cached: { ...n.cached } } : {}),
      ...(n.bypassCache ? { bypassCache: true as const } : {}),
      ...(n.result !== undefined ? { result: n.result } : {}),
    });
  }

  /** Updates the parents' counts and states, walking up while states keep changing; flush() announces them. */
  private propagate(child: RunNode, prevState: NodeState, prevFlag: boolean): void {
    for (let c = child, ps = prevState, pf = prevFlag; c.parent; ) {
      const p = c.parent;
      if (!pf) p.counts[ps]--;
      if (!c.skipFlag) p.counts[c.state]++;
      if (c.index < p.cursor) p.cursor = c.index;
      this.hooks.childChanged(p, c);
      const before = p.state;
      p.state = deriveContainerState(p);
      if (p.state === before) return;
      this.dirty.add(p);
      c = p; ps = before; pf = p.skipFlag;
    }
  }

  /** True when some container changed state since the last flush(). */
  get unsettled(): boolean { return this.dirty.size > 0; }

  /** Announces container state changes of the settled batch, deepest first. */
  flush(): void {
    if (this.dirty.size === 0) return;
    const changed = [...this.dirty].sort((a, b) => b.depth - a.depth);
    this.dirty.clear();
    for (const p of changed) {
      const previous = p.shown;
      if (p.state === previous) continue;
      p.shown = p.state;
      this.stampContainer(p, previous);
      this.emitState(p, previous);
      this.hooks.stateChanged(p, previous);
    }
  }

  /** A container starts an attempt when it goes into progress, and ends one when it finishes. */
  private stampContainer(p: RunGroup, before: NodeState): void {
    const now = this.clock.now();
    if (IN_PROGRESS(p.state) && !IN_PROGRESS(before)) { p.attempt++; p.startedAt = now; p.endedAt = undefined; }
    if (FINISHED_STATES.has(p.state)) p.endedAt = now;
    if (p.state === 'pending' && !IN_PROGRESS(before)) { p.startedAt = undefined; p.endedAt = undefined; }
  }

  /**
   * Puts `ir` where `old` is (a lazy node's graft point: a graft, or a reset back to the placeholder),
   * in the tree and in the run's IR copy. Nodes of the new subtree at paths the old one had keep their
   * attempt counts, so a regenerated node's output goes to a new attempt file.
   */
  replace(old: RunNode, ir: Node): RunNode {
    const parent = old.parent;
    if (!parent) throw new Error(`cannot replace the root ${old.path}`);
    const detach = (d: RunNode) => {
      d.detached = true;
      this.byPath.delete(d.path);
      if (d.attempt > 0) this.retired.set(d.path, Math.max(d.attempt, this.retired.get(d.path) ?? 0));
      for (const c of d.children) detach(c);
    };
    detach(old);
    const carried: Record<string, NodeStatus> = {};
    const carry = (n: Node, path: string) => {
      const attempt = Math.max(this.retired.get(path) ?? 0, this.initial[path]?.attempt ?? 0);
      if (attempt > 0) carried[path] = { state: 'pending', skipped: false, attempt };
      if (n.kind !== 'exec') for (const c of n.children) carry(c, childPath(path, c.name));
    };
    carry(ir, old.path);
    const fresh = this.build(ir, parent, old.index, carried);
    parent.children[old.index] = fresh;
    parent.ir.children[old.index] = ir;
    this.nodes.length = 0;
    const collect = (d: RunNode) => { this.nodes.push(d); for (const c of d.children) collect(c); };
    collect(this.root);
    // Said once for the graft point itself (a reset back to the placeholder is pending again).
    if (shownState(fresh) !== shownState(old)) this.emitState(fresh, shownState(old));
    this.propagate(fresh, old.state, old.skipFlag);
    return fresh;
  }

  private build(ir: Node, parent: RunGroup | undefined, index: number, initial: Record<string, NodeStatus>): RunNode {
    const path = childPath(parent?.path ?? '', ir.name);
    const given = initial[path];
    const common = {
      path, parent, index, depth: parent ? parent.depth + 1 : 0,
      state: 'pending', shown: 'pending', attempt: given?.attempt ?? 0,
      // A restored skipped twin inherited from an ancestor stays on the ancestor only.
      skipFlag: ir.skip || (given?.skipped === true && !isSkipped(parent)),
    } as const;
    if (ir.kind === 'exec') {
      const e: RunExec = { ...common, kind: 'exec', ir, children: [] };
      this.add(e);
      if (given) restoreExecStatus(e, given);
      return e;
    }
    const n: RunGroup = { ...common, kind: ir.kind, ir, children: [], counts: emptyCounts(), cursor: 0 };
    this.add(n);
    ir.children.forEach((c, i) => n.children.push(this.build(c, n, i, initial)));
    for (const c of n.children) if (!c.skipFlag) n.counts[c.state]++;
    n.state = n.shown = deriveContainerState(n);
    if (given) { n.startedAt = given.startedAt; n.endedAt = FINISHED_STATES.has(n.state) ? given.endedAt : undefined; }
    return n;
  }

  private add(n: RunNode): void {
    this.nodes.push(n);
    this.byPath.set(n.path, n);
  }
}
