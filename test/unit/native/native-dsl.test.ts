import { strict as assert } from 'node:assert';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, decodeTagged, encodeTagged, exec, pipeline, DslError, decodePipeline } from '../../../core/index.ts';
import { runFake } from '../../../plugins/runtime-fake/index.ts';
// The fixtures load inside the tests that use them: built while this file loads, their DSL calls would be
// "static" to mutation testing (tied to no test), and each such mutant reruns the whole suite.
const fixture = () => import('../../fixtures/native/pipeline.ts');
const helpers = () => import('../../fixtures/native/helpers.ts');

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'native');

describe('native functions: the DSL and the IR', () => {
  it('records a call: module path relative to baseDir, its sha256, the export name, tagged-JSON args', async () => {
    const { default: native } = await fixture();
    const ir = compile(native, { baseDir: fixtures });
    const node = ir.root.kind === 'serial' ? ir.root.children[0]! : undefined;
    assert.ok(node?.kind === 'exec' && node.call);
    assert.equal(node.command, undefined);
    assert.equal(node.call.module, 'pipeline.ts');
    assert.equal(node.call.export, 'sum');
    assert.match(node.call.sha256, /^[0-9a-f]{64}$/);
    assert.deepEqual(node.call.args[1], { label: 'three', when: { $caisson: 'date', v: '2026-12-01T00:00:00.000Z' }, tags: { $caisson: 'set', v: ['b', 'a'] }, big: { $caisson: 'bigint', v: '21' } });
    assert.deepEqual(decodePipeline(JSON.parse(JSON.stringify(ir))), ir, 'the IR decoder accepts a call');
  });

  it('an exported arrow is found by its export name', async () => {
    const { exportedArrow } = await helpers();
    const ir = compile(pipeline('p').exec('a', exportedArrow, 1), { baseDir: fixtures });
    assert.equal(ir.root.kind === 'serial' && ir.root.children[0]!.kind === 'exec' ? ir.root.children[0]!.call?.export : '', 'exportedArrow');
  });

  it('a function the module does not export is one error naming the node and the function', async () => {
    const { callsHidden } = await helpers();
    assert.throws(() => compile(callsHidden(), { baseDir: fixtures }), (e: unknown) => e instanceof DslError && e.message === '/p/h: function hidden is not a named export of ./helpers.ts; export it from ./helpers.ts (export function hidden(…) { … }) and pass that');
  });

  it('an inline arrow is refused at compile', () => {
    assert.throws(() => compile(pipeline('p').exec('a', (n: number) => n, 1)), /\/p\/a: an inline arrow function is not a named export of .*native-dsl\.test\.ts/);
  });

  it('arguments that do not round-trip name their path: functions, class instances, cycles', async () => {
    const { sum } = await fixture();
    class Thing { x = 1; }
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    assert.throws(
      () => pipeline('p').exec('s', sum, [1], { label: 'x', when: new Date(), tags: new Set(), big: 1n, fn: () => 1 } as never),
      (e: unknown) => e instanceof DslError && e.message.startsWith('/p/s: function sum: args[1].fn: a function cannot be passed'),
    );
    assert.throws(() => exec(sum, new Thing() as never, cyclic as never), (e: unknown) => e instanceof DslError
      && e.message.includes('args[0]: a Thing instance cannot be passed') && e.message.includes('args[1].self: a cycle: this refers back to args[1]'));
  });

  it('Dates, Maps, Sets, bigint, Uint8Array, Buffer, undefined and NaN round-trip through the tagged encoding', () => {
    const value = { d: new Date('2020-01-02T03:04:05.006Z'), m: new Map<unknown, unknown>([['k', 1], [2, new Set([3n])]]), u8: new Uint8Array([1, 2, 255]), buf: Buffer.from('hi'), nothing: undefined, nan: Number.NaN, inf: -Infinity, $caisson: 'literal key' };
    const { json, problems } = encodeTagged(value, 'v');
    assert.deepEqual(problems, []);
    const back = decodeTagged(JSON.parse(JSON.stringify(json))) as typeof value;
    assert.deepEqual(back, value);
    assert.ok(back.buf instanceof Buffer && !(Buffer.isBuffer(back.u8)) && back.u8 instanceof Uint8Array);
  });

  it('typed arguments: a wrong argument type is a compile error (tsc checks this file)', async () => {
    const { sum } = await fixture();
    // @ts-expect-error -- sum takes (number[], {...}); a string is not a number[]
    const wrong = () => pipeline('p').exec('s', sum, 'nope');
    assert.equal(typeof wrong, 'function');
  });
});

