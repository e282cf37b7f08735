/**
 * Drives the handler's lock module under QuickJS: take the lock, log start and
 * end of the critical section to $LOCK_LOG, hold it for $HOLD_MS, release.
 * Prints `ok`, or `busy` when the lock was not obtained.
 */
import * as std from 'std';
import * as os from 'os';
import { acquireLock, takeOver, ownerId, LOCK } from '../../../rpcd/src/sys/lock';

const log = (s: string): void => {
  const f = std.open(std.getenv('LOCK_LOG') ?? '/dev/null', 'a');
  f?.puts(`${s} ${os.getpid()}\n`);
  f?.close();
};
const stale = std.getenv('TAKEOVER');
if (stale) {
  // The step of a slow waiter that judged the lock stale earlier.
  takeOver(LOCK, stale, ownerId());
  std.out.puts('done\n');
  std.exit(0);
}
const release = acquireLock(Number(std.getenv('WAIT_MS') ?? '5000'));
if (!release) std.out.puts('busy\n');
else {
  log('S');
  os.sleep(Number(std.getenv('HOLD_MS') ?? '20'));
  log('E');
  release();
  std.out.puts('ok\n');
}
