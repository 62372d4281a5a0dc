/**
 * Where a run finds secret values: the runner's environment first, then the pipeline's secrets file.
 * Values live only in memory: they are looked up when a command starts and handed to the runtime.
 */
import { readSecretsFile, secretsFilePath } from './secrets-file.ts';

/** Answers secret names with values. */
export interface SecretSource {
  /** The value of secret `name`, or undefined when it is not set anywhere. */
  get(name: string): string | undefined;
  /** Tells a user how to set a missing secret `name` (ends a "secret X is not set" message). */
  howToSet(name: string): string;
}

/** A source backed by fixed values (tests, library use). */
export function staticSecrets(values: Record<string, string>, how = 'pass it in the run\'s secrets'): SecretSource {
  const map = new Map(Object.entries(values));
  return { get: (n) => map.get(n), howToSet: () => how };
}

/**
 * The runner's environment over the secrets file of a pipeline in `dir` (`<dir>/.caisson/secrets`).
 * @throws SecretError when the file exists with a mode other than 0600 or has a malformed line.
 */
export function pipelineSecrets(dir: string, env: NodeJS.ProcessEnv = process.env): SecretSource {
  const file = secretsFilePath(dir);
  const fromFile = readSecretsFile(file) ?? new Map<string, string>();
  return {
    get: (n) => env[n] ?? fromFile.get(n),
    howToSet: (n) => `export ${n}=… before running, or add a ${n}=… line to ${file} (chmod 600)`,
  };
}
