/**
 * caisson's local web UI: a server on 127.0.0.1 (node:http, SSE, and `ws` for the debug shell: the one
 * place that imports an HTTP/WebSocket library) and its static app (Preact + htm, no build step). The
 * `caisson ui` and `caisson run --ui` commands start it; tests and tools may too.
 */
export { startUiServer } from './ui-server.ts';
export type { UiServer, UiServerOptions } from './ui-server.ts';
export type { RunSource } from './run-api.ts';
export type { UiHooks, ShellSession } from './hooks.ts';
