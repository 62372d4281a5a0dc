/**
 * A cached Exec's key and manifest. The manifest lists every key component with its own hash (one per
 * env variable, input file and upstream node, so `caisson why` can name what changed); the key is the
 * sha256 of the canonical JSON (safe-stable-stringify, sorted keys) of the component ids → hashes and
 * the key format's version. What goes in:
 *
 * - `image`: the image id the container would be made from (its reference when no id is known: the
 *   fake runtime, an image still to be pulled), never the tag alone;
 * - `command`: the effective command (after `caisson edit`), script or argv, and the shell that runs it;
 * - `workdir`: the image's working directory; `dockerRunArgs` (mounts, entrypoint, user… change results);
 * - `env:NAME`: each env variable's value; a secret by its name and a salted hash of its value;
 * - `runnerEnv:NAME`: each variable `cache.env` names, from the runner's environment, hashed (it may be a token);
 * - `input:PATH`: the content hash of each file `cache.inputs` selects (core/cache/input-files.ts);
 * - `upstream:PATH`: the key of each cached Exec that ran before this one in a Serial ancestor;
 * - `extra:NAME`: components a caller adds (the seam for artifacts' input hashes: CacheKeyParts.extra).
 *
 * cpu, mem, gpu, maxTime, retry and the node's name are not in the key: they change how a command is
 * run, not what it computes. Bump KEY_VERSION when the rules change, so old results are not reused.
 */
import { createHash } from 'node:crypto';
import { configure } from 'safe-stable-stringify';

const stringify = configure({ deterministic: true, circularValue: Error, bigint: false });

/** The version of the key rules: part of every key. */
export const KEY_VERSION = 1;

/** What a cached Exec's key is made of, gathered by the engine (or by `caisson run --dry-run`). */
export interface CacheKeyParts {
  /** The image id (or the reference, when no id is known). */
  image: string;
  /** The effective command. */
  command: string | readonly string[];
  /** The shell script commands run with (unset: the runtime's default). */
  shell?: string;
  /** The working directory commands start in (unset: the image's own). */
  workdir?: string;
  /** Extra `docker run` flags. */
  dockerRunArgs: readonly string[];
  /** Plain env values (the node's env as it runs). */
  env: Readonly<Record<string, string>>;
  /** Env variables given a secret: variable → the secret's name and a salted hash of its value (unset: no value). */
  secrets: Readonly<Record<string, { name: string; hash?: string }>>;
  /** Runner environment variables cache.env names → a salted hash of the value (unset: not set). */
  runnerEnv: Readonly<Record<string, string | undefined>>;
  /** Input file (pipeline-folder relative) → content sha256. */
  inputs: Readonly<Record<string, string>>;
  /** Upstream cached Exec path → its key. */
  upstream: Readonly<Record<string, string>>;
  /** Further components by name (artifacts add theirs here); any JSON value. */
  extra?: Readonly<Record<string, unknown>>;
}

/** One key component: its hash, and what may be shown of its value (never a secret's). */
export interface ManifestEntry {
  /** sha256 of the component's value (the content hash for a file, the key for an upstream node). */
  hash: string;
  /** The value as `why` may print it; absent for secrets, runner env and file contents. */
  show?: string;
  /** For a secret env variable: the secret's name. */
  secret?: string;
}

/** Every component of a key, by id (`image`, `env:NODE_ENV`, `input:src/a.ts`, …), and the key. */
export interface CacheManifest {
  /** KEY_VERSION when it was made. */
  version: number;
  /** The key: sha256 of the canonical JSON of the version and the components' hashes. */
  key: string;
  /** The Exec's path. */
  path: string;
  /** Component id → entry. */
  components: Record<string, ManifestEntry>;
}

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
const hashOf = (value: unknown): string => sha(stringify(value) ?? 'null');
const SHOW_MAX = 120;
const shown = (text: string): string => (text.length > SHOW_MAX ? `${text.slice(0, SHOW_MAX - 1)}…` : text);

/** The manifest (and so the key) of an Exec at `path` from its parts. */
export function cacheManifest(path: string, parts: CacheKeyParts): CacheManifest {
  const c: Record<string, ManifestEntry> = {};
  c.image = { hash: hashOf(parts.image), show: parts.image };
  const command = typeof parts.command === 'string' ? parts.command : [...parts.command];
  c.command = { hash: hashOf({ command, shell: parts.shell ?? null }), show: shown(typeof command === 'string' ? command : JSON.stringify(command)) };
  c.workdir = { hash: hashOf(parts.workdir ?? null), show: parts.workdir ?? '(the image\'s)' };
  c.dockerRunArgs = { hash: hashOf([...parts.dockerRunArgs]), show: shown(JSON.stringify(parts.dockerRunArgs)) };
  for (const [name, value] of Object.entries(parts.env)) c[`env:${name}`] = { hash: hashOf({ value }), show: shown(value) };
  for (const [name, s] of Object.entries(parts.secrets)) c[`env:${name}`] = { hash: hashOf({ secret: s.name, hash: s.hash ?? null }), secret: s.name };
  for (const [name, h] of Object.entries(parts.runnerEnv)) c[`runnerEnv:${name}`] = { hash: hashOf(h ?? null) };
  for (const [file, h] of Object.entries(parts.inputs)) c[`input:${file}`] = { hash: h };
  for (const [p, key] of Object.entries(parts.upstream)) c[`upstream:${p}`] = { hash: key };
  for (const [name, value] of Object.entries(parts.extra ?? {})) c[`extra:${name}`] = { hash: hashOf(value) };
  const key = hashOf({ version: KEY_VERSION, components: Object.fromEntries(Object.entries(c).map(([id, e]) => [id, e.hash])) });
  return { version: KEY_VERSION, key, path, components: c };
}

/** A salted hash of a secret's (or runner variable's) value: the same salt gives the same hash, the value cannot be read back. */
export function saltedHash(salt: string, value: string): string {
  return createHash('sha256').update(salt).update('\0').update(value).digest('hex');
}
