/**
 * CPU load from two `/proc/stat` samples.
 *
 * Pure: no I/O, never throws. Runs under QuickJS (rpcd handler) and in the browser.
 */
import type { CpuTimes } from '../api/contract';

/** Jiffy deltas between two samples and their shares of the total, in percent (0–100). */
export interface CpuBusy {
  /** All jiffies that passed (idle included). */
  total: number;
  /** Everything except idle and iowait. */
  busy: number;
  softirq: number;
  irq: number;
  system: number;
  /** user + nice. */
  user: number;
  iowait: number;
  steal: number;
  busyPct: number;
  softirqPct: number;
  userPct: number;
  systemPct: number;
  irqPct: number;
}

const FIELDS = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;

const ZERO: CpuBusy = {
  total: 0, busy: 0, softirq: 0, irq: 0, system: 0, user: 0, iowait: 0, steal: 0,
  busyPct: 0, softirqPct: 0, userPct: 0, systemPct: 0, irqPct: 0,
};

/**
 * CPU use between sample `a` and the later sample `b`.
 *
 * `user` includes `nice`. A zero interval, a column going backwards (counter
 * reset, CPU hot-plug) or non-numeric input gives all zeros.
 *
 * @returns jiffy deltas and their percentages of the total delta
 */
export function cpuBusy(a: CpuTimes, b: CpuTimes): CpuBusy {
  const d = {} as CpuTimes;
  let total = 0;
  for (const f of FIELDS) {
    const delta = (b?.[f] ?? NaN) - (a?.[f] ?? NaN);
    if (!(delta >= 0) || !isFinite(delta)) return { ...ZERO };
    d[f] = delta;
    total += delta;
  }
  if (total <= 0) return { ...ZERO };
  const user = d.user + d.nice;
  const busy = total - d.idle - d.iowait;
  const pct = (x: number): number => (x * 100) / total;
  return {
    total,
    busy,
    softirq: d.softirq,
    irq: d.irq,
    system: d.system,
    user,
    iowait: d.iowait,
    steal: d.steal,
    busyPct: pct(busy),
    softirqPct: pct(d.softirq),
    userPct: pct(user),
    systemPct: pct(d.system),
    irqPct: pct(d.irq),
  };
}
