/**
 * Drives a command in a real terminal: a detached tmux session of a fixed size, keys sent as a user
 * types them, the screen read back. For the live tree and the interactive debug shell.
 */
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });

export class Terminal {
  private static next = 0;
  readonly name = `caisson-test-${process.pid}-${Terminal.next++}`;

  /** Starts `command` (a shell line) in a new terminal of `width`×`height` in `cwd`. */
  constructor(command: string, opts: { cwd: string; width?: number; height?: number; env?: Record<string, string> }) {
    const env = Object.entries(opts.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    // remain-on-exit keeps the last screen readable after the command ends.
    tmux('new-session', '-d', '-s', this.name, '-x', String(opts.width ?? 100), '-y', String(opts.height ?? 30), '-c', opts.cwd, ...env, command);
    tmux('set-option', '-t', this.name, 'remain-on-exit', 'on');
  }

  /** The visible screen, trailing blank lines removed. */
  screen(): string {
    return tmux('capture-pane', '-p', '-t', this.name).replace(/\n+$/, '');
  }

  /** Types `text` literally, then Enter unless `enter` is false. */
  type(text: string, enter = true): void {
    tmux('send-keys', '-t', this.name, '-l', text);
    if (enter) tmux('send-keys', '-t', this.name, 'Enter');
  }

  /** True once the command has exited. */
  exited(): boolean {
    return tmux('display-message', '-p', '-t', this.name, '#{pane_dead}').trim() === '1';
  }

  /** Waits until the screen matches `pattern`; throws with the screen after `timeoutMs`. */
  async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const s = this.screen();
      if (pattern.test(s)) return s;
      if (Date.now() > end) throw new Error(`terminal never showed ${pattern}; screen:\n${s}`);
      await sleep(100);
    }
  }

  /** Ends the session (killing the command if it still runs). */
  close(): void {
    try { tmux('kill-session', '-t', this.name); } catch { /* already gone */ }
  }
}
