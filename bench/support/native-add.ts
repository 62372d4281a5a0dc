// The work bench/native.bench.ts runs as a native function (a module of its own: the bench's top level
// must not run in the container).

/** Adds three numbers. */
export function add(a: number, b: number, c: number): number { return a + b + c; }
