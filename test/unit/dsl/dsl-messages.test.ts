// The DSL's refusals of hooks, lazy limits and native calls, word for word: each names where it happened,
// the option, and what was given.
import { strict as assert } from 'node:assert';
import { compile, containerHook, defineHook, hostCommand, pipeline, webhook } from '../../../core/index.ts';
import { throwsCode } from '../../helpers/errors.ts';

const refuses = (fn: () => unknown, data: { path: string; option: string }, message: string) =>
  assert.equal(throwsCode(fn, 'DSL', data).message, message);

describe('dsl: hook makers and on() refuse bad input, saying what was given', () => {
  it('webhook() takes an http(s) URL only; containerHook() an image reference; both a command', () => {
    const url = { path: 'webhook()', option: 'url' };
    refuses(() => webhook('ftp://x'), url, 'webhook: expected an http:// or https:// URL, got "ftp://x"');
    refuses(() => webhook('example.com/https://x'), url, 'webhook: expected an http:// or https:// URL, got "example.com/https://x"');
    refuses(() => webhook(5 as never), url, 'webhook: expected an http:// or https:// URL, got 5');
    assert.deepEqual(webhook('http://h/x'), { kind: 'webhook', url: 'http://h/x' });
    const headers = { Authorization: 'Bearer t' };
    const made = webhook('https://h/x', { headers });
    assert.deepEqual(made, { kind: 'webhook', url: 'https://h/x', headers });
    headers.Authorization = 'changed';
    assert.equal((made as { headers: Record<string, string> }).headers.Authorization, 'Bearer t', 'the headers are copied');
    const image = { path: 'containerHook()', option: 'image' };
    refuses(() => containerHook('  ', 'x'), image, 'containerHook: expected an image reference, got "  "');
    refuses(() => containerHook(3 as never, 'x'), image, 'containerHook: expected an image reference, got 3');
    assert.deepEqual(containerHook('busybox', 'echo hi'), { kind: 'container', image: 'busybox', command: 'echo hi' });
    refuses(() => containerHook('busybox', ''), { path: 'containerHook()', option: 'command' }, 'containerHook(): command: expected a shell script or an argv array, got an empty string');
    refuses(() => hostCommand(''), { path: 'hostCommand()', option: 'command' }, 'hostCommand(): command: expected a shell script or an argv array, got an empty string');
    assert.deepEqual(hostCommand(['notify', '--all']), { kind: 'host', command: ['notify', '--all'] });
  });

  it('a defineHook() maker takes JSON args, and says why others are not', () => {
    const big = defineHook<{ n: bigint }>('test-msg-big', () => {});
    refuses(() => big({ n: 1n }), { path: 'hook test-msg-big', option: 'args' }, 'hook "test-msg-big": its args must be JSON data (Do not know how to serialize a BigInt)');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    refuses(() => defineHook<unknown>('test-msg-cycle', () => {})(cyclic), { path: 'hook test-msg-cycle', option: 'args' }, 'hook "test-msg-cycle": its args must be JSON data (Converting circular structure to JSON)');
    const maker = defineHook<{ when: Date | string }>('test-msg-ok', () => {});
    assert.deepEqual(maker(), { kind: 'function', name: 'test-msg-ok', args: null });
    assert.deepEqual(maker({ when: 'now' }), { kind: 'function', name: 'test-msg-ok', args: { when: 'now' } });
  });

  it('on(): the event, the hook and inherited are checked where they are set', () => {
    const hook = webhook('https://h/x');
    refuses(() => pipeline('p').exec('a', 'x').on('done', hook, { inherited: 'yes' as never }), { path: '/p', option: 'on.inherited' }, '/p: on(): inherited: expected true or false, got "yes"');
    refuses(() => pipeline('p').exec('a', 'x').on('finished' as never, hook), { path: '/p', option: 'on.event' }, '/p: on(): event: expected one of "done", "error", "killed", "retry", "stateChange", got "finished"');
    refuses(() => pipeline('p').exec('a', 'x').on('done', {} as never), { path: '/p', option: 'on.hook' }, '/p: on(): hook: expected a hook made by webhook(), hostCommand(), containerHook() or a defineHook() maker');
    const hooks = compile(pipeline('p').exec('a', 'x').on('done', hook, { inherited: false }).on('error', hook, { inherited: true })).root.hooks;
    assert.deepEqual(hooks?.map((h) => [h.on, h.inherited]), [['done', false], ['error', true]]);
  });
});

describe('dsl: a lazy node\'s limits', () => {
  const lazy = (limits: unknown) => () => pipeline('p').lazyCommand('g', 'make-tree', { limits: limits as never });

  it('each is a whole number >= 1, by a known name; one error names the node and the limit', () => {
    refuses(lazy(null), { path: '/p/g', option: 'limits' }, '/p/g: limits: expected { nodes, depth, bytes }, got null');
    refuses(lazy('big'), { path: '/p/g', option: 'limits' }, '/p/g: limits: expected { nodes, depth, bytes }, got "big"');
    refuses(lazy({ width: 3 }), { path: '/p/g', option: 'limits.width' }, '/p/g: limits.width: unknown limit; known limits: nodes, depth, bytes');
    refuses(lazy({ nodes: 0 }), { path: '/p/g', option: 'limits.nodes' }, '/p/g: limits.nodes: expected a whole number >= 1, got 0');
    refuses(lazy({ depth: 1.5 }), { path: '/p/g', option: 'limits.depth' }, '/p/g: limits.depth: expected a whole number >= 1, got 1.5');
    refuses(lazy({ bytes: '10' }), { path: '/p/g', option: 'limits.bytes' }, '/p/g: limits.bytes: expected a whole number >= 1, got "10"');
  });

  it('the ones given replace the defaults, 1 included; the ones left out (or undefined) keep them', () => {
    const graftOf = (limits: unknown) => {
      const root = compile(lazy(limits)()).root as { children: Array<{ children: Array<{ graft?: unknown }> }> };
      return root.children[0]!.children[0]!.graft;
    };
    const defaults = graftOf(undefined) as { maxNodes: number; maxDepth: number; maxBytes: number };
    assert.ok(defaults.maxNodes > 1 && defaults.maxDepth > 1 && defaults.maxBytes > 1);
    assert.deepEqual(graftOf({ nodes: 1, depth: 2, bytes: undefined }), { into: 'execute', maxNodes: 1, maxDepth: 2, maxBytes: defaults.maxBytes });
    assert.deepEqual(graftOf({ bytes: 1024 }), { into: 'execute', maxNodes: defaults.maxNodes, maxDepth: defaults.maxDepth, maxBytes: 1024 });
  });

  it('a native lazy generator must be a function', () => {
    refuses(() => (pipeline('p') as unknown as { lazy(n: string, f: unknown): unknown }).lazy('g', 5), { path: '/p/g/generate', option: 'fn' }, '/p/g/generate: expected a function, got number');
  });
});
