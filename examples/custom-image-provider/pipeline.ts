/**
 * A pipeline using the custom "files" image kind. Its `plugins` export tells the `caisson` command to
 * add the kind:  caisson run examples/custom-image-provider/pipeline.ts
 */
import { image, pipeline } from 'caisson';
import { filesImages, filesKind } from './files-image-provider.ts';

const config = image({ provider: filesKind, params: { base: 'busybox:latest', files: { '/etc/app.conf': 'greeting=hello\n' } }, name: 'config' });

/** Plugins the command registers beside the built-in ones. */
export const plugins = [filesImages()];

export default pipeline('custom-image', { image: config }).exec('show', 'cat /etc/app.conf');