describe('native functions on the fake runtime', () => {
  it('runs the function in-process with the container serialisation: return value kept, thrown error with its file:line', async () => {
    const { default: native } = await fixture();
    const { result, status } = await runFake(native);
    assert.equal(result.state, 'done');
    assert.deepEqual(decodeTagged(JSON.parse(status('/native/sum').result!)), { label: 'three', total: 6, year: 2026, tags: ['a', 'b'], big: 42n });
    const explode = status('/native/explode');
    assert.equal(explode.exitCode, 1);
    assert.match(explode.reason!, /^threw Error: kaboom \(at .*test\/fixtures\/native\/pipeline\.ts:13:\d+\) \(error suppressed\)$/);
  });

  it('a return value that cannot cross back fails the node, naming its path', async () => {
    const { leaky } = await fixture();
    const { status } = await runFake(pipeline('p').exec('l', leaky));
    assert.equal(status('/p/l').state, 'error');
    assert.match(status('/p/l').reason!, /threw TypeError: the return value cannot be sent back: result\.fn: a function cannot be passed/);
  });
});

describe('native functions: fake records', () => {
  it('fake.calls keeps the export, the arguments and what the call returned', async () => {
    const { default: native } = await fixture();
    const { fake } = await runFake(native);
    const call = fake.callsOf('/native/sum')[0]!;
    assert.equal(call.native?.export, 'sum');
    assert.deepEqual(call.native?.args[0], [1, 2, 3]);
    assert.match(call.native?.result ?? '', /"total":6/);
  });

  it('a script for a native node replaces the call (no in-process run)', async () => {
    const { default: native } = await fixture();
    const { status, fake } = await runFake(native, { scripts: { '/native/sum': { exitCode: 3 } } });
    assert.equal(status('/native/sum').state, 'error');
    assert.equal(fake.callsOf('/native/sum')[0]!.native?.result, undefined);
  });
});

describe('native functions: limits and secrets', () => {
  it('arguments over 100 KiB of JSON are refused when the tree is built, with what to do', async () => {
    const { exportedArrow } = await helpers();
    assert.throws(() => pipeline('p').exec('big', exportedArrow, 'x'.repeat(200_000) as never), /\/p\/big: function exportedArrow: the arguments are 196 KiB as JSON, over the 100 KiB a native call can take; pass a path/);
  });

  it('a returned secret value is masked in the record like output', async () => {
    const { staticSecrets } = await import('../../../core/index.ts');
    const { echoEnv } = await import('../../fixtures/native/helpers.ts');
    const { status } = await runFake(pipeline('p', { env: { TOKEN: (await import('../../../core/index.ts')).secret('TOKEN') } }).exec('e', echoEnv, 'TOKEN'), { secrets: staticSecrets({ TOKEN: 's3cr3t-value' }) });
    assert.equal(status('/p/e').result, '"***"');
  });
});

describe('native functions: a module changed since compile', () => {
  it('the node says so on stderr and calls the file as it is now', async () => {
    const { exportedArrow } = await helpers();
    const ir = compile(pipeline('p').exec('a', exportedArrow, 1));
    const node = ir.root.kind === 'serial' ? ir.root.children[0]! : undefined;
    assert.ok(node?.kind === 'exec' && node.call);
    node.call.sha256 = '0'.repeat(64);
    const { events, status } = await runFake(ir);
    assert.equal(status('/p/a').result, '2');
    const said = events.filter((e) => e.type === 'output' && e.stream === 'stderr').map((e) => (e as { data: string }).data).join('');
    assert.equal(said, 'caisson: test/fixtures/native/helpers.ts changed since this tree was compiled; calling exportedArrow as the file is now\n');
  });
});
