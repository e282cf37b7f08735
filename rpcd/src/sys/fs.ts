import * as std from 'std';
import * as os from 'os';
import { rooted } from './root';

/** Result of reading a file: its text, or why it could not be read. */
export type ReadResult = { ok: true; text: string } | { ok: false; error: string };

/**
 * Read a whole file as text. Works for /proc and /sys, where `std.loadFile`
 * returns "" because those files report size 0 (contracts §8.3).
 */
export function readFile(path: string): ReadResult {
  const err: { errno?: number } = {};
  const f = std.open(rooted(path), 'r', err);
  if (!f) return { ok: false, error: `${path}: ${std.strerror(err.errno ?? 0)}` };
  try {
    const text = f.readAsString();
    // fopen() succeeds on a directory and on some unreadable kernel files; the read is what fails.
    if (f.error()) return { ok: false, error: `${path}: read error` };
    return { ok: true, text };
  } finally {
    f.close();
  }
}

/**
 * Hand every line of a file to `fn`, one at a time (FILE.getline): a 64k-entry conntrack table
 * is ~14 MB of text, which read whole and split took ~110 MB of the handler's memory.
 */
export function eachLine(path: string, fn: (line: string) => void): { ok: true } | { ok: false; error: string } {
  const err: { errno?: number } = {};
  const f = std.open(rooted(path), 'r', err);
  if (!f) return { ok: false, error: `${path}: ${std.strerror(err.errno ?? 0)}` };
  try {
    for (let l = f.getline(); l !== null; l = f.getline()) fn(l);
    if (f.error()) return { ok: false, error: `${path}: read error` };
    return { ok: true };
  } finally {
    f.close();
  }
}

/** Read a file, or null when it cannot be read. */
export function readText(path: string): string | null {
  const r = readFile(path);
  return r.ok ? r.text : null;
}

/** Read a one-line file (sysfs attribute) without its trailing newline. */
export function readLine(path: string): string | null {
  const t = readText(path);
  return t === null ? null : t.replace(/\n$/, '');
}

export function exists(path: string): boolean {
  return os.stat(rooted(path))[1] === 0;
}

/** Permission bits (mode & 07777) of a file, or null when it cannot be stat()ed. */
export function fileMode(path: string): number | null {
  const [st, e] = os.stat(rooted(path));
  return e === 0 && st !== null ? st.mode & 0o7777 : null;
}

export function isExecutable(path: string): boolean {
  const [st, e] = os.stat(rooted(path));
  return e === 0 && st !== null && (st.mode & os.S_IFMT) === os.S_IFREG && (st.mode & 0o111) !== 0;
}

/** Entries of a directory without `.` and `..`; [] when it cannot be read. */
export function listDir(path: string): string[] {
  const [names, e] = os.readdir(rooted(path));
  return e === 0 ? names.filter((n) => n !== '.' && n !== '..').sort() : [];
}

/** Create a directory and its parents (mode 0700 for runtime state). */
export function mkdirs(path: string): void {
  let cur = '';
  for (const part of path.split('/').filter(Boolean)) {
    cur += '/' + part;
    os.mkdir(rooted(cur), 0o700);
  }
}

/**
 * Replace a file atomically: write a temporary file next to it, then rename.
 * Returns null on success or an error sentence.
 */
export function writeFileAtomic(path: string, text: string): string | null {
  const tmp = `${path}.offload-${os.getpid()}`;
  const err: { errno?: number } = {};
  const f = std.open(rooted(tmp), 'w', err);
  if (!f) return `cannot write ${tmp}: ${std.strerror(err.errno ?? 0)}`;
  f.puts(text);
  f.flush();
  const bad = f.error();
  f.close();
  if (bad) {
    os.remove(rooted(tmp));
    return `cannot write ${tmp}: write error`;
  }
  const r = os.rename(rooted(tmp), rooted(path));
  if (r !== 0) {
    os.remove(rooted(tmp));
    return `cannot replace ${path}: ${std.strerror(-r)}`;
  }
  return null;
}

export function removeFile(path: string): void {
  os.remove(rooted(path));
}
