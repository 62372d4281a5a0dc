/** The docker tag of a built image: its name, made a valid repository, and its content hash. */

/** The docker tag of an image: `caisson/<name>:<first 12 hex of its content hash>`. */
export const imageTag = (name: string, hash: string): string =>
  `caisson/${name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-._]+/, '') || 'image'}:${hash.slice(0, 12)}`;
