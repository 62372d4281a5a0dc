/**
 * The native-bundler contract: what turns a module file and an export into one file a container's `node`
 * can run. Interfaces only; plugins/native-bundle implements it with esbuild (core never bundles).
 */

/** What to bundle: a module file on the host and the export the entry calls. */
export interface BundleRequest {
  /** Absolute host path of the module file. */
  file: string;
  /** The export holding the function. */
  export: string;
  /**
   * Bundle caisson itself rather than a stub: for a function that uses caisson at run time (a lazy
   * subtree's generator returns a pipeline builder). Default false: the module's top-level tree building
   * is then a no-op in the container.
   */
  keepCaisson?: boolean;
}

/** A bundle on the host, ready to be mounted or copied into a container. */
export interface Bundle {
  /** Absolute host path of the bundle file (inside `dir`). */
  file: string;
  /** Its content address (sha256 of its bytes); the file is named by it. */
  hash: string;
  /** Native addons (`.node` files) left out of the bundle: the image must provide them. */
  external?: string[];
}

/** Bundles native functions' modules (a plugin's `nativeBundler`). */
export interface NativeBundler {
  /** The host folder every bundle is written in; runtimes with host mounts mount it read-only. */
  readonly dir: string;
  /** True for a bundler that bundles nothing (the default without a plugin): calls then run only in-process (the fake). */
  readonly inProcessOnly?: boolean;
  /**
   * Bundles `request.file` with the in-container entry for `request.export` into one ESM file named by its
   * content address (cached: an unchanged bundle is not written again). Rejects with a NativeBundleError
   * naming the file (a syntax error, a missing export, a native addon that stays external).
   */
  bundle(request: BundleRequest): Promise<Bundle>;
}
