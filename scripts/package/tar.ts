/**
 * A minimal GNU-format tar writer: regular files and directories only, owner
 * and group 0 (numeric, no user/group names), one fixed mtime — the same bytes
 * `tar --format=gnu --numeric-owner --owner=0 --group=0 --mtime=@EPOCH` writes
 * (checked against GNU tar 1.34 in test/package). Names longer than 100 bytes
 * use GNU `././@LongLink` records. Entries are written in the order given;
 * `sortEntries` gives the order of GNU tar's `--sort=name`.
 */

/** One archive member. Directory names end with `/`. */
export interface TarEntry {
  name: string;
  /** Permission bits, e.g. 0o644. */
  mode: number;
  /** File content; absent for directories. */
  data?: Buffer;
}

const BLOCK = 512;
/** GNU tar's default record: 20 blocks. The archive is padded to a multiple of it. */
const RECORD = 20 * BLOCK;

/** `width - 1` octal digits, zero-padded, then NUL (the layout GNU tar uses for every numeric field). */
function octal(value: number, width: number): string {
  const s = value.toString(8);
  if (s.length > width - 1) throw new Error(`tar: value ${value} does not fit a ${width}-byte field`);
  return s.padStart(width - 1, '0') + '\0';
}

function header(name: Buffer, mode: number, size: number, mtime: number, type: string): Buffer {
  const h = Buffer.alloc(BLOCK);
  name.copy(h, 0, 0, Math.min(name.length, 100));
  h.write(octal(mode, 8), 100, 'latin1');
  h.write(octal(0, 8), 108, 'latin1'); // uid
  h.write(octal(0, 8), 116, 'latin1'); // gid
  h.write(octal(size, 12), 124, 'latin1');
  h.write(octal(mtime, 12), 136, 'latin1');
  h.write('        ', 148, 'latin1'); // checksum placeholder: eight spaces
  h.write(type, 156, 'latin1');
  h.write('ustar  \0', 257, 'latin1'); // GNU magic + version
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return h;
}

function padded(data: Buffer): Buffer[] {
  const rest = data.length % BLOCK;
  return rest === 0 ? [data] : [data, Buffer.alloc(BLOCK - rest)];
}

/** Serialise entries (in the given order) into one uncompressed tar archive. */
export function writeTar(entries: readonly TarEntry[], mtime: number): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const isDir = e.name.endsWith('/');
    if (isDir === (e.data !== undefined)) throw new Error(`tar: ${e.name}: directories end with '/' and have no data`);
    const name = Buffer.from(e.name, 'utf8');
    if (name.length > 100) {
      // GNU long name: a pseudo-file whose content is the NUL-terminated name.
      const long = Buffer.concat([name, Buffer.alloc(1)]);
      parts.push(header(Buffer.from('././@LongLink'), 0o644, long.length, 0, 'L'), ...padded(long));
    }
    const data = e.data ?? Buffer.alloc(0);
    parts.push(header(name, e.mode, data.length, mtime, isDir ? '5' : '0'));
    if (data.length > 0) parts.push(...padded(data));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  const size = parts.reduce((n, p) => n + p.length, 0);
  const rest = size % RECORD;
  if (rest !== 0) parts.push(Buffer.alloc(RECORD - rest));
  return Buffer.concat(parts);
}

/**
 * Order entries like GNU tar's `--sort=name` walking a tree: depth first, each
 * directory's children in byte order, a directory right before its contents.
 */
export function sortEntries(entries: readonly TarEntry[]): TarEntry[] {
  const key = (e: TarEntry): Buffer[] =>
    e.name.replace(/\/$/, '').split('/').map((part) => Buffer.from(part, 'utf8'));
  return [...entries].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
      const c = Buffer.compare(ka[i] as Buffer, kb[i] as Buffer);
      if (c !== 0) return c;
    }
    return ka.length - kb.length;
  });
}
