/**
 * Replace a file and keep its permission bits. writeFileAtomic creates the new
 * file under the process umask, and rpcd runs its plugins with umask 0077
 * (real-programs.md §2), so a renamed-in config would come back 0600.
 * quickjs-libc has neither chmod() nor umask(), hence the one `chmod` run,
 * with a numeric mode and our own path only (no user text).
 */
import { fileMode, writeFileAtomic } from './fs';
import { run, firstLine } from './exec';
import { rooted } from './root';

/** Returns null on success or an error sentence. */
export function replaceKeepingMode(path: string, text: string, mode: number | null): string | null {
  const err = writeFileAtomic(path, text);
  if (err) return err;
  return mode === null ? null : ensureMode(path, mode);
}

/** Give `path` these permission bits if it has others. Null on success, or why not. */
export function ensureMode(path: string, mode: number): string | null {
  const now = fileMode(path);
  if (now === mode) return null;
  const octal = (mode & 0o7777).toString(8).padStart(4, '0');
  const r = run(['chmod', octal, rooted(path)], { timeoutMs: 3000 });
  if (r.code === 0 && fileMode(path) === mode) return null;
  return `${path} has mode ${now === null ? 'unknown' : now.toString(8)} instead of ${octal} (chmod: ${r.error ?? (firstLine(r) || `exit ${r.code}`)})`;
}
