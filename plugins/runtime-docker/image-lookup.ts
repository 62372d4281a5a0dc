/**
 * Looking up an image: inspect it, else try one pull (on our machines no registry answers, so this fails
 * fast), else ImageNotFoundError naming the image.
 */
import type Docker from 'dockerode';
import { ImageNotFoundError } from '../../core/index.ts';
import { debugLog } from '../../core/plugin-kit.ts';
import { engineMessage } from './connection.ts';

const log = debugLog('docker');

/** The parts of an image the runtime uses. */
export interface ImageInfo {
  /** Image id (sha256:…). */
  id: string;
  /** The image's WORKDIR, when it sets one. */
  workdir?: string;
  /** The image's ENV entries ("K=V"). */
  env: string[];
}

const inspect = async (docker: Docker, ref: string): Promise<ImageInfo | undefined> => {
  try {
    const info = await docker.getImage(ref).inspect();
    return { id: info.Id, workdir: info.Config?.WorkingDir || undefined, env: info.Config?.Env ?? [] };
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return undefined;
    throw e;
  }
};

const pull = (docker: Docker, ref: string, timeoutMs: number): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pull timed out after ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    const done = (e: unknown) => { clearTimeout(timer); if (e) reject(e); else resolve(); };
    void docker.pull(ref, (err: unknown, stream: NodeJS.ReadableStream) => {
      if (err) return done(err);
      docker.modem.followProgress(stream, (e: unknown) => done(e));
    });
  });

/** Inspects `ref`, pulling it once when absent; throws ImageNotFoundError when it still is not there. */
export const fetchImage = async (docker: Docker, ref: string, pullTimeoutMs: number): Promise<ImageInfo> => {
  const present = await inspect(docker, ref);
  if (present) { log('image present', { ref, id: present.id }); return present; }
  log('image absent, pulling', { ref, timeoutMs: pullTimeoutMs });
  let why = '';
  try {
    await pull(docker, ref, pullTimeoutMs);
  } catch (e) {
    const msg = engineMessage(e);
    why = `pull failed: ${msg.trim().split('\n')[0]}`;
  }
  const pulled = await inspect(docker, ref);
  log(pulled ? 'image pulled' : 'image not found', { ref, ...(pulled ? { id: pulled.id } : { why }) });
  if (pulled) return pulled;
  throw new ImageNotFoundError(ref, why);
};
