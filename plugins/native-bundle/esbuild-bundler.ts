/**
 * The esbuild NativeBundler: one ESM file per (module, export) holding the user's module, what it imports
 * (node_modules included) and caisson's in-container entry (core/native/entry-runtime.ts), with an inline
 * source map whose sources are the host files, so a thrown error's stack names the user's TypeScript
 * lines. Named by the sha256 of its bytes and written once into the cache folder (`native/`).
 *
 * `caisson` itself is replaced by a stub in the bundle: importing the pipeline file builds its tree at
 * the top level, which must not redo host work (image checks, file reads) in the container, and the
 * container needs no copy of caisson. The one real name in the stub is `pipelineData`, the run's data
 * store, which a function uses in the container.
 */
import { createHash } from 'node:crypto';
import { existsSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Message, type Plugin as EsbuildPlugin } from 'esbuild';
import * as kit from '../../core/plugin-kit.ts';
import { cacheDir, UsageError, type Bundle, type BundleRequest, type NativeBundler } from '../../core/plugin-kit.ts';

const here = dirname(fileURLToPath(import.meta.url));
/** One of caisson's own modules: .ts in a checkout, .js in the published package. */
const own = (path: string): string | undefined => kit.ownFile(`${path}.ts`, `${path}.js`);
// The in-container entry's runtime.
const ENTRY_RUNTIME = own('core/native/entry-runtime')!;
/** This copy of caisson's own entries (sources in a checkout, dist/ when installed), by subpath. */
const OWN_ENTRIES: Record<string, string | undefined> = { caisson: own('core/index'), 'caisson/plugin-kit': own('core/plugin-kit') };
const CORE_ENTRIES = new Set(Object.values(OWN_ENTRIES).filter((f) => f !== undefined));

// Everything the pipeline file calls at its top level (pipeline(), image(), exec()…) returns this, and so
// does anything called or read on it: the tree is built as a harmless chain of no-ops.
const CHAIN = `const chain = new Proxy(function () {}, {
  get: (_t, k) => (k === 'then' ? undefined : k === Symbol.toPrimitive ? () => '' : chain),
  apply: () => chain, construct: () => chain,
});`;
// What a function may really use in the container: the run's data store (it reads and writes the
// container's /caisson/data, importing only node:fs and node:path).
const PIPELINE_DATA = own('core/data/pipeline-data')!;
const REAL = new Set(['pipelineData']);
// Every other runtime name caisson's entries export (plugin-kit holds the index's and more), each the chain.
const CAISSON_STUB = `${CHAIN}\nexport { pipelineData } from ${JSON.stringify(PIPELINE_DATA)};\n`
  + `export { ${Object.keys(kit).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && !REAL.has(k)).map((k) => `chain as ${k}`).join(', ')} };\nexport default chain;\n`;

/** Bundles with esbuild into `dir` (default: the cache's `native/` folder). */
export class EsbuildBundler implements NativeBundler {
  /** @param dir where bundles are written (each named by its content address) */
  constructor(readonly dir: string = cacheDir('native')) {}

  // The last bundle of each (file, export) with the mtimes of every file that went into it: an unchanged
  // module is not bundled again for each node and attempt, and any edit (debug --live) is.
  private readonly memo = new Map<string, { bundle: Bundle; inputs: Array<[string, number]> }>();

