/**
 * A pipeline using the custom "files" image kind. Its `plugins` export tells the `caisson` command to
 * register the kind's provider:  caisson run examples/custom-image-provider/pipeline.ts
 */
import { pipeline } from 'caisson';
import { filesImage, filesImages } from './files-image-provider.ts';

const config = filesImage('config', { base: 'busybox:latest', files: { '/etc/app.conf': 'greeting=hello\n' } });

/** Plugins the command registers beside the built-in ones. */
export const plugins = [filesImages()];

export default pipeline('custom-image', { image: config }).exec('show', 'cat /etc/app.conf');
