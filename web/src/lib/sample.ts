/**
 * Live samples: cumulative readings (CPU jiffies, byte counters) with the
 * router's monotonic time, and the rates derived from two of them.
 *
 * Pure: parsing reuses the handler's browser-safe parsers, rates its calculators.
 */
import type { CpuTimes, DeviceRole, StatsResult } from '../../../rpcd/src/api/contract';
import { parseProcStat } from '../../../rpcd/src/parse/proc-stat';
import { parseCounter, parseNetDev } from '../../../rpcd/src/parse/net-dev';
import { cpuBusy } from '../../../rpcd/src/calc/cpu';
import { counterRate } from '../../../rpcd/src/calc/rates';

/** One reading of the router's cumulative counters. */
export interface Sample {
  /** Router uptime in ms (monotonic): orders samples and measures intervals. */
  t: number;
  cpu: { total: CpuTimes; cores: CpuTimes[] };
  /** Byte counters by device; a device whose files could not be read is absent. */
  dev: Record<string, { rx: number; tx: number }>;
  /** nf_conntrack_count, when it was read with this sample. */
  conntrack: number | null;
}

/** Rates between two samples; bit rates in bit/s, CPU shares in percent. */
export interface Point {
  t: number;
  busy: number;
  softirq: number;
  cores: { busy: number; softirq: number }[];
  wanRx: number | null;
  wanTx: number | null;
  lanRx: number | null;
  lanTx: number | null;
}

/** The raw texts of one poll (`file.read` data, null when that read failed). */
export interface PollFiles {
  uptime: string | null;
  stat: string | null;
  conntrack: string | null;
  /** `/proc/net/dev`: every device's counters in one read. */
  netdev?: string | null;
  /** The devices whose counters are wanted from `netdev`. */
  devices?: string[];
  /** The sysfs counter files of devices read one by one (those `netdev` lacks). */
  counters: Record<string, { rx: string | null; tx: string | null }>;
}

/** Every device's counters in one read, for the per-second poll (issue 17). */
export const NET_DEV = '/proc/net/dev';

/**
 * Byte counters by device from a `/proc/net/dev` text. rpcd's `file.read` reads a proc file
 * once, 4096 bytes at most (rpcd file.c: st_size 0 → RPC_FILE_MIN_SIZE), so a router with
 * many devices gets a cut text: a last line without its newline is not used, and a device
 * that is not listed is absent (the caller reads its sysfs files instead).
 */
export function netDevCounters(text: string | null): Record<string, { rx: number; tx: number }> {
  const out: Record<string, { rx: number; tx: number }> = {};
  if (typeof text !== 'string') return out;
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  for (const [name, c] of Object.entries(parseNetDev(complete))) {
    Object.defineProperty(out, name, { value: { rx: c.rx_bytes, tx: c.tx_bytes }, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Own property check (a device may be named like an Object.prototype member). */
export const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** The sysfs counter files of a device. */
export function counterPaths(dev: string): { rx: string; tx: string } {
  const base = `/sys/class/net/${dev}/statistics/`;
  return { rx: base + 'rx_bytes', tx: base + 'tx_bytes' };
}

/** `/proc/uptime` → milliseconds, or null. */
export function parseUptime(text: string | null): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s/.exec(text ?? '');
  return m ? Math.round(Number(m[1]) * 1000) : null;
}

/** Build a sample from one poll's files; null when time or CPU are unreadable. */
export function sampleFromFiles(f: PollFiles): Sample | null {
  const t = parseUptime(f.uptime);
  const cpu = f.stat === null ? null : parseProcStat(f.stat);
  if (t === null || !cpu || !cpu.total) return null;
  const dev: Sample['dev'] = {};
  const all = netDevCounters(f.netdev ?? null);
  for (const name of f.devices ?? []) {
    const c = all[name];
    if (c && has(all, name)) dev[name] = c;
  }
  for (const [name, c] of Object.entries(f.counters)) {
    const rx = c.rx === null ? null : parseCounter(c.rx);
    const tx = c.tx === null ? null : parseCounter(c.tx);
    if (rx !== null && tx !== null) dev[name] = { rx, tx };
  }
  return { t, cpu: { total: cpu.total, cores: cpu.cores }, dev, conntrack: f.conntrack === null ? null : parseCounter(f.conntrack) };
}

/** Build a sample from a `stats` answer (the fallback when `file.read` is denied). */
export function sampleFromStats(s: StatsResult): Sample {
  const dev: Sample['dev'] = {};
  for (const d of s.devices) dev[d.device] = { rx: d.rx_bytes, tx: d.tx_bytes };
  return { t: s.uptime_ms, cpu: s.cpu, dev, conntrack: s.conntrack.count };
}

/** Sum one direction's rate over the devices of a role; null when no device of the role has both readings. */
function roleRate(a: Sample, b: Sample, dt: number, devs: string[], dir: 'rx' | 'tx'): number | null {
  let sum: number | null = null;
  for (const d of devs) {
    const pa = a.dev[d];
    const pb = b.dev[d];
    if (!pa || !pb) continue;
    const r = counterRate(pa[dir], pb[dir], dt);
    if (r === null) continue;
    sum = (sum ?? 0) + r * 8;
  }
  return sum;
}

/**
 * Rates between sample `a` and the later sample `b`.
 *
 * @param roles device → role (from `stats`); each device counts once
 * @returns the point, or null when `b` is not later than `a`
 */
export function derivePoint(a: Sample, b: Sample, roles: Record<string, DeviceRole>): Point | null {
  const dt = b.t - a.t;
  if (!(dt > 0)) return null;
  const total = cpuBusy(a.cpu.total, b.cpu.total);
  const cores = b.cpu.cores.map((c, i) => {
    const prev = a.cpu.cores[i];
    const r = prev ? cpuBusy(prev, c) : null;
    return { busy: r ? r.busyPct : 0, softirq: r ? r.softirqPct : 0 };
  });
  const wan = Object.keys(roles).filter((d) => roles[d] === 'wan');
  const lan = Object.keys(roles).filter((d) => roles[d] === 'lan');
  return {
    t: b.t,
    busy: total.busyPct,
    softirq: total.softirqPct,
    cores,
    wanRx: roleRate(a, b, dt, wan, 'rx'),
    wanTx: roleRate(a, b, dt, wan, 'tx'),
    lanRx: roleRate(a, b, dt, lan, 'rx'),
    lanTx: roleRate(a, b, dt, lan, 'tx'),
  };
}

/** Device → role from a `stats` device list; a device listed under both roles keeps its first. */
export function rolesOf(devices: StatsResult['devices']): Record<string, DeviceRole> {
  const out: Record<string, DeviceRole> = {};
  for (const d of devices) if (!(d.device in out)) out[d.device] = d.role;
  return out;
}
