// How services show in the CLI: `caisson show`'s tree (phase words, ◆ first in their group), the live
// tree's rows (what a starting service waits for), the plain log lines, and a record whose runner died.
import { strict as assert } from 'node:assert';
import { compile, pipeline, settledStatuses, type PipelineIR } from '../../../core/plugin-kit.ts';
import type { NodeStatus, RunEvent } from '../../../core/index.ts';
import { renderStatusTree } from '../../../cli/records/status-tree.ts';
import { renderFrame } from '../../../cli/tty-frame.ts';
import { liveStateOf, LiveStateUpdater } from '../../../cli/tty-state.ts';
import { PlainReporter } from '../../../cli/plain-reporter.ts';

const T0 = Date.UTC(2026, 0, 1, 7, 0, 0);
// Compiled at first use, not while the file loads (mutation testing would count the DSL it runs as static).
let compiled: PipelineIR | undefined;
const ir = (): PipelineIR => (compiled ??= compile(pipeline('p', { image: 'busybox:latest' })
  .serial('t', (s) => s.service('web', { ports: 8080, wait: { http: '/' } }).exec('get', 'wget -qO- http://web:8080/'))));
const svc = (phase: 'starting' | 'ready' | 'stopped' | 'failed', extra: object = {}): RunEvent => ({
  type: 'state', at: T0 + 1000, path: '/p/t/web', previous: 'pending', skipped: false, attempt: 1, service: phase,
  state: phase === 'stopped' ? 'done' : phase === 'failed' ? 'error' : 'running', ...extra,
}) as RunEvent;

describe('cli: services in the tree', () => {
  it('caisson show lists the service first in its group, with its phase as the word', () => {
    const statuses: Record<string, NodeStatus> = {
      '/p/t/web': { state: 'error', service: 'failed', skipped: false, attempt: 1, startedAt: T0, endedAt: T0 + 2000, exitCode: 3, reason: 'exited with code 3 before it was ready' },
    };
    const text = renderStatusTree(ir(), settledStatuses(ir(), statuses, false), { color: false, now: T0 + 5000 });
    assert.deepEqual(text.split('\n').slice(1), [
      '└─0 t  pending',
      '  ├─◆ web  failed  attempt 1  07:00:00  2.0s (exit 3): exited with code 3 before it was ready',
      '  └─0 get  pending',
    ]);
  });

  it('a service its runner left starting or ready shows failed (interrupted) once the runner is gone', () => {
    const statuses: Record<string, NodeStatus> = { '/p/t/web': { state: 'running', service: 'ready', skipped: false, attempt: 1, startedAt: T0 } };
    assert.equal(settledStatuses(ir(), statuses, true)['/p/t/web']?.service, 'ready', 'while its runner works');
    const gone = settledStatuses(ir(), statuses, false)['/p/t/web']!;
    assert.deepEqual([gone.state, gone.service], ['error', 'failed']);
  });

  it('the live tree has a row per service; a starting one says what it waits for', () => {
    const st = liveStateOf(ir());
    const up = new LiveStateUpdater(st);
    up.apply({ type: 'run-started', at: T0, runId: 'r1', pipeline: 'p' });
    up.apply(svc('starting', { reason: 'waiting for http GET :8080/ → 200' }));
    const lines = renderFrame(st, { now: T0 + 3000, width: 100, height: 20, color: false });
    assert.ok(lines.some((l) => /^ {4}◆ web {2}starting {2}2s {2}waiting for http GET :8080\/ → 200$/.test(l)), lines.join('\n'));
    up.apply(svc('ready'));
    assert.ok(renderFrame(st, { now: T0 + 3000, width: 100, height: 20, color: false }).some((l) => /◆ web {2}ready/.test(l)));
  });

  it('the plain log says "service <phase>"', () => {
    const lines: string[] = [];
    const r = new PlainReporter((l) => lines.push(l), false);
    r.onEvent(svc('starting', { reason: 'waiting for http GET :8080/ → 200' }));
    r.onEvent(svc('ready'));
    assert.deepEqual(lines.map((l) => l.slice(14)), ['/p/t/web  service starting: waiting for http GET :8080/ → 200', '/p/t/web  service ready']);
  });
});
