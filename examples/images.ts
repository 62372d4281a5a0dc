/**
 * Images as values: a string reference, a named image registered once and used by name, and the
 * nearest-ancestor rule (a child's image overrides its parent's for its own subtree).
 */
import { image, pipeline } from 'caisson';

const debian = image({ ref: 'debian:bookworm-slim', name: 'debian' });

export default pipeline('images', { image: 'busybox:latest' })
  .registerImage(debian)
  .exec('busybox', 'echo "busybox: $(cat /etc/os-release 2>/dev/null | head -n1 || uname -a)"')
  .parallel('distros', (p) =>
    p
      .exec('debian', 'head -n1 /etc/os-release', { imageName: 'debian' })
      .exec('inherited', 'busybox | head -n1'),
  )
  .serial('all-debian', (s) => s.exec('apt', 'apt-get --version | head -n1').exec('dpkg', 'dpkg --print-architecture'), { imageName: 'debian' });
