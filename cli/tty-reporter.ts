/**
 * The reporter for a terminal: a live tree redrawn in place (at most 10 times a second, and only when
 * the frame changed), then the final tree, the same summary and failing-node tails as the plain
 * reporter. Hand-written ANSI rather than a library: the only escapes needed are "cursor up N",
 * "erase line" and "erase below", and owning them is what guarantees the erase is exactly the height
 * of the previous frame.
 */
import type { ImageEvent, PipelineIR, RunEvent, RunResult } from '../core/index.ts';
import { PlainReporter } from './plain-reporter.ts';
import { renderFrame } from './tty-frame.ts';
import { liveStateOf, LiveStateUpdater, type LiveState } from './tty-state.ts';

/** Where the reporter draws: a TTY write stream (process.stdout) or a test double. */
export interface Screen {
  write(text: string): unknown;
  readonly columns?: number;
  readonly rows?: number;
}

const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';

export interface TtyReporterOptions {
  color?: boolean;
  /** Ms between redraws at most (default 100: 10 frames a second). */
  interval?: number;
  /** Time source for elapsed times (default Date.now). */
  now?: () => number;
}

export class TtyReporter {
  readonly state: LiveState;
  private readonly updater: LiveStateUpdater;
  private readonly plain: PlainReporter;
  private readonly color: boolean;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private height = 0;
  private last = '';
  private dirty = true;
  private readonly restoreCursor = () => { this.screen.write(SHOW_CURSOR); };

  constructor(ir: PipelineIR, private readonly screen: Screen, private readonly opts: TtyReporterOptions = {}) {
    this.state = liveStateOf(ir);
    this.updater = new LiveStateUpdater(this.state);
    this.color = opts.color ?? true;
    this.now = opts.now ?? Date.now;
    // The summary and tails are the plain reporter's, so both reporters end the same way.
    this.plain = new PlainReporter((line) => this.screen.write(`${line}\n`), this.color);
  }

  /** Starts drawing: first frame now, then a check every interval. */
  start(): void {
    if (this.timer) return;
    this.screen.write(HIDE_CURSOR);
    process.once('exit', this.restoreCursor);
    this.draw();
    this.timer = setInterval(() => this.draw(), this.opts.interval ?? 100);
    this.timer.unref();
  }

  /** Handles one run event. */
  onEvent = (e: RunEvent): void => {
    if (e.type === 'output') this.plain.tails.add(e.path, e.data);
    if (e.type === 'hook' && !e.ok) this.plain.hookFailures.push(e);
    if (this.updater.apply(e)) this.dirty = true;
  };

  /** Handles one image event (build progress shows above the tree). */
  onImageEvent = (e: ImageEvent): void => {
    if (this.updater.applyImage(e)) this.dirty = true;
  };

  /** Prints `line` above the live tree (a message that must not be erased by the next frame). */
  note(line: string): void {
    this.erase();
    this.screen.write(`${line}\n`);
    this.last = '';
    this.dirty = true;
    this.draw();
  }

  /** Stops redrawing and leaves the final frame on screen. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.dirty = true;
    this.draw();
    this.height = 0;
    this.screen.write(SHOW_CURSOR);
    process.off('exit', this.restoreCursor);
  }

  /** Stops, then prints the plain reporter's summary and the tail of every failed node. */
  summary(result: RunResult, seconds: number): void {
    this.stop();
    this.plain.summary(result, seconds);
  }

  /** Draws a frame when something changed (or a running time ticked); skips identical frames. */
  private draw(): void {
    const running = this.state.nodes.some((n) => n.state === 'running');
    if (!this.dirty && !running && this.state.images.size === 0) return;
    this.dirty = false;
    const lines = renderFrame(this.state, { now: this.now(), width: this.screen.columns || 80, height: this.screen.rows || 24, color: this.color });
    const text = lines.map((l) => `${l}\x1b[K\n`).join('');
    if (text === this.last) return;
    // Back to the first line of the previous frame, overwrite line by line, clear what is left below.
    this.screen.write(`${this.height > 0 ? `\x1b[${this.height}A` : ''}\r${text}\x1b[J`);
    this.last = text;
    this.height = lines.length;
  }

  private erase(): void {
    if (this.height > 0) this.screen.write(`\x1b[${this.height}A\r\x1b[J`);
    this.height = 0;
  }
}
