/**
 * The secret values one resolve reads (build secrets, secret package indexes, git credentials), from the
 * same sources as secret() in nodes, and the one scrubber every event and error of that resolve passes
 * through: each value in the forms output shows it in (core/secrets), percent-encoded too (as a URL
 * holds it), and the password of a value that is a URL; and, since build output may quote a URL Caisson
 * never saw, the password of any URL in the text. Nothing is kept past the resolve.
 */
import { ImageBuildError } from '../errors.ts';
import { SecretPatterns, scrubText } from '../secrets/scrubber.ts';
import { maskForms } from '../secrets/secret-forms.ts';
import type { SecretSource } from '../secrets/secret-source.ts';
import { maskUrlPasswords, urlUserinfo } from '../secrets/url-userinfo.ts';

/** Secrets from this process's environment (the library default). */
export const ENV_SECRETS: SecretSource = { get: (n) => process.env[n], howToSet: (n) => `export ${n}=… in the environment of the process that builds images` };

/** The forms a value is masked in: its own, percent-encoded, and those of a URL password in it. */
function formsOf(value: string): string[] {
  const password = urlUserinfo(value.trim()).password;
  return [value, ...(password ? [password] : [])].flatMap((v) => [...maskForms(v), encodeURIComponent(v)]);
}

/** Secret values read during one resolve, and the masking of everything it shows. */
export class ResolveSecrets {
  private readonly revealed = new Set<string>();
  private patterns: SecretPatterns | undefined;

  /** @param source where values are read (the runner's environment, then `.caisson/secrets`, for the CLI) */
  constructor(private readonly source: SecretSource = ENV_SECRETS) {}

  /** The value of `name`, or undefined when it is set nowhere; a value read is masked from now on. */
  optional(name: string): string | undefined {
    const value = this.source.get(name);
    if (value !== undefined) {
      for (const form of formsOf(value)) if (form.length >= 4) this.revealed.add(form);
      this.patterns = undefined;
    }
    return value;
  }

  /**
   * The value of `name`.
   * @throws ImageBuildError naming `image`, `where` needs it and how to set it, when it is set nowhere
   */
  required(name: string, where: string, image: string): string {
    const value = this.optional(name);
    if (value === undefined) throw new ImageBuildError(image, `${where}: secret "${name}" is not set; ${this.source.howToSet(name)}`);
    return value;
  }

  /** `text` with every value read so far, and every URL password, masked as `***`. */
  scrub(text: string): string {
    if (this.revealed.size === 0) return maskUrlPasswords(text);
    this.patterns ??= new SecretPatterns(this.revealed);
    return maskUrlPasswords(scrubText(text, this.patterns));
  }
}
