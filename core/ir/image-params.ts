/**
 * Decoding an image kind's params with the kind's own codec, every problem named by the image and the
 * field, the way the IR decoder names node fields. image() and the image service both use it, so a
 * plugin kind's params read the same wherever they fail.
 */
import type * as t from 'io-ts';
import { ImageSpecError } from '../errors.ts';
import { toProblems } from './validation-errors.ts';

/**
 * `raw` decoded by `codec`.
 * @param prefix what the fields are under in messages ("params" for a plugin kind's spec)
 * @throws ImageSpecError naming the image and each bad field: `image "x": params.files: expected …, got …`
 */
export function decodeImageParams<P>(codec: { name: string; decode(u: unknown): t.Validation<P> }, raw: unknown, image: string, prefix = ''): P {
  const result = codec.decode(raw);
  if (result._tag === 'Right') return result.right;
  const problems = toProblems(result.left, '', prefix).map((p) => `${p.field || prefix || codec.name}: ${p.message}`);
  throw new ImageSpecError(image, problems.join('; ') || `not valid ${codec.name}`);
}
