/**
 * The driver protocol's host side, without a daemon: Docker's stream framing and cutting a command's
 * output at its nonce must be exact however the bytes are chunked (byte by byte included).
 */
import assert from 'node:assert/strict';
import { DockerStreamDemux } from '../../plugins/runtime-docker/stream-demux.ts';
import { OutputCutter } from '../../plugins/runtime-docker/output-cutter.ts';
import { buildPayload, DRIVER_NAMES, DRIVER_SCRIPT, frameCommand } from '../../plugins/runtime-docker/driver-script.ts';

const frame = (type: 1 | 2, payload: Buffer) => {
  const h = Buffer.alloc(8);
  h[0] = type;
  h.writeUInt32BE(payload.length, 4);
  return Buffer.concat([h, payload]);
};

/** Feeds `bytes` to `push` in chunks of `size` bytes. */
const feed = (bytes: Buffer, size: number, push: (b: Buffer) => void) => {
  for (let i = 0; i < bytes.length; i += size) push(bytes.subarray(i, i + size));
};

describe('Docker runtime: driver protocol (no daemon needed)', () => {
  const nonce = 'cz0011223344556677889900aa';
  const output = Buffer.from('héllo 😀\nno newline, then a partial nonce cz00112 and the end', 'utf8');

  for (const size of [1, 3, 7, 64, 100_000]) {
    it(`cuts output exactly at the nonce with ${size}-byte chunks`, () => {
      let text = '';
      let trailer: string | undefined;
      const cutter = new OutputCutter(nonce, (t) => { text += t; }, (l) => { trailer = l; });
      const leftovers: Buffer[] = [];
      feed(Buffer.concat([output, Buffer.from(`${nonce} 3 0\nstray`)]), size, (b) => {
        const rest = cutter.push(b);
        if (rest) leftovers.push(rest);
      });
      assert.equal(text, output.toString('utf8'));
      assert.equal(trailer, '3 0');
      assert.equal(cutter.done, true);
      assert.equal(Buffer.concat(leftovers).toString(), 'stray');
    });

    it(`demultiplexes stdout and stderr frames with ${size}-byte chunks`, () => {
      const got = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
      const demux = new DockerStreamDemux((s, b) => got[s].push(Buffer.from(b)));
      const wire = Buffer.concat([frame(1, Buffer.from('out1')), frame(2, Buffer.from('err')), frame(1, Buffer.alloc(0)), frame(1, Buffer.from('out2'))]);
      feed(wire, size, (b) => demux.push(b));
      assert.equal(Buffer.concat(got.stdout).toString(), 'out1out2');
      assert.equal(Buffer.concat(got.stderr).toString(), 'err');
    });
  }

  it('copies each byte of a big frame a bounded number of times, however small the socket chunks (no quadratic re-buffering)', () => {
    const payload = Buffer.alloc(2_000_000, 'x');
    const wire = Buffer.concat([frame(1, payload), frame(2, Buffer.from('tail'))]);
    let copied = 0;
    const concat = Buffer.concat;
    Buffer.concat = ((list: readonly Uint8Array[], total?: number) => {
      const b = concat(list, total);
      copied += b.length;
      return b;
    }) as typeof Buffer.concat;
    const got: Buffer[] = [];
    try {
      const demux = new DockerStreamDemux((_s, b) => got.push(Buffer.from(b)));
      feed(wire, 1024, (b) => demux.push(b));
    } finally {
      Buffer.concat = concat;
    }
    assert.equal(Buffer.concat(got).length, payload.length + 4);
    assert.ok(copied <= 3 * wire.length, `${copied} bytes copied for a ${wire.length}-byte stream`);
  });

  it('streams output that does not end in a newline without waiting for the command to end', () => {
    let text = '';
    const cutter = new OutputCutter(nonce, (t) => { text += t; }, () => {});
    cutter.push(Buffer.from('progress 50%'));
    assert.equal(text, 'progress 50%');
    cutter.push(Buffer.from(' then c'));
    assert.equal(text, 'progress 50% then ', 'only a possible nonce start is held back');
    cutter.push(Buffer.from('at'));
    assert.equal(text, 'progress 50% then cat');
  });

  it('frames a payload so that its line count matches what the driver reads', () => {
    const payload = buildPayload({ command: "echo 'a'\n\nexit 0\n", env: { A: "it's", 'odd-name': 'x' }, workdir: '/w d', killToken: 'tok' });
    const framed = frameCommand(nonce, 'tok', payload);
    const [header, ...rest] = framed.split('\n');
    assert.equal(header, `${nonce} tok ${payload.split('\n').length}`);
    assert.equal(rest.join('\n'), `${payload}\n`);
    assert.match(payload, /^cd '\/w d' \|\| exit 126$/m);
    assert.match(payload, /^export A='it'\\''s'$/m);
    assert.match(payload, /^exec env 'odd-name=x' "\$1" -c 'echo '\\''a'\\''\n\nexit 0\n'$/m);
  });

  it('the driver uses only names it unsets before a payload runs', () => {
    const used = new Set(DRIVER_SCRIPT.match(/_caisson_\w+/g));
    assert.deepEqual([...used].sort(), [...DRIVER_NAMES].sort());
  });
});
