/**
 * Serialise `set` and `flush` with one lock: a symlink whose target names the
 * owner as `pid:starttime` (starttime from /proc/PID/stat, in clock ticks since
 * boot). symlink(2) creates the name and its content in one step, so a reader
 * never sees a half-written lock, and pid + start time tell a dead owner from
 * a process that merely reuses its pid (issue 14: a reused pid made every
 * `set` answer "busy" until reboot).
 *
 * A lock whose owner is gone (rpcd killed it at its timeout) is taken over
 * without a race: the taker first creates a guard named after the stale
 * owner, re-reads the lock under it and removes the lock only if it still
 * names that owner. Two takers cannot both hold the guard of one owner, and a
 * slow taker that wins the guard later finds the lock changed and leaves it.
 */
import * as os from 'os';
import * as std from 'std';
import { rooted } from './root';
import { mkdirs, readLine } from './fs';

export const STATE_DIR = '/var/run/luci-offload';
export const LOCK = `${STATE_DIR}/apply.lock`;
/** A lock file of the older format (a regular file holding a pid) counts only this long. */
const LEGACY_LOCK_MS = 60000;

/** Field 22 of /proc/PID/stat (the real /proc, never the root: pids are the kernel's). */
function startTime(pid: number): string | null {
  const f = std.open(`/proc/${pid}/stat`, 'r');
  if (!f) return null;
  const text = f.readAsString();
  f.close();
  // comm (field 2) is in parentheses and may hold spaces or ')': fields 3… follow the last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return rest[19] ?? null;
}

/** This process as the lock and the journal name it. */
export function ownerId(pid: number = os.getpid()): string {
  return `${pid}:${startTime(pid) ?? '?'}`;
}

/** Is the process an owner id names still running (the same process, not a reuse of its pid)? */
export function ownerAlive(id: string): boolean {
  const m = /^(\d+):(\d+|\?)$/.exec(id);
  if (!m) return false;
  const pid = Number(m[1]);
  if (!(pid > 0) || os.kill(pid, 0) !== 0) return false;
  const st = startTime(pid);
  return m[2] === '?' || st === null || st === m[2];
}

/** What a lock path holds: the symlink's target, `file:<text>` for a regular file, null when absent. */
function lockContent(path: string): string | null {
  const [target, e] = os.readlink(rooted(path));
  if (e === 0) return target;
  const [st, se] = os.lstat(rooted(path));
  if (se !== 0 || st === null) return null;
  return `file:${readLine(path) ?? ''}@${st.mtime}`;
}

function contentAlive(content: string): boolean {
  if (!content.startsWith('file:')) return ownerAlive(content);
  // The older format: a pid only. Alive while that pid runs and the file is young.
  const m = /^file:(\d*)@(\d+)$/.exec(content);
  if (!m) return false;
  const pid = Number(m[1]);
  return pid > 0 && os.kill(pid, 0) === 0 && Date.now() - Number(m[2]) < LEGACY_LOCK_MS;
}

/**
 * Remove `path` if it still holds `stale`, under a guard named after `stale`.
 * A guard left by a taker that died is taken over the same way (depth-limited).
 */
export function takeOver(path: string, stale: string, me: string, depth = 0): void {
  const guard = `${path}.takeover-${stale.replace(/[^0-9A-Za-z:@_-]/g, '_').slice(0, 60)}`;
  if (os.symlink(me, rooted(guard)) !== 0) {
    const g = lockContent(guard);
    if (g !== null && depth < 3 && !contentAlive(g)) takeOver(guard, g, me, depth + 1);
    return;
  }
  if (lockContent(path) === stale) os.remove(rooted(path));
  os.remove(rooted(guard));
}

/** Try for up to `waitMs`; returns a release function, or null when another apply holds the lock. */
export function acquireLock(waitMs: number): (() => void) | null {
  mkdirs(STATE_DIR);
  const me = ownerId();
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (os.symlink(me, rooted(LOCK)) === 0) {
      return () => {
        if (lockContent(LOCK) === me) os.remove(rooted(LOCK));
      };
    }
    const owner = lockContent(LOCK);
    if (owner !== null && !contentAlive(owner)) {
      takeOver(LOCK, owner, me);
      continue;
    }
    if (Date.now() >= deadline) return null;
    os.sleep(20 + Math.floor(Math.random() * 30));
  }
}
