/**
 * The host paths an image definition names, checked when the image resolves (not while the pipeline file
 * loads: defining a value touches no disk, and `caisson compile` works where the paths are not). Each
 * problem is an ImageSpecError naming the image, the option and the folder relative paths came from.
 */
import { statSync } from 'node:fs';
import { ImageSpecError } from '../errors.ts';

/** What kind of entry a path must be. */
type Entry = 'file' | 'directory';

function isEntry(path: string, kind: Entry): boolean {
  try {
    const st = statSync(path);
    return kind === 'file' ? st.isFile() : st.isDirectory();
  } catch {
    return false;
  }
}

/**
 * Returns `path` when it is an existing `kind` (a file or a directory).
 * @param dir the folder the image's relative paths resolved from, named in the message
 * @throws ImageSpecError `image "x": copyDir: no directory at /abs/p (relative paths resolve from …)`
 */
export function requirePath(image: string, option: string, path: string, kind: Entry, dir?: string): string {
  if (isEntry(path, kind)) return path;
  const from = dir ? ` (relative paths resolve from ${dir}, the folder of the file that defined the image; image({ dir: import.meta.dirname }) says it)` : '';
  throw new ImageSpecError(image, `${option}: no ${kind} at ${path}${from}`);
}
