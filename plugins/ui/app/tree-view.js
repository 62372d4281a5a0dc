// The run's tree, virtualised: only the rows in view (and a few around) are in the DOM, so a 10,000-node
// run scrolls and updates as fast as a small one. Each row: state, name, elapsed time, attempt, reason.
import { html, useEffect, useRef, useState } from '/vendor/preact-htm.js';
import { foldSummary } from './tree-model.js';
import { durationOf, reasonOf } from './util.js';

export const ROW = 26;
const OVERSCAN = 12;

/** Keeps track of a scroll box's position and height (for virtualised lists). */
export function useViewport(ref) {
  const [view, setView] = useState({ top: 0, height: 800 });
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    let frame = 0;
    const update = () => { frame = 0; setView({ top: el.scrollTop, height: el.clientHeight }); };
    const onScroll = () => { if (!frame) frame = requestAnimationFrame(update); };
    el.addEventListener('scroll', onScroll, { passive: true });
    const ro = new ResizeObserver(onScroll);
    ro.observe(el);
    update();
    return () => { el.removeEventListener('scroll', onScroll); ro.disconnect(); cancelAnimationFrame(frame); };
  }, [ref.current]);
  return view;
}

function Row({ row, s, selected, now, onSelect, onToggle }) {
  const n = row.node;
  const state = s?.state ?? 'pending';
  const container = n.kind !== 'exec';
  const reason = reasonOf(s);
  return html`<div class=${`row${selected ? ' selected' : ''}${s?.skipped ? ' skipped' : ''}`} style=${`padding-left:${8 + n.depth * 16}px`}
      data-path=${n.path} data-state=${state} data-skipped=${s?.skipped ? 'true' : 'false'} onClick=${() => onSelect(n.path)}>
    <span class="caret" onClick=${(e) => { if (container) { e.stopPropagation(); onToggle(n.path); } }}>${container ? (row.folded ? '▸' : '▾') : ''}</span>
    <span class=${`dot ${state}`} title=${state}></span>
    <span class=${`kind ${n.kind}`}>${n.kind === 'exec' ? '' : n.kind === 'serial' ? 'S' : 'P'}</span>
    <span class="name">${n.name}${row.folded ? html`<span class="fold"> ×${n.children.length} ${foldSummary(n, row.statuses)}</span>` : ''}${reason ? html`<span class="reason" title=${reason}>${reason}</span>` : ''}</span>
    <span class="state-word" data-cached=${s?.cached ? 'true' : 'false'}>${state}${s?.skipped ? ' (skipped)' : s?.cached ? ' (cached)' : ''}</span>
    <span class="attempt">${s?.attempt > 1 ? `#${s.attempt}` : ''}</span>
    <span class="time">${durationOf(s, now)}</span>
  </div>`;
}

/** The virtualised tree. */
export function TreeView({ rows, statuses, selected, now, onSelect, onToggle }) {
  const box = useRef(null);
  const view = useViewport(box);
  const first = Math.max(0, Math.floor(view.top / ROW) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((view.top + view.height) / ROW) + OVERSCAN);
  useEffect(() => {
    // Bring the selected row into view (next-error jumps, a deep link).
    const at = rows.findIndex((r) => r.node.path === selected);
    const el = box.current;
    if (at < 0 || !el) return;
    if (at * ROW < el.scrollTop || (at + 1) * ROW > el.scrollTop + el.clientHeight) el.scrollTop = Math.max(0, at * ROW - el.clientHeight / 3);
  }, [selected]);
  const shown = [];
  for (let i = first; i < last; i++) {
    const row = rows[i];
    row.statuses = statuses;
    shown.push(html`<${Row} key=${row.node.path} row=${row} s=${statuses[row.node.path]} selected=${row.node.path === selected} now=${now} onSelect=${onSelect} onToggle=${onToggle} />`);
  }
  return html`<div class="tree" ref=${box} data-testid="tree" data-rows=${rows.length}>
    <div style=${`height:${rows.length * ROW}px;position:relative`}>
      <div style=${`position:absolute;top:${first * ROW}px;left:0;right:0`}>${shown}</div>
    </div>
  </div>`;
}
