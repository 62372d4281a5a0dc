// Small pure helpers shared by the views.

export const STATES = ['pending', 'queued', 'running', 'done', 'error', 'killed'];
export const LETTERS = { pending: 'P', queued: 'Q', running: 'R', done: 'D', error: 'E', killed: 'K' };

/** "0.4s", "12s", "3m05s", "1h02m", as the terminal shows them. */
export function elapsed(ms, running = false) {
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return running ? `${Math.floor(s)}s` : `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** The duration of a status, closed by `now` while it runs; '' when it never started. */
export function durationOf(s, now) {
  if (!s || s.startedAt === undefined) return '';
  return elapsed((s.endedAt ?? now) - s.startedAt, s.endedAt === undefined);
}

/** UTC date and time of an epoch ms, "2026-11-22 07:47:12". */
export const clock = (at) => (at ? new Date(at).toISOString().replace('T', ' ').slice(0, 19) : '');

/** UTC time of day. */
export const timeOfDay = (at) => (at ? new Date(at).toISOString().slice(11, 19) : '');

/** A command as one line of shell. */
export const commandText = (c) => (Array.isArray(c) ? c.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ') : c);

/** Counts of statuses by state. */
export function countStates(statuses) {
  const counts = { pending: 0, queued: 0, running: 0, done: 0, error: 0, killed: 0 };
  for (const s of Object.values(statuses)) counts[s.state]++;
  return counts;
}

/** The reason worth showing (the plain "exit code N" is said by the exit code already). */
export const reasonOf = (s) => (s?.reason && s.reason !== `exit code ${s.exitCode}` ? s.reason : s?.exitCode ? `exit ${s.exitCode}` : s?.result !== undefined ? `returned ${s.result}` : '');
