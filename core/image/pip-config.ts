/**
 * The package index installPip uses, as a pip.conf handed to the pip step as a BuildKit secret (pip
 * reads it through PIP_CONFIG_FILE). The image's pipIndexUrl / pipExtraIndexUrls, else PIP_INDEX_URL /
 * PIP_EXTRA_INDEX_URL where the image builds. Credentials in those URLs thus never reach the Dockerfile,
 * a layer or the image history, and since the content hash covers only the spec (plain URLs, secret
 * names), it never depends on a credential.
 */
import type { RequirementFields } from '../ir/codecs.ts';
import { ImageSpecError } from '../errors.ts';
import type { PlanContext } from './kind.ts';

/** Secret id (and /run/secrets/ name) of the generated pip.conf. */
export const PIP_SECRET_ID = 'caisson-pip';

type IndexUrl = NonNullable<RequirementFields['pipIndexUrl']>;

/** The pip.conf text for `spec`'s pip step, or undefined when no index is configured anywhere. */
export function pipConfig(spec: Pick<RequirementFields, 'pipIndexUrl' | 'pipExtraIndexUrls'>, image: string, ctx: Pick<PlanContext, 'secret' | 'optionalSecret'>): string | undefined {
  const url = (v: IndexUrl, option: string): string => {
    const text = typeof v === 'string' ? v : ctx.secret(v.secret, option);
    // One line of pip.conf per URL: a newline in a secret's value would write other settings.
    if (!/^\S+$/.test(text.trim())) throw new ImageSpecError(image, `${option}: the value of secret "${typeof v === 'string' ? '' : v.secret}" is not one URL (it holds whitespace)`, { option });
    return text.trim();
  };
  const index = spec.pipIndexUrl !== undefined ? url(spec.pipIndexUrl, 'pipIndexUrl') : ctx.optionalSecret('PIP_INDEX_URL')?.trim();
  const extras = spec.pipExtraIndexUrls !== undefined ? spec.pipExtraIndexUrls.map((v) => url(v, 'pipExtraIndexUrls'))
    : (ctx.optionalSecret('PIP_EXTRA_INDEX_URL') ?? '').split(/\s+/).filter(Boolean);
  if (!index && extras.length === 0) return undefined;
  const lines = ['[global]'];
  if (index) lines.push(`index-url = ${index}`);
  if (extras.length) lines.push('extra-index-url =', ...extras.map((e) => `    ${e}`));
  return `${lines.join('\n')}\n`;
}
