/**
 * The host side of the driver protocol (see driver-script.ts) over a transport: sends framed commands,
 * routes the command's stdout/stderr to the caller until both nonces arrive, and reports the exit code
 * and the OOM-kill count the driver measured. On Docker the transport is the container's hijacked
 * attach stream (attachTransport); on Swarm it is the task's call-back sockets (swarm-channel.ts).
 */
import type { Duplex } from 'node:stream';
import { frameCommand } from './driver-script.ts';
import { DockerStreamDemux, type StdStream } from './stream-demux.ts';
import { OutputCutter } from './output-cutter.ts';

/** How a DriverSession reaches its driver: text to its stdin, bytes from its stdout and stderr. */
export interface DriverTransport {
  /** Writes to the driver's stdin. */
  write(text: string): void;
  /** Closes the driver's stdin (it exits) and releases the transport. */
  end(): void;
  /** Registers the receivers: output bytes per stream, in order, and the one call when the transport ends. */
  listen(onBytes: (stream: StdStream, bytes: Buffer) => void, onGone: (reason: string) => void): void;
}

/** The transport over a container's hijacked attach stream (stdin in, Docker-multiplexed stdout/stderr out). */
export const attachTransport = (stream: Duplex): DriverTransport => ({
  write: (text) => { stream.write(text); },
  end: () => { stream.end(); stream.destroy(); },
  listen: (onBytes, onGone) => {
    const demux = new DockerStreamDemux(onBytes);
    stream.on('data', (chunk: Buffer) => demux.push(chunk));
    stream.on('end', () => onGone('stream ended'));
    stream.on('close', () => onGone('stream closed'));
    stream.on('error', (e: Error) => onGone(e.message));
  },
});

/** What the driver reported for one command. */
export interface DriverOutcome {
  /** The subshell's status: the exit code, or 128+n when a signal ended it. */
  status: number;
  /** How many processes the kernel OOM-killed in the container while the command ran. */
  oomKills: number;
  /** Whether the probe path existed when the command ended; undefined without a probe. */
  probed?: boolean;
}

/** The driver stream ended (container stopped, removed or the daemon went away). */
export class DriverGoneError extends Error {
  constructor(detail: string) { super(`container driver stopped: ${detail}`); this.name = 'DriverGoneError'; }
}

/** The command in flight: where its output goes and how its promise settles. */
interface Pending {
  cutters: Record<StdStream, OutputCutter>;
  trailer?: string;
  resolve(o: DriverOutcome): void;
  reject(e: Error): void;
}

/**
 * Talks to the driver shell of one container over its transport, running one command at a time and
 * delivering its output and exit status.
 */
export class DriverSession {
  private pending: Pending | undefined;
  private helloSeen = false;
  private helloBuf = '';
  private goneReason: string | undefined;
  /** The shell the driver found for scripts ("/bin/bash" or "sh"), once it said hello. */
  shell: string | undefined;
  /** Resolves with the hello: whether the container's files landed (false too when the stream ends first). */
  readonly filesReady: Promise<boolean>;
  private helloed!: (files: boolean) => void;

  /** @param transport the driver's stdin and output (attachTransport(stream) on Docker) */
  constructor(private readonly transport: DriverTransport) {
    this.filesReady = new Promise((resolve) => { this.helloed = resolve; });
    transport.listen((s, bytes) => this.onFrame(s, bytes), (reason) => this.gone(reason));
  }

  /** True once the stream ended; no further command can run. */
  get isGone(): boolean { return this.goneReason !== undefined; }

  /**
   * Runs one payload; `onText` gets decoded output per stream. One at a time. The driver kills every
   * process carrying `killToken` in its environment before it reports the end.
   */
  run(nonce: string, killToken: string, payload: string, onText: (s: StdStream, text: string) => void, probe?: string): Promise<DriverOutcome> {
    if (this.pending) return Promise.reject(new Error('driver is already running a command'));
    if (this.goneReason) return Promise.reject(new DriverGoneError(this.goneReason));
    return new Promise<DriverOutcome>((resolve, reject) => {
      const p: Pending = {
        resolve, reject,
        cutters: {
          stdout: new OutputCutter(nonce, (t) => onText('stdout', t), (line) => { p.trailer = line; this.settleIfDone(); }),
          stderr: new OutputCutter(nonce, (t) => onText('stderr', t), () => this.settleIfDone()),
        },
      };
      this.pending = p;
      this.transport.write(frameCommand(nonce, killToken, payload, probe));
    });
  }

  /** Closes our end; the driver sees EOF on stdin and exits. */
  end(): void {
    this.transport.end();
  }

  private onFrame(stream: StdStream, bytes: Buffer): void {
    if (!this.helloSeen && stream === 'stdout') {
      // The first stdout line is the driver's hello; commands only start after it.
      const text = bytes.toString('latin1');
      const nl = text.indexOf('\n');
      if (nl < 0) { this.helloBuf += text; return; }
      this.helloBuf += text.slice(0, nl);
      this.helloSeen = true;
      const [, shell, files] = this.helloBuf.split(' ');
      this.shell = shell;
      this.helloed(files === '1');
      if (nl + 1 >= bytes.length) return;
      bytes = bytes.subarray(Buffer.byteLength(text.slice(0, nl + 1), 'latin1'));
    }
    // Bytes outside a command (a background process writing late) belong to no node and are dropped.
    this.pending?.cutters[stream].push(bytes);
  }

  private settleIfDone(): void {
    const p = this.pending;
    if (!p || !p.cutters.stdout.done || !p.cutters.stderr.done) return;
    this.pending = undefined;
    const [status, oom, found] = (p.trailer ?? '').split(' ');
    p.resolve({ status: Number(status ?? NaN), oomKills: Number(oom ?? 0), ...(found === '1' || found === '0' ? { probed: found === '1' } : {}) });
  }

  private gone(reason: string): void {
    if (this.goneReason !== undefined) return;
    this.goneReason = reason;
    this.helloed(false);
    const p = this.pending;
    this.pending = undefined;
    p?.reject(new DriverGoneError(reason));
  }
}
