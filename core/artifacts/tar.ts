/**
 * A small tar codec over whole buffers: what artifacts need and no more. Node has no tar in its
 * standard library and core takes no dependency for it (the Docker plugin's tar-fs is dockerode's, not
 * ours). Reads ustar with PAX ('x', 'g') and GNU long-name ('L', 'K') headers and base-256 sizes, as
 * Docker's getArchive (Go's archive/tar) writes them; hard links become copies of the file they name.
 * Writes ustar with a PAX header for names past 100 bytes, normalised (no times, owners root), so equal
 * content gives equal bytes and an equal sha256.
 */

/** One entry of an archive. Directory names end without a slash; `data` is set for files. */
export interface TarEntry {
  /** Path inside the archive, '/'-separated, no leading "./" or "/". */
  name: string;
  /** What the entry is. */
  type: 'file' | 'dir' | 'symlink';
  /** Permission bits (0o755…). */
  mode: number;
  /** A file's content. */
  data?: Buffer;
  /** A symlink's target. */
  linkname?: string;
}

const BLOCK = 512;

function readString(b: Buffer, off: number, len: number): string {
  const end = b.indexOf(0, off);
  return b.toString('utf8', off, end === -1 || end > off + len ? off + len : end);
}

function readNumber(b: Buffer, off: number, len: number): number {
  // Base-256 (GNU, high bit set) for values too large for octal.
  if ((b[off]! & 0x80) !== 0) {
    let n = b[off]! & 0x7f;
    for (let i = 1; i < len; i++) n = n * 256 + b[off + i]!;
    return n;
  }
  const s = readString(b, off, len).trim();
  return s === '' ? 0 : parseInt(s, 8);
}

function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < data.length) {
    const space = data.indexOf(0x20, i);
    if (space === -1) break;
    const len = parseInt(data.toString('utf8', i, space), 10);
    if (!Number.isFinite(len) || len <= 0) break;
    const record = data.toString('utf8', space + 1, i + len - 1);
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    i += len;
  }
  return out;
}

/** A name as entries keep it: no leading "./" or "/", no trailing "/". */
export function cleanName(name: string): string {
  let n = name.replace(/\/+$/, '');
  while (n.startsWith('./')) n = n.slice(2);
  n = n.replace(/^\/+/, '');
  return n === '.' ? '' : n;
}

/**
 * Reads every entry of a tar archive. Entries other than files, directories and links (devices,
 * fifos) are left out. A file's `data` is a view into `tar` (no copy).
 * @throws Error for an archive cut short or with a bad header checksum
 */
export function readTar(tar: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  const files = new Map<string, TarEntry>();
  let pax: Record<string, string> = {};
  let global: Record<string, string> = {};
  let longName: string | undefined;
  let longLink: string | undefined;
  let off = 0;
  while (off + BLOCK <= tar.length) {
    const h = tar.subarray(off, off + BLOCK);
    if (h.every((x) => x === 0)) break;
    const sum = readNumber(h, 148, 8);
    let computed = 0;
    for (let i = 0; i < BLOCK; i++) computed += i >= 148 && i < 156 ? 0x20 : h[i]!;
    if (sum !== computed) throw new Error(`tar: bad header checksum at byte ${off}`);
    const type = String.fromCharCode(h[156]!) || '0';
    const size = readNumber(h, 124, 12);
    const start = off + BLOCK;
    if (start + size > tar.length) throw new Error(`tar: the archive ends inside an entry (at byte ${off})`);
    const data = tar.subarray(start, start + size);
    off = start + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') { pax = parsePax(data); continue; }
    if (type === 'g') { global = { ...global, ...parsePax(data) }; continue; }
    if (type === 'L') { longName = readString(data, 0, data.length); continue; }
    if (type === 'K') { longLink = readString(data, 0, data.length); continue; }
    const prefix = h.subarray(257, 262).toString('latin1') === 'ustar' ? readString(h, 345, 155) : '';
    const rawName = pax.path ?? global.path ?? longName ?? (prefix ? `${prefix}/${readString(h, 0, 100)}` : readString(h, 0, 100));
    const link = pax.linkpath ?? longLink ?? readString(h, 157, 100);
    pax = {}; longName = undefined; longLink = undefined;
    const name = cleanName(rawName);
    const mode = readNumber(h, 100, 8) & 0o7777;
    let entry: TarEntry | undefined;
    // A view into `tar`, not a copy: a 100 MB artifact is not held twice.
    if (type === '0' || type === '\0' || type === '7') entry = { name, type: 'file', mode, data };
    else if (type === '5') entry = { name, type: 'dir', mode };
    else if (type === '2') entry = { name, type: 'symlink', mode, linkname: link };
    else if (type === '1') {
      const target = files.get(cleanName(link));
      if (target) entry = { name, type: 'file', mode, data: target.data! };
    }
    if (!entry || name === '') continue;
    if (entry.type === 'file') files.set(name, entry);
    entries.push(entry);
  }
  return entries;
}

function writeOctal(b: Buffer, value: number, off: number, len: number): void {
  b.write(`${value.toString(8).padStart(len - 1, '0')}\0`, off, len, 'latin1');
}

function header(name: string, type: string, mode: number, size: number, linkname = ''): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'utf8');
  writeOctal(h, mode, 100, 8);
  writeOctal(h, 0, 108, 8);
  writeOctal(h, 0, 116, 8);
  writeOctal(h, size, 124, 12);
  writeOctal(h, 0, 136, 12);
  h.write(type, 156, 1, 'latin1');
  h.write(linkname, 157, 100, 'utf8');
  h.write('ustar\0', 257, 6, 'latin1');
  h.write('00', 263, 2, 'latin1');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += h[i]!;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
  return h;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

const pad = (n: number): Buffer => Buffer.alloc((BLOCK - (n % BLOCK)) % BLOCK);

/** Writes entries, in the order given, as a normalised archive (see the module comment). */
export function writeTar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const name = e.type === 'dir' ? `${e.name}/` : e.name;
    const link = e.linkname ?? '';
    const long = Buffer.byteLength(name) > 100 || Buffer.byteLength(link) > 100;
    if (long) {
      const pax = Buffer.from(paxRecord('path', name) + (link ? paxRecord('linkpath', link) : ''));
      parts.push(header('PaxHeader', 'x', 0o644, pax.length), pax, pad(pax.length));
    }
    const short = long ? Buffer.from(name).subarray(0, 100).toString('utf8') : name;
    const size = e.type === 'file' ? e.data!.length : 0;
    parts.push(header(short, e.type === 'file' ? '0' : e.type === 'dir' ? '5' : '2', e.mode, size, long ? '' : link));
    if (e.type === 'file') parts.push(e.data!, pad(size));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}
