/**
 * Cuts one command's output out of a driver stream: bytes before the command's nonce are the command's
 * output (passed on exactly, decoded as UTF-8 without splitting characters across chunks); the nonce and
 * the line after it are the driver's trailer. Only a tail that could be the start of the nonce is held
 * back, so output that does not end in a newline still streams promptly.
 */
import { StringDecoder } from 'node:string_decoder';

/** Separates one command's output from the driver's end-of-command trailer in one output stream. */
export class OutputCutter {
  private held: Buffer = Buffer.alloc(0);
  private trailer: Buffer | undefined;
  private readonly decoder = new StringDecoder('utf8');
  private readonly nonce: Buffer;
  /** Set once the trailer line is complete. */
  done = false;

  constructor(
    nonce: string,
    private readonly onText: (text: string) => void,
    private readonly onTrailer: (line: string) => void,
  ) {
    this.nonce = Buffer.from(nonce, 'latin1');
  }

  /** Feeds bytes; returns the bytes after the trailer (belonging to no command), if any. */
  push(chunk: Buffer): Buffer | undefined {
    if (this.done) return chunk;
    if (this.trailer) return this.collectTrailer(chunk);
    const buf = this.held.length ? Buffer.concat([this.held, chunk]) : chunk;
    const at = buf.indexOf(this.nonce);
    if (at >= 0) {
      this.emit(buf.subarray(0, at));
      const rest = this.decoder.end();
      if (rest) this.onText(rest);
      this.trailer = Buffer.alloc(0);
      return this.collectTrailer(buf.subarray(at + this.nonce.length));
    }
    const keep = this.partialNonceSuffix(buf);
    this.emit(buf.subarray(0, buf.length - keep));
    this.held = Buffer.from(buf.subarray(buf.length - keep));
    return undefined;
  }

  private collectTrailer(chunk: Buffer): Buffer | undefined {
    const buf = Buffer.concat([this.trailer ?? Buffer.alloc(0), chunk]);
    const nl = buf.indexOf(10);
    if (nl < 0) {
      this.trailer = buf;
      return undefined;
    }
    this.done = true;
    this.onTrailer(buf.subarray(0, nl).toString('latin1').trim());
    const after = buf.subarray(nl + 1);
    return after.length ? after : undefined;
  }

  private emit(bytes: Buffer): void {
    if (!bytes.length) return;
    const text = this.decoder.write(bytes);
    if (text) this.onText(text);
  }

  /** Length of the longest suffix of `buf` that is a proper prefix of the nonce. */
  private partialNonceSuffix(buf: Buffer): number {
    const max = Math.min(buf.length, this.nonce.length - 1);
    for (let n = max; n > 0; n--) {
      if (buf[buf.length - n] === this.nonce[0] && buf.subarray(buf.length - n).equals(this.nonce.subarray(0, n))) return n;
    }
    return 0;
  }
}
