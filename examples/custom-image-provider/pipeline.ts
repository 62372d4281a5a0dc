/** A pipeline using the custom "files" image kind: `caisson run` needs filesImages() registered (see README.md). */
import { pipeline } from 'caisson';
import { filesImage } from './files-image-provider.ts';

const config = filesImage('config', { base: 'busybox:latest', files: { '/etc/app.conf': 'greeting=hello\n' } });

export default pipeline('custom-image', { image: config }).exec('show', 'cat /etc/app.conf');
