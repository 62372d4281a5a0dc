/**
 * Test support: imports a one-file image (no shell, nothing else) from a tar built in memory, for the
 * "image without /bin/sh" error.
 */
import { Readable } from 'node:stream';
import type Docker from 'dockerode';

/** A POSIX ustar archive holding one regular file. */
const tarOf = (name: string, body: Buffer): Buffer => {
  const h = Buffer.alloc(512);
  h.write(name, 0);
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148); // checksum field counts as spaces while summing
  h.write('0', 156);
  h.write('ustar\u000000', 257);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return Buffer.concat([h, body, Buffer.alloc((512 - (body.length % 512)) % 512), Buffer.alloc(1024)]);
};

/** Imports `ref` as an image containing only /hello.txt. */
export const importShellessImage = async (docker: Docker, ref: string): Promise<void> => {
  const [repo, tag = 'latest'] = ref.split(':');
  const stream = await docker.importImage(Readable.from([tarOf('hello.txt', Buffer.from('hi\n'))]), { repo, tag });
  await new Promise((resolve, reject) => docker.modem.followProgress(stream as never, (e: unknown) => (e ? reject(e) : resolve(undefined))));
};
