/**
 * Serialise `set` and `flush`: one lock file holding the owner's pid. A lock
 * left by a process that no longer exists (rpcd killed it at its timeout) is
 * taken over.
 */
import * as os from 'os';
import * as std from 'std';
import { rooted } from './root';
import { mkdirs, readLine } from './fs';

export const STATE_DIR = '/var/run/luci-offload';
const LOCK = `${STATE_DIR}/apply.lock`;

function alive(pid: number): boolean {
  return pid > 0 && os.kill(pid, 0) === 0;
}

/** Try for up to `waitMs`; returns a release function, or null when another apply holds the lock. */
export function acquireLock(waitMs: number): (() => void) | null {
  mkdirs(STATE_DIR);
  const deadline = Date.now() + waitMs;
  for (;;) {
    const fd = os.open(rooted(LOCK), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600);
    if (fd >= 0) {
      const f = std.fdopen(fd, 'w');
      f?.puts(String(os.getpid()));
      f?.close();
      return () => {
        os.remove(rooted(LOCK));
      };
    }
    const owner = Number.parseInt(readLine(LOCK) ?? '', 10);
    if (Number.isFinite(owner) && !alive(owner)) {
      // Stale: the owner died. Remove and retry at once.
      os.remove(rooted(LOCK));
      continue;
    }
    if (Date.now() >= deadline) return null;
    os.sleep(50);
  }
}
