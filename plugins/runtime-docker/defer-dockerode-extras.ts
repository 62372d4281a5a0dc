/**
 * dockerode loads, when it is first required, two things Caisson never uses on the common path: its
 * BuildKit session (gRPC and protobuf, for `docker.buildImage` with a session; Caisson builds with
 * buildx) and docker-modem's SSH transport (ssh2, for `ssh://` DOCKER_HOST). Together about a tenth of
 * a `caisson run`'s start-up. Both modules export one function; this puts a stand-in for each in the
 * require cache, before dockerode is loaded, that requires the real module at its first call and hands
 * the call on, so an `ssh://` daemon or a session build still works, only loaded when used.
 *
 * dockerode is therefore loaded here, by require() after the stand-ins are in place, and not by an
 * import: the published package is bundled, and a bundle evaluates every external import before any of
 * its own code, so an import would load dockerode before the stand-ins exist.
 */
import { createRequire } from 'node:module';
import type Docker from 'dockerode';

type Fn = (this: unknown, ...args: unknown[]) => unknown;
interface CachedModule { id: string; filename: string; loaded: boolean; exports: unknown; children: unknown[]; paths: string[] }

const fromHere = createRequire(import.meta.url);

/** Defers `request` (resolved from `base`'s folder) until its exported function is first called. */
function deferFunctionModule(base: NodeJS.Require, request: string): void {
  let path: string;
  try { path = base.resolve(request); } catch { return; } // another layout: leave it be
  if (path in base.cache) return; // loaded already
  let real: Fn | undefined;
  const stand: CachedModule = {
    id: path, filename: path, loaded: true, children: [], paths: [],
    exports: function deferred(this: unknown, ...args: unknown[]): unknown {
      if (!real) {
        delete base.cache[path];
        real = base(path) as Fn;
      }
      return real.apply(this, args);
    },
  };
  base.cache[path] = stand as unknown as NodeJS.Module;
}

let loaded: typeof Docker | undefined;

/** dockerode's client class, loaded at the first call with its two extras deferred. */
export function loadDockerode(): typeof Docker {
  if (loaded) return loaded;
  try {
    const dockerode = createRequire(fromHere.resolve('dockerode'));
    deferFunctionModule(dockerode, './session.js');
    deferFunctionModule(createRequire(dockerode.resolve('docker-modem')), './ssh.js');
  } catch {
    // dockerode not where expected: it loads as it always did.
  }
  loaded = fromHere('dockerode') as typeof Docker;
  return loaded;
}
