/**
 * What only the diagnostics report reads: a quick second reading of the CPU and device counters,
 * the loaded kernel modules and the DSA switch ports. Files only, plus `ethtool -k` per DSA port.
 */
import * as os from 'os';
import { readText, listDir, exists } from './fs';
import { hwTcOffload } from './facts';
import { parseProcStat } from '../parse/proc-stat';
import { parseNetDev } from '../parse/net-dev';
import { parseProcModules, type ProcModule } from '../parse/proc-modules';
import type { CpuTimes } from '../api/contract';

export interface CounterReading {
  /** /proc/uptime in ms, or null when unreadable. */
  uptime_ms: number | null;
  cpu: CpuTimes | null;
  netdev: ReturnType<typeof parseNetDev>;
}

/** /proc/uptime, /proc/stat and /proc/net/dev, read together. */
export function readCounters(): CounterReading {
  const up = Number.parseFloat((readText('/proc/uptime') ?? '').split(' ')[0] ?? '');
  return {
    uptime_ms: Number.isFinite(up) ? Math.round(up * 1000) : null,
    cpu: parseProcStat(readText('/proc/stat') ?? '').total ?? null,
    netdev: parseNetDev(readText('/proc/net/dev') ?? ''),
  };
}

/** Wait (the live figures need the counters to advance between two readings). */
export function sleepMs(ms: number): void {
  if (ms > 0) os.sleep(Math.min(ms, 5000));
}

/** Milliseconds of the monotonic clock. */
export function nowMs(): number {
  return os.now();
}

/** /proc/modules, or null when it cannot be read. */
export function loadedModules(): ProcModule[] | null {
  const t = readText('/proc/modules');
  return t === null ? null : parseProcModules(t);
}

export interface DsaSwitch {
  /** The CPU-facing device (it has the `dsa` sysfs group). */
  conduit: string;
  /** The tagging protocol (`/sys/class/net/<conduit>/dsa/tagging`). */
  tagging: string | null;
  /** The user ports (the conduit's `upper_*` links) with their hw-tc-offload from `ethtool -k`. */
  ports: { name: string; hw_tc_offload: { on: boolean; fixed: boolean } | null }[];
}

/** DSA switches: every device with a `dsa` directory in sysfs and the ports linked above it. */
export function dsaSwitches(): DsaSwitch[] {
  const out: DsaSwitch[] = [];
  for (const dev of listDir('/sys/class/net')) {
    if (!exists(`/sys/class/net/${dev}/dsa`)) continue;
    const ports = listDir(`/sys/class/net/${dev}`)
      .filter((n) => n.startsWith('upper_'))
      .map((n) => n.slice('upper_'.length));
    const tag = readText(`/sys/class/net/${dev}/dsa/tagging`);
    out.push({ conduit: dev, tagging: tag === null ? null : tag.trim() || null, ports: ports.map((name) => ({ name, hw_tc_offload: hwTcOffload(name) })) });
  }
  return out;
}
