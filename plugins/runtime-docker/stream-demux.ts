/**
 * Splits Docker's multiplexed attach stream (non-TTY) into stdout and stderr bytes. Each frame is an
 * 8-byte header — stream type (1 stdout, 2 stderr), 3 zero bytes, big-endian payload length — then the
 * payload. Frames may arrive split across or merged into socket chunks, so bytes are buffered here:
 * as a list of chunks, joined once a whole frame is there, so a big frame arriving in small chunks
 * costs one copy rather than one per chunk.
 */

/** Which of the container's output streams a frame belongs to. */
export type StdStream = 'stdout' | 'stderr';

/** Reassembles Docker's framed attach stream into stdout and stderr payloads, whatever the socket chunking. */
export class DockerStreamDemux {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Bytes the frame being collected needs in all (header included); 8 until its header is in. */
  private needed = 8;

  /** @param onFrame receives each complete frame's stream and payload, in order */
  constructor(private readonly onFrame: (stream: StdStream, payload: Buffer) => void) {}

  /** Feeds raw bytes from the hijacked connection. */
  push(chunk: Buffer): void {
    if (!chunk.length) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered < this.needed) return;
    let buf = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
    this.chunks = [];
    this.buffered = 0;
    while (buf.length >= 8) {
      const size = buf.readUInt32BE(4);
      if (buf.length < 8 + size) break;
      const type = buf[0];
      const payload = buf.subarray(8, 8 + size);
      // Type 0 (stdin echo) never happens without a TTY; anything not stderr is treated as stdout.
      if (size > 0) this.onFrame(type === 2 ? 'stderr' : 'stdout', payload);
      buf = buf.subarray(8 + size);
    }
    this.needed = buf.length >= 8 ? 8 + buf.readUInt32BE(4) : 8;
    if (buf.length) {
      // A copy, so the rest does not keep the whole socket chunk alive.
      this.chunks.push(Buffer.from(buf));
      this.buffered = buf.length;
    }
  }
}
