/**
 * The stand-ins' own file helpers (QuickJS). Every path is a router path under
 * OFFLOAD_ROOT, as on the handler's side, but written here so the simulator
 * shares no code with the handler it is meant to check.
 */
import * as std from 'std';
import * as os from 'os';

export const ROOT: string = (std.getenv('OFFLOAD_ROOT') ?? '').replace(/\/+$/, '');
export const rooted = (p: string): string => ROOT + p;

/** Whole file as text (works for size-0 kernel files), or null. */
export function readText(path: string): string | null {
  const f = std.open(rooted(path), 'r');
  if (!f) return null;
  const t = f.readAsString();
  const bad = f.error();
  f.close();
  return bad ? null : t;
}

export function exists(path: string): boolean {
  return os.stat(rooted(path))[1] === 0;
}

export function isExecutable(path: string): boolean {
  const [st, e] = os.stat(rooted(path));
  return e === 0 && st !== null && (st.mode & os.S_IFMT) === os.S_IFREG && (st.mode & 0o111) !== 0;
}

export function listDir(path: string): string[] {
  const [names, e] = os.readdir(rooted(path));
  return e === 0 ? names.filter((n) => n !== '.' && n !== '..').sort() : [];
}

export function mkdirs(path: string): void {
  let cur = '';
  for (const part of path.split('/').filter(Boolean)) {
    cur += '/' + part;
    os.mkdir(rooted(cur), 0o755);
  }
}

/** Write to a temporary file and rename it over `path`; null or an error sentence. */
export function writeFileAtomic(path: string, text: string): string | null {
  const tmp = `${path}.sim-${os.getpid()}`;
  const f = std.open(rooted(tmp), 'w');
  if (!f) return `cannot write ${path}`;
  f.puts(text);
  f.flush();
  const bad = f.error();
  f.close();
  if (bad || os.rename(rooted(tmp), rooted(path)) !== 0) {
    os.remove(rooted(tmp));
    return `cannot write ${path}`;
  }
  return null;
}

export function removeFile(path: string): void {
  os.remove(rooted(path));
}
