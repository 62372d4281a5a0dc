/**
 * What a kind's params codec is written with: io-ts, the codec library Caisson's IR is written in, and
 * `rule`, which makes a codec whose failure reads as one message ("expected an absolute path, got …"),
 * as the IR's own rules do. Re-exported so a plugin needs no codec library of its own.
 */
import * as io from 'io-ts';

/** io-ts (`t.type`, `t.string`, `t.record`, …), for a kind's params: `params: t.type({ base: t.string })`. */
export const t = io;

export { rule } from '../options/rules.ts';
