/**
 * netifd through the `ubus` CLI — the same two calls fw4 makes (fw4.uc
 * read_ubus() and resolve_hw_offload_devices()) — and a small cache of the
 * WAN/LAN role devices for the per-poll `stats` path, so netifd is asked
 * only when something it depends on changed.
 */
import * as os from 'os';
import { run, which, firstLine } from './exec';
import { readText, writeFileAtomic, mkdirs } from './fs';
import { rooted } from './root';
import { STATE_DIR } from './lock';
import { parseInterfaceDump, parseDeviceStatus, type NetifdInterface, type NetifdDevice } from '../parse/netifd';

export type NetifdRead<T> = { ok: true; value: T } | { ok: false; error: string };

function ubusCall(object: string, method: string): NetifdRead<string> {
  if (!which('ubus')) return { ok: false, error: 'the ubus command is not installed' };
  const r = run(['ubus', 'call', object, method], { timeoutMs: 3000 });
  if (r.error) return { ok: false, error: r.error };
  if (r.code !== 0) return { ok: false, error: `ubus call ${object} ${method}: ${firstLine(r) || `exit ${r.code}`}` };
  return { ok: true, value: r.stdout };
}

/** `ubus call network.interface dump`. */
export function interfaceDump(): NetifdRead<NetifdInterface[]> {
  const r = ubusCall('network.interface', 'dump');
  if (!r.ok) return r;
  const v = parseInterfaceDump(r.value);
  return v ? { ok: true, value: v } : { ok: false, error: 'netifd answered network.interface dump with something unreadable' };
}

/** `ubus call network.device status`: every device netifd knows, with its devtype. */
export function deviceStatus(): NetifdRead<Map<string, NetifdDevice>> {
  const r = ubusCall('network.device', 'status');
  if (!r.ok) return r;
  const v = parseDeviceStatus(r.value);
  return v ? { ok: true, value: v } : { ok: false, error: 'netifd answered network.device status with something unreadable' };
}

/** mtime and size of a file as one stamp; '-' when absent. */
export function fileStamp(path: string): string {
  const [st, e] = os.stat(rooted(path));
  return e === 0 && st !== null ? `${st.mtime}:${st.size}` : '-';
}

const ROLES_FILE = `${STATE_DIR}/roles.json`;

export interface CachedRoles {
  wan: string[];
  lan: string[];
  /** The devices the WAN networks run on, lowered through VLANs and bridges (their switch ports). */
  wanPorts: string[];
}

/** The role devices stored under this key, or null. */
export function readRolesCache(key: string): CachedRoles | null {
  const t = readText(ROLES_FILE);
  if (t === null) return null;
  try {
    const v = JSON.parse(t) as { key?: unknown; wan?: unknown; lan?: unknown; wanPorts?: unknown };
    const strings = (a: unknown): a is string[] => Array.isArray(a) && a.every((x) => typeof x === 'string');
    if (v.key !== key || !strings(v.wan) || !strings(v.lan) || !strings(v.wanPorts)) return null;
    return { wan: v.wan, lan: v.lan, wanPorts: v.wanPorts };
  } catch {
    return null;
  }
}

/** Store role devices under a key; a failure only costs the next call a netifd query. */
export function writeRolesCache(key: string, roles: CachedRoles): void {
  mkdirs(STATE_DIR);
  writeFileAtomic(ROLES_FILE, JSON.stringify({ key, wan: roles.wan, lan: roles.lan, wanPorts: roles.wanPorts }) + '\n');
}
