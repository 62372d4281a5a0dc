/**
 * A service wait in words, for states, errors, pretty() and the CLI: "http GET :8080/ → 200".
 */
import type { Wait } from './service-codecs.ts';

/** One line saying what the wait waits for: "http GET :8080/ → 200". */
export function describeWait(w: Wait): string {
  switch (w.kind) {
    case 'port': return `port ${w.port}`;
    case 'log': return `log /${w.regex}/${w.times > 1 ? ` ×${w.times}` : ''}`;
    case 'http': return `http GET :${w.port}${w.path} → ${w.status}`;
    case 'command': return `command ${typeof w.command === 'string' ? w.command : w.command.join(' ')}`;
    case 'healthcheck': return 'healthcheck';
    case 'all': return w.waits.map(describeWait).join(' and ');
  }
}

