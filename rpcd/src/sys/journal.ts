/**
 * The apply journal and the last fw4 warning: the state `set` leaves in
 * /var/run/luci-offload for the next call and for `status`. Here in sys/ so
 * that methods/status reads it without importing methods/apply.
 */
import * as os from 'os';
import type { Mode, InterruptedApply } from '../api/contract';
import { MODES } from '../api/contract';
import { STATE_DIR, ownerAlive } from './lock';
import { readText, writeFileAtomic, removeFile, mkdirs } from './fs';

export const FIREWALL_CONFIG = '/etc/config/firewall';
const CONFIG = FIREWALL_CONFIG;
const JOURNAL = `${STATE_DIR}/apply.json`;
const LAST_WARNING = `${STATE_DIR}/last-warning.json`;

export interface Journal {
  pid: number;
  /** `pid:starttime` of the writer (see sys/lock): a reused pid is not the writer. */
  owner?: string;
  at: number;
  previous: Mode;
  requested: Mode;
  backup: string;
  /** Permission bits of the config before the change (null: unknown). */
  mode: number | null;
}

/** Null when written, else why not. Without it there is no crash protection, so `set` stops. */
export function writeJournal(j: Journal): string | null {
  mkdirs(STATE_DIR);
  return writeFileAtomic(JOURNAL, JSON.stringify(j));
}

/** Is the apply that wrote this journal still running? */
export function writerAlive(j: Journal): boolean {
  if (typeof j.owner === 'string') return ownerAlive(j.owner);
  return j.pid > 0 && os.kill(j.pid, 0) === 0;
}

export function loadJournal(): Journal | null {
  const t = readText(JOURNAL);
  if (t === null) return null;
  try {
    const j = JSON.parse(t) as Journal;
    if (typeof j.backup === 'string' && typeof j.pid === 'number' && MODES.includes(j.previous) && MODES.includes(j.requested)) {
      return { ...j, mode: typeof j.mode === 'number' ? j.mode : null, owner: typeof j.owner === 'string' ? j.owner : undefined };
    }
  } catch {
    /* a torn journal is reported below as unusable */
  }
  return { pid: -1, at: 0, previous: 'off', requested: 'off', backup: '', mode: null };
}

/** An apply whose process is gone before it finished (rpcd killed it at its timeout). */
export function readJournal(): InterruptedApply | null {
  const j = loadJournal();
  if (!j || writerAlive(j)) return null;
  const current = readText(CONFIG);
  const restorable = j.backup !== '';
  const same = current === j.backup;
  return {
    requested: j.requested,
    previous: j.previous,
    at: j.at,
    config_restorable: restorable,
    detail: restorable
      ? `An offload change from ${j.previous} to ${j.requested} was interrupted` +
        (same ? ' before the firewall config was changed.' : ' after the firewall config was changed; the running firewall may not match it.') +
        ' The next change restores the saved config first.'
      : 'An offload change was interrupted and its journal is unreadable; check the firewall settings.',
  };
}

export function readLastWarning(): { text: string; at: number } | null {
  const t = readText(LAST_WARNING);
  if (t === null) return null;
  try {
    const w = JSON.parse(t) as { text: unknown; at: unknown };
    return typeof w.text === 'string' && typeof w.at === 'number' ? { text: w.text, at: w.at } : null;
  } catch {
    return null;
  }
}

export function removeJournal(): void {
  removeFile(JOURNAL);
}

export function writeLastWarning(text: string): void {
  writeFileAtomic(LAST_WARNING, JSON.stringify({ text, at: Date.now() }));
}

export function clearLastWarning(): void {
  removeFile(LAST_WARNING);
}
