// The in-browser debug shell: xterm.js over a WebSocket to a debug container made exactly as
// `caisson debug` makes one (the node's image, env, working dir, its command in /caisson/cmd.sh).
// Closing the panel or the tab closes the socket, and the server removes the container.
import { html, useEffect, useRef, useState } from '/vendor/preact-htm.js';
import { Terminal } from '/vendor/xterm.js';
import { FitAddon } from '/vendor/addon-fit.js';
import { runUrl } from './api.js';

export function Shell({ runId, path, onClose }) {
  const box = useRef(null);
  const [status, setStatus] = useState('starting a debug container…');
  useEffect(() => {
    const term = new Terminal({ fontSize: 13, fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', cursorBlink: true, theme: { background: '#0f1419' } });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(box.current);
    fit.fit();
    const q = new URLSearchParams({ path, cols: String(term.cols), rows: String(term.rows) });
    const ws = new WebSocket(`ws://${location.host}${runUrl(runId)}/shell?${q}`);
    ws.binaryType = 'arraybuffer';
    // "connected" once the shell itself speaks, not when the socket opens (the container may still be starting).
    ws.onopen = () => setStatus('starting a debug container…');
    ws.onmessage = (e) => {
      if (typeof e.data === 'string') { term.write(e.data); setStatus('connected'); return; }
      const msg = JSON.parse(new TextDecoder().decode(e.data));
      if (msg.type === 'exit') setStatus(`the shell exited (code ${msg.code}); the container is removed`);
      if (msg.type === 'error') setStatus(`could not start the debug container: ${msg.message}`);
    };
    ws.onclose = () => setStatus((s) => (s === 'connected' ? 'disconnected; the container is removed' : s));
    const input = term.onData((data) => { if (ws.readyState === 1) ws.send(JSON.stringify({ type: 'input', data })); });
    const resize = () => { fit.fit(); if (ws.readyState === 1) ws.send(JSON.stringify({ type: 'resize', cols: term.cols, rows: term.rows })); };
    const ro = new ResizeObserver(resize);
    ro.observe(box.current);
    term.focus();
    return () => { ro.disconnect(); input.dispose(); ws.close(); term.dispose(); };
  }, [runId, path]);
  return html`<div class="shell" data-testid="shell">
    <div class="shell-bar"><span data-testid="shell-status">${status}</span><button class="small" onClick=${onClose}>close shell</button></div>
    <div class="term" ref=${box}></div>
  </div>`;
}