  /** Bundles the module with the entry for its export; see the file comment. */
  async bundle(request: BundleRequest): Promise<Bundle> {
    const key = `${request.file}\0${request.export}\0${request.keepCaisson === true}`;
    const known = this.memo.get(key);
    if (known && known.inputs.every(([f, m]) => mtimeOf(f) === m) && existsSync(known.bundle.file)) return known.bundle;
    const addons = new Set<string>();
    const entry = [
      `import { ${JSON.stringify(request.export).slice(1, -1) === request.export && /^[A-Za-z_$][\w$]*$/.test(request.export) ? request.export : 'default'} as fn } from ${JSON.stringify(request.file)};`,
      `import { runEntry } from ${JSON.stringify(ENTRY_RUNTIME)};`,
      'await runEntry(fn);',
    ].join('\n');
    const plugin: EsbuildPlugin = {
      name: 'caisson-native',
      setup(b) {
        if (request.keepCaisson) {
          // "caisson" is the copy doing the bundling, so the function builds its tree with the same version
          // as the host, whether that copy is installed (dist/) or a checkout of the sources.
          b.onResolve({ filter: /^caisson(\/plugin-kit)?$/ }, (args) => {
            const own = OWN_ENTRIES[args.path];
            return own ? { path: own } : undefined;
          });
          b.onResolve({ filter: /\.node$/ }, (args) => { addons.add(args.path); return { path: args.path, external: true }; });
          return;
        }
        b.onResolve({ filter: /^caisson(\/.*)?$/ }, () => ({ path: 'caisson', namespace: 'caisson-stub' }));
        b.onResolve({ filter: /\.node$/ }, (args) => { addons.add(args.path); return { path: args.path, external: true }; });
        b.onLoad({ filter: /.*/, namespace: 'caisson-stub' }, () => ({ contents: CAISSON_STUB, loader: 'js', resolveDir: here }));
        // This checkout's own entries imported by path (tests, examples in the repository).
        b.onResolve({ filter: /[\\/]core[\\/](index|plugin-kit)\.(ts|js)$/ }, (args) => (CORE_ENTRIES.has(resolve(args.resolveDir, args.path)) ? { path: 'caisson', namespace: 'caisson-stub' } : undefined));
      },
    };
    let outputs;
    let inputs: string[];
    // esbuild reports paths relative to its working directory; naming it here keeps those paths and our
    // resolve() of them on the same directory even when the process changes its cwd (test runners do).
    const workingDir = process.cwd();
    try {
      const result = await build({
        absWorkingDir: workingDir,
        stdin: { contents: entry, resolveDir: dirname(request.file), sourcefile: 'caisson-native-entry.mjs', loader: 'js' },
        bundle: true, format: 'esm', platform: 'node', target: ['node18', 'es2022'], write: false,
        outfile: join(this.dir, 'bundle.mjs'), sourcemap: 'external', sourcesContent: false, logLevel: 'silent',
        conditions: ['node', 'import'], plugins: [plugin], metafile: true,
        // Bundled CommonJS packages call require() for node's own modules; ESM has none of its own.
        banner: { js: "import { createRequire as __caissonRequire } from 'node:module'; const require = __caissonRequire(import.meta.url);" },
      });
      outputs = result.outputFiles;
      inputs = Object.keys(result.metafile.inputs).filter((f) => !f.includes(':')).map((f) => resolve(workingDir, f));
    } catch (e) {
      const errors = (e as { errors?: Message[] }).errors ?? [];
      const first = errors[0];
      const where = first?.location ? `${resolve(workingDir, first.location.file)}:${first.location.line}:${first.location.column}: ` : '';
      throw new UsageError(`cannot bundle ${request.file} for its native function ${request.export}: ${where}${first?.text ?? String(e)}`, { file: request.file });
    }
    const js = outputs.find((o) => o.path.endsWith('.mjs'))!.text;
    const map = JSON.parse(outputs.find((o) => o.path.endsWith('.map'))!.text) as { sources: string[] };
    // Host paths as file URLs: node's stack then names the files the user edits, wherever the bundle sits.
    map.sources = map.sources.map((s) => (s.startsWith('caisson-') ? s : pathToFileURL(resolve(this.dir, s)).href));
    const text = `${js.replace(/\n\/\/# sourceMappingURL=.*\n?$/, '\n')}//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}\n`;
    const hash = createHash('sha256').update(text).digest('hex');
    const file = join(this.dir, `${hash}.mjs`);
    if (!existsSync(file)) {
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, text, { mode: 0o644 });
      renameSync(tmp, file);
    }
    const bundle = { file, hash, ...(addons.size ? { external: [...addons] } : {}) };
    this.memo.set(key, { bundle, inputs: inputs.map((f) => [f, mtimeOf(f)]) });
    return bundle;
  }
}

/** A file's mtime in ms, or -1 when it is gone. */
function mtimeOf(file: string): number {
  try { return statSync(file).mtimeMs; } catch { return -1; }
}
