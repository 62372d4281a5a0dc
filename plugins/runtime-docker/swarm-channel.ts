/**
 * The call-back channel of the Swarm runtime. A Swarm task cannot be attached to (services have no stdin,
 * and the task may run on another machine, whose daemon the runner never talks to), so the task calls
 * the runner: its connector (swarm-connector.ts) opens TCP connections to a listener here, each starting
 * with one line `<token> <role> [<id> <state>]`. The token is random per task and names the task; the
 * role says what the connection carries:
 *
 * - `out`: the driver's stdin and stdout (the same driver protocol as on Docker, driver-script.ts);
 * - `err`: the driver's stderr;
 * - `ctl`: requests to the task's control loop (kill a command, copy files in or out) and its answers;
 * - `data <id> <state>`: the bytes of one copy, in or out.
 *
 * An unknown token or a malformed first line closes the connection at once: only tasks this process
 * started get in.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { debugLog } from '../../core/plugin-kit.ts';
import type { DriverTransport } from './driver-session.ts';
import type { StdStream } from './stream-demux.ts';

const log = debugLog('swarm');

/** The longest first line a connection may send; anything longer is not one of ours. */
const MAX_HEADER = 256;
/** How long a connection may take to say who it is. */
const HEADER_TIMEOUT_MS = 10_000;

/** A data connection: the state the task reported ("ok", "missing", or none for a copy in) and the socket. */
export interface DataConnection {
  state: string;
  socket: Socket;
}

/** The connections of one task, as they arrive. */
export class TaskLink {
  /** The task's token (what its connector sends first). */
  readonly token = randomBytes(18).toString('hex');
  private sockets: Partial<Record<'out' | 'err' | 'ctl', Socket>> = {};
  private readyWaiters: Array<() => void> = [];
  private dataWaiters = new Map<string, (c: DataConnection) => void>();
  private doneWaiters = new Map<string, (status: number) => void>();
  private ctlBuffer = '';
  private goneHandlers: Array<(reason: string) => void> = [];
  private goneReason: string | undefined;
  private nextId = 0;

  /** True once the driver's stdin/stdout, its stderr and the control loop are all connected. */
  get ready(): boolean { return Boolean(this.sockets.out && this.sockets.err && this.sockets.ctl); }

  /** Resolves once `ready`. */
  whenReady(): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** @internal The channel hands over a connection that named this task. */
  attach(role: string, rest: string[], socket: Socket): void {
    if (role === 'data') {
      const [id = '', state = ''] = rest;
      const waiter = this.dataWaiters.get(id);
      if (!waiter) { socket.destroy(); return; }
      this.dataWaiters.delete(id);
      waiter({ state, socket });
      return;
    }
    if ((role !== 'out' && role !== 'err' && role !== 'ctl') || this.sockets[role]) { socket.destroy(); return; }
    this.sockets[role] = socket;
    const lost = (why: string) => this.gone(`${role} connection ${why}`);
    socket.on('close', () => lost('closed'));
    socket.on('error', (e: Error) => lost(e.message));
    if (role === 'ctl') { socket.on('data', (b: Buffer) => this.onControl(b.toString('latin1'))); socket.resume(); }
    if (this.ready) for (const w of this.readyWaiters.splice(0)) w();
  }

  /** The driver's transport: stdin and stdout over `out`, stderr over `err`. Only once `ready`. */
  transport(): DriverTransport {
    const out = this.sockets.out!;
    const err = this.sockets.err!;
    return {
      write: (text) => { out.write(text); },
      end: () => this.end(),
      listen: (onBytes: (s: StdStream, b: Buffer) => void, onGone) => {
        out.on('data', (b: Buffer) => onBytes('stdout', b));
        err.on('data', (b: Buffer) => onBytes('stderr', b));
        out.resume();
        err.resume();
        this.onGone(onGone);
      },
    };
  }

  /** Sends one request line to the task's control loop. */
  request(op: 'kill' | 'get' | 'put', id: string, arg: string): void {
    this.sockets.ctl?.write(`${op} ${id} ${arg}\n`);
  }

