// How a cache hit reads in the live tree, the plain lines and `caisson show`: "done (cached)", and the
// run whose result it reused where there is room for it.
import { strict as assert } from 'node:assert';
import { compile, pipeline, type PipelineIR } from '../../../core/index.ts';
import type { NodeStatus, RunEvent } from '../../../core/index.ts';
import { renderFrame } from '../../../cli/tty-frame.ts';
import { liveStateOf, LiveStateUpdater } from '../../../cli/tty-state.ts';
import { PlainReporter } from '../../../cli/plain-reporter.ts';
import { renderStatusTree } from '../../../cli/records/status-tree.ts';

const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
// Compiled at first use, not while the file loads (mutation testing would count the DSL it runs as static).
let compiled: PipelineIR | undefined;
const ir = (): PipelineIR => (compiled ??= compile(pipeline('ci').exec('build', 'make', { cache: true }).exec('deploy', 'x')));
const cached = { runId: '20261130-101010-ab12', at: T0 - 86_400_000 };
const events: RunEvent[] = [
  { type: 'state', at: T0, path: '/ci', state: 'running', previous: 'pending', skipped: false, attempt: 1 },
  { type: 'state', at: T0, path: '/ci/build', state: 'running', previous: 'queued', skipped: false, attempt: 1 },
  { type: 'state', at: T0 + 20, path: '/ci/build', state: 'done', previous: 'running', skipped: false, attempt: 1, exitCode: 0, cacheKey: 'k'.repeat(64), cached },
];

describe('cli: a cache hit in the tree, the plain lines and show', () => {
  it('the live tree says done (cached)', () => {
    const st = liveStateOf(ir());
    const up = new LiveStateUpdater(st);
    up.apply({ type: 'run-started', at: T0, runId: 'r2', pipeline: 'ci' });
    for (const e of events) up.apply(e);
    const lines = renderFrame(st, { now: T0 + 100, width: 80, height: 24, color: false });
    assert.ok(lines.includes('  build  done (cached)  0.0s'), lines.join('\n'));
    assert.ok(lines.includes('  deploy  pending'), lines.join('\n'));
  });

  it('the plain lines name the run whose result was reused', () => {
    const out: string[] = [];
    const plain = new PlainReporter((l) => out.push(l));
    for (const e of events) plain.onEvent(e);
    assert.equal(out.at(-1), `12:00:00.020  /ci/build  done (cached) from run ${cached.runId}`);
  });

  it('show says done (cached) from run …', () => {
    const statuses: Record<string, NodeStatus> = {
      '/ci': { state: 'running', skipped: false, attempt: 1, startedAt: T0 },
      '/ci/build': { state: 'done', skipped: false, attempt: 1, startedAt: T0, endedAt: T0 + 20, exitCode: 0, cached },
    };
    const text = renderStatusTree(ir(), statuses, { color: false, now: T0 + 100 });
    assert.match(text, new RegExp(`├─0 build  done \\(cached\\)  from run ${cached.runId}  attempt 1  12:00:00  0\\.0s`));
  });
});
