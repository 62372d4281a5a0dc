// The timeline (Gantt) of nodes and attempts: one row per visible node, one bar per attempt from its
// start to its end (or now), on a shared time axis, so where the time went and what ran side by side
// is seen at a glance. Virtualised like the tree. A Serial's or Parallel's bar is a thin band with no label
// (too thin for text).
import { html, useRef } from '/vendor/preact-htm.js';
import { ROW, useViewport } from './tree-view.js';
import { elapsed } from './util.js';

const LABEL = 240;
const OVERSCAN = 12;

/** The span of time the run covers: its first start to its last end (or now). */
function spanOf(attempts, now) {
  let start = Infinity;
  let end = 0;
  for (const list of Object.values(attempts)) {
    for (const a of list) {
      start = Math.min(start, a.startedAt);
      end = Math.max(end, a.endedAt ?? now);
    }
  }
  return start === Infinity ? { start: now, end: now + 1000 } : { start, end: Math.max(end, start + 1000) };
}

/** Axis ticks: about 8, on round steps. */
function ticks(span) {
  const total = span.end - span.start;
  const steps = [100, 250, 500, 1000, 2000, 5000, 10000, 15000, 30000, 60000, 120000, 300000, 600000, 1800000, 3600000];
  const step = steps.find((s) => total / s <= 8) ?? 7200000;
  const out = [];
  for (let t = 0; t <= total; t += step) out.push(t);
  return out;
}

export function Timeline({ rows, attempts, selected, now, onSelect }) {
  const box = useRef(null);
  const view = useViewport(box);
  const width = Math.max(300, (box.current?.clientWidth ?? 1000) - LABEL - 24);
  const span = spanOf(attempts, now);
  // The "now" line only while an attempt is in flight: a finished run's clock is stale.
  const live = Object.values(attempts).some((list) => list.some((a) => a.endedAt === undefined));
  const x = (t) => ((t - span.start) / (span.end - span.start)) * width;
  const first = Math.max(0, Math.floor(view.top / ROW) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((view.top + view.height) / ROW) + OVERSCAN);
  const shown = [];
  for (let i = first; i < last; i++) {
    const n = rows[i].node;
    const list = attempts[n.path] ?? [];
    shown.push(html`<div key=${n.path} class=${`tl-row${n.path === selected ? ' selected' : ''}`} data-path=${n.path} onClick=${() => onSelect(n.path)}>
      <div class="tl-label" style=${`padding-left:${6 + n.depth * 12}px`} title=${n.path}>${n.name}${rows[i].folded ? ` ×${n.children.length}` : ''}</div>
      <div class="tl-lane">
        ${list.map((a) => {
          const end = a.endedAt ?? now;
          const left = x(a.startedAt);
          const w = Math.max(2, x(end) - left);
          const state = a.endedAt === undefined ? a.state : a.state === 'pending' ? 'reset' : a.state;
          return html`<div class=${`bar ${state}${n.kind !== 'exec' ? ' group' : ''}`} data-attempt=${a.attempt} data-state=${state}
            style=${`left:${left}px;width:${w}px`} title=${`${n.path} attempt ${a.attempt}: ${state}, ${elapsed(end - a.startedAt)}${a.reason ? ` (${a.reason})` : ''}`}>${w > 60 && n.kind === 'exec' ? `#${a.attempt} ${elapsed(end - a.startedAt)}` : ''}</div>`;
        })}
      </div>
    </div>`);
  }
  return html`<div class="timeline" data-testid="timeline">
    <div class="tl-axis" style=${`margin-left:${LABEL}px`}>
      ${ticks(span).map((t) => html`<span class="tick" style=${`left:${x(span.start + t)}px`}>${t === 0 ? '0' : `+${elapsed(t)}`}</span>`)}
    </div>
    <div class="tl-body" ref=${box}>
      <div style=${`height:${rows.length * ROW}px;position:relative`}>
        <div style=${`position:absolute;top:${first * ROW}px;left:0;right:0`}>${shown}</div>
        ${live ? html`<div class="tl-now" style=${`left:${LABEL + x(now)}px;height:${rows.length * ROW}px`}></div>` : ''}
      </div>
    </div>
  </div>`;
}
