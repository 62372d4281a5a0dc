/**
 * Secrets: values read at run time (environment, `.caisson/secrets`), never stored, masked in output.
 */
export { SecretPatterns, SecretScrubber, scrubText, MASK } from './scrubber.ts';
export { maskForms, MIN_SECRET_LENGTH } from './secret-forms.ts';
export { parseSecrets, readSecretsFile, secretsFilePath } from './secrets-file.ts';
export { pipelineSecrets, staticSecrets } from './secret-source.ts';
export type { SecretSource } from './secret-source.ts';
export { secretNames } from './secret-names.ts';
export { urlUserinfo, maskUserinfo, maskUrlPasswords, stripUserinfo, isUnreadableCredentialUrl } from './url-userinfo.ts';
export type { Userinfo } from './url-userinfo.ts';
