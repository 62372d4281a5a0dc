/**
 * Splits Docker's multiplexed attach stream (non-TTY) into stdout and stderr bytes. Each frame is an
 * 8-byte header — stream type (1 stdout, 2 stderr), 3 zero bytes, big-endian payload length — then the
 * payload. Frames may arrive split across or merged into socket chunks, so bytes are buffered here.
 */

/** Which of the container's output streams a frame belongs to. */
export type StdStream = 'stdout' | 'stderr';

/** Reassembles Docker's framed attach stream into stdout and stderr payloads, whatever the socket chunking. */
export class DockerStreamDemux {
  private pending: Buffer = Buffer.alloc(0);

  /** @param onFrame receives each complete frame's stream and payload, in order */
  constructor(private readonly onFrame: (stream: StdStream, payload: Buffer) => void) {}

  /** Feeds raw bytes from the hijacked connection. */
  push(chunk: Buffer): void {
    let buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (buf.length >= 8) {
      const size = buf.readUInt32BE(4);
      if (buf.length < 8 + size) break;
      const type = buf[0];
      const payload = buf.subarray(8, 8 + size);
      // Type 0 (stdin echo) never happens without a TTY; anything not stderr is treated as stdout.
      if (size > 0) this.onFrame(type === 2 ? 'stderr' : 'stdout', payload);
      buf = buf.subarray(8 + size);
    }
    this.pending = buf.length ? Buffer.from(buf) : Buffer.alloc(0);
  }
}
