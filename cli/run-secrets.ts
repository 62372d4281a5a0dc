/** The secret sources of `caisson run`: only looked for when the pipeline (its nodes, its image builds) refers to a secret. */
import { dirname } from 'node:path';
import { pipelineSecrets, secretNames, type ImageService, type PipelineIR, type SecretSource } from '../core/plugin-kit.ts';

/**
 * The runner's environment over `.caisson/secrets` in the pipeline file's folder, when `ir` uses
 * secret(); undefined otherwise (so an unsafe secrets file only matters to pipelines that use it).
 * @throws SecretError when the file exists with a mode other than 0600 or a malformed line.
 */
export function runSecrets(ir: PipelineIR, pipelineFile: string): SecretSource | undefined {
  return secretNames(ir).length > 0 ? pipelineSecrets(dirname(pipelineFile)) : undefined;
}

/**
 * Where the images of `ir` read their secrets (build secrets, secret package indexes, copyCredentials, as
 * their kinds in `images` name them): the runner's environment over `.caisson/secrets` in the pipeline
 * file's folder, when an image uses any; undefined otherwise.
 * @throws SecretError when the file exists with a mode other than 0600 or a malformed line.
 */
export function imageSecrets(images: ImageService, ir: PipelineIR, pipelineFile: string): SecretSource | undefined {
  return images.secretNames(ir).length > 0 ? pipelineSecrets(dirname(pipelineFile)) : undefined;
}