  /** A fresh id for a copy, and the promises of its data connection and of the loop's `done` line. */
  expectCopy(): { id: string; data: Promise<DataConnection>; done: Promise<number> } {
    const id = String(++this.nextId);
    const data = new Promise<DataConnection>((resolve) => this.dataWaiters.set(id, resolve));
    const done = new Promise<number>((resolve) => this.doneWaiters.set(id, resolve));
    return { id, data, done };
  }

  /** Calls `handler` once when a connection of the task is lost (or at once if one was). */
  onGone(handler: (reason: string) => void): void {
    if (this.goneReason !== undefined) handler(this.goneReason);
    else this.goneHandlers.push(handler);
  }

  /** Closes every connection: the driver sees EOF on stdin and exits, and so does the task. */
  end(): void {
    for (const s of Object.values(this.sockets)) s?.destroy();
    this.gone('closed by the runner');
  }

  private onControl(text: string): void {
    this.ctlBuffer += text;
    let nl: number;
    while ((nl = this.ctlBuffer.indexOf('\n')) >= 0) {
      const [word, id = '', status = ''] = this.ctlBuffer.slice(0, nl).split(' ');
      this.ctlBuffer = this.ctlBuffer.slice(nl + 1);
      if (word !== 'done') continue;
      const waiter = this.doneWaiters.get(id);
      this.doneWaiters.delete(id);
      waiter?.(Number(status));
    }
  }

  private gone(reason: string): void {
    if (this.goneReason !== undefined) return;
    this.goneReason = reason;
    for (const h of this.goneHandlers.splice(0)) h(reason);
    // A copy in flight cannot finish any more.
    for (const w of this.doneWaiters.values()) w(NaN);
    this.doneWaiters.clear();
  }
}

/**
 * The listener tasks call back to. One per provider, started on first use; `port` is what connectors
 * are given. Listens on all addresses by default (the tasks of a cluster come from other machines);
 * `host` narrows it.
 */
export class CallbackChannel {
  private server: Server | undefined;
  private starting: Promise<number> | undefined;
  private readonly links = new Map<string, TaskLink>();

  /** @param host the address to listen on (default every address); @param port the port (default any free one) */
  constructor(private readonly host?: string, private readonly port = 0) {}

  /** Starts listening (once) and resolves to the port. */
  start(): Promise<number> {
    this.starting ??= new Promise<number>((resolve, reject) => {
      const server = createServer((socket) => this.accept(socket));
      server.once('error', reject);
      server.listen(this.port, this.host, () => {
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : this.port);
      });
      // The channel must not keep the process alive on its own: the runner ends when its run does.
      server.unref();
      this.server = server;
    });
    return this.starting;
  }

  /** A new link for a task about to be created; its token goes into the task's connector. */
  expect(): TaskLink {
    const link = new TaskLink();
    this.links.set(link.token, link);
    link.onGone(() => this.links.delete(link.token));
    return link;
  }

  /** Forgets a link (its task is gone) and closes what it had. */
  forget(link: TaskLink): void {
    this.links.delete(link.token);
    link.end();
  }

  /** Stops listening and closes every link. */
  async close(): Promise<void> {
    for (const link of this.links.values()) link.end();
    this.links.clear();
    const server = this.server;
    this.server = undefined;
    this.starting = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    let header = Buffer.alloc(0);
    const timer = setTimeout(() => socket.destroy(), HEADER_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      header = Buffer.concat([header, chunk]);
      const nl = header.indexOf(10);
      if (nl < 0) {
        if (header.length > MAX_HEADER) { clearTimeout(timer); socket.destroy(); }
        return;
      }
      clearTimeout(timer);
      // Paused until its reader is there: bytes that arrive before then wait in the socket.
      socket.pause();
      socket.off('data', onData);
      const [token = '', role = '', ...rest] = header.subarray(0, nl).toString('latin1').split(' ');
      const link = this.links.get(token);
      if (!link) { log('refused a connection', { role }); socket.destroy(); return; }
      // What came after the line is the connection's first payload: give it back to the stream.
      const after = header.subarray(nl + 1);
      if (after.length > 0) socket.unshift(after);
      link.attach(role, rest, socket);
    };
    socket.on('data', onData);
    socket.on('error', () => { clearTimeout(timer); });
  }
}
