/**
 * What offload saved here (issue 16 #2): the router's CPU cost per traffic,
 * per running mode, from the live view's per-second points.
 *
 * A window is WINDOW_MS of contiguous points in one mode. It counts only
 * with at least MIN_WINDOW_BYTES through WAN (25 MB in 10 s, about 20 Mbit/s
 * on average): below that the router's idle load dominates the cost per GB
 * and says nothing about forwarding. A gap in the points (a pause, a lost
 * poll streak, a restart, which makes the router's uptime go back), an unknown
 * mode or throughput, or a mode change discards the partial window, so no
 * window spans a counter reset.
 *
 * Pure: no storage, no clock, no DOM.
 */
import type { CountersInfo, Mode } from '../../../rpcd/src/api/contract';

/** Length of one measuring window. */
export const WINDOW_MS = 10_000;
/** Bytes through WAN (both directions) a window needs to count. */
export const MIN_WINDOW_BYTES = 25e6;
/** Points further apart than this break the window (a pause or a restart between them). */
export const MAX_GAP_MS = 5_000;
/** Windows a mode needs before it has a figure. */
export const MIN_WINDOWS = 3;
/** Windows kept per mode (the newest). */
export const KEEP_WINDOWS = 60;

/** One counted window: CPU-seconds (all cores) and bytes through WAN. */
export interface Window {
  mode: Mode;
  ms: number;
  bytes: number;
  busy: number;
  softirq: number;
}

export type Windows = Record<Mode, Window[]>;

/** The window being filled. */
export interface Accumulator {
  mode: Mode;
  /** Router time of the last point taken. */
  last: number;
  ms: number;
  bytes: number;
  busy: number;
  softirq: number;
}

/** One live point as the savings need it. */
export interface StepInput {
  /** Router uptime of the point, ms. */
  t: number;
  /** The mode running over the point's interval, or null when unknown (applying, settling, unreadable). */
  mode: Mode | null;
  /** Percent of all cores. */
  busy: number;
  softirq: number;
  cores: number;
  /** WAN throughput, both directions, bit/s; null when unknown. */
  bps: number | null;
}

const start = (mode: Mode, t: number): Accumulator => ({ mode, last: t, ms: 0, bytes: 0, busy: 0, softirq: 0 });

/**
 * Take one point. Its interval is the time since the previous point taken (the
 * first point of a window only starts it: its interval is not known).
 *
 * @returns the accumulator to keep; `window` when one closed with enough traffic, `quiet` when one closed without
 */
export function stepWindow(acc: Accumulator | null, p: StepInput): { acc: Accumulator | null; window: Window | null; quiet: boolean } {
  if (p.mode === null || p.bps === null || !isFinite(p.bps)) return { acc: null, window: null, quiet: false };
  const dt = acc ? p.t - acc.last : NaN;
  if (!acc || acc.mode !== p.mode || !(dt > 0) || dt > MAX_GAP_MS) return { acc: start(p.mode, p.t), window: null, quiet: false };
  const s = dt / 1000;
  const cores = Math.max(1, p.cores);
  const next: Accumulator = {
    mode: acc.mode,
    last: p.t,
    ms: acc.ms + dt,
    bytes: acc.bytes + (Math.max(0, p.bps) / 8) * s,
    busy: acc.busy + (p.busy / 100) * cores * s,
    softirq: acc.softirq + (p.softirq / 100) * cores * s,
  };
  if (next.ms < WINDOW_MS) return { acc: next, window: null, quiet: false };
  const enough = next.bytes >= MIN_WINDOW_BYTES;
  const window = enough ? { mode: next.mode, ms: next.ms, bytes: next.bytes, busy: next.busy, softirq: next.softirq } : null;
  return { acc: start(p.mode, p.t), window, quiet: !enough };
}

/**
 * WAN throughput of a point in bit/s. While hardware-offloaded flows bypass the
 * netdev counters (`misses_hw`), the switch's own counters, or null without them.
 */
export function throughputOf(p: { wanRx: number | null; wanTx: number | null }, c: Pick<CountersInfo, 'misses_hw' | 'hw'> | null): number | null {
  if (c?.misses_hw) return c.hw && c.hw.rx_bps !== null && c.hw.tx_bps !== null ? c.hw.rx_bps + c.hw.tx_bps : null;
  return p.wanRx === null || p.wanTx === null ? null : p.wanRx + p.wanTx;
}

/** A mode's cost: CPU-seconds per GB (1e9 bytes) over all its windows, with the 10th–90th percentile of the windows. */
export interface ModeFigure {
  mode: Mode;
  windows: number;
  busy: number;
  busyLo: number;
  busyHi: number;
  softirq: number;
  softirqLo: number;
  softirqHi: number;
  /** Average WAN throughput of the windows. */
  mbit: number;
}

function quantile(sorted: number[], q: number): number {
  const pos = q * (sorted.length - 1);
  const i = Math.floor(pos);
  const a = sorted[i] as number;
  const b = sorted[Math.min(i + 1, sorted.length - 1)] as number;
  return a + (b - a) * (pos - i);
}

/** @returns the mode's figure, or null with fewer than MIN_WINDOWS windows */
export function modeFigure(mode: Mode, wins: Window[]): ModeFigure | null {
  if (wins.length < MIN_WINDOWS) return null;
  let bytes = 0, busy = 0, soft = 0, ms = 0;
  for (const w of wins) {
    bytes += w.bytes;
    busy += w.busy;
    soft += w.softirq;
    ms += w.ms;
  }
  const per = (k: 'busy' | 'softirq'): number[] => wins.map((w) => (w[k] * 1e9) / w.bytes).sort((x, y) => x - y);
  const b = per('busy');
  const s = per('softirq');
  return {
    mode, windows: wins.length,
    busy: (busy * 1e9) / bytes, busyLo: quantile(b, 0.1), busyHi: quantile(b, 0.9),
    softirq: (soft * 1e9) / bytes, softirqLo: quantile(s, 0.1), softirqHi: quantile(s, 0.9),
    mbit: (bytes * 8) / (ms / 1000) / 1e6,
  };
}

/** Figures of every mode with enough windows. */
export function modeFigures(w: Windows): Partial<Record<Mode, ModeFigure>> {
  const out: Partial<Record<Mode, ModeFigure>> = {};
  for (const m of ['off', 'software', 'hardware'] as const) {
    const f = modeFigure(m, w[m]);
    if (f) out[m] = f;
  }
  return out;
}

export interface Comparison {
  from: ModeFigure;
  to: ModeFigure;
  /** Change of the cost per GB from `from` to `to`, percent (negative: saved). */
  busyChange: number;
  softirqChange: number;
  /** The throughput both were measured at (the mean of the two). */
  mbit: number;
}

/** Each offload mode against off; without an off figure, hardware against software. */
export function compareModes(f: Partial<Record<Mode, ModeFigure>>): Comparison[] {
  const pair = (a: ModeFigure, b: ModeFigure): Comparison => ({
    from: a, to: b,
    busyChange: (b.busy / a.busy - 1) * 100,
    softirqChange: (b.softirq / a.softirq - 1) * 100,
    mbit: (a.mbit + b.mbit) / 2,
  });
  const out: Comparison[] = [];
  const base = f.off ?? f.software;
  if (!base) return out;
  for (const m of ['software', 'hardware'] as const) {
    const x = f[m];
    if (x && x !== base) out.push(pair(base, x));
  }
  return out;
}

/** Three significant digits: `12.0`, `9.00`, `140`. */
export function sig3(v: number): string {
  const a = Math.abs(v);
  return a >= 100 ? String(Math.round(v)) : v.toFixed(a >= 10 ? 1 : 2);
}

/** A signed percentage with a real minus sign: `−50 %`, `+4 %`. */
export function change(v: number): string {
  const r = Math.round(v);
  return `${r < 0 ? '\u2212' : '+'}${Math.abs(r)} %`;
}

/* Storage: {v:1, w:{mode:[[ms, bytes, busy, softirq], ...]}} */

const EMPTY = (): Windows => ({ off: [], software: [], hardware: [] });

export function serializeSaved(w: Windows): string {
  const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;
  const out: Record<string, number[][]> = {};
  for (const m of ['off', 'software', 'hardware'] as const) out[m] = w[m].slice(-KEEP_WINDOWS).map((x) => [Math.round(x.ms), Math.round(x.bytes), r4(x.busy), r4(x.softirq)]);
  return JSON.stringify({ v: 1, w: out });
}

/** Read what serializeSaved wrote; anything else gives no windows. */
export function parseSaved(text: string | null): Windows {
  const out = EMPTY();
  let j: unknown;
  try {
    j = JSON.parse(text ?? '');
  } catch {
    return out;
  }
  const w = (j as { v?: unknown; w?: Record<string, unknown> } | null);
  if (!w || w.v !== 1 || typeof w.w !== 'object' || !w.w) return out;
  for (const m of ['off', 'software', 'hardware'] as const) {
    const rows = w.w[m];
    if (!Array.isArray(rows)) continue;
    for (const r of rows.slice(-KEEP_WINDOWS)) {
      if (!Array.isArray(r) || r.length !== 4 || !r.every((x) => typeof x === 'number' && isFinite(x) && x >= 0)) continue;
      const [ms, bytes, busy, softirq] = r as [number, number, number, number];
      if (bytes > 0 && ms > 0) out[m].push({ mode: m, ms, bytes, busy, softirq });
    }
  }
  return out;
}

/** Append a window, keeping the newest KEEP_WINDOWS of its mode. */
export function addWindow(w: Windows, x: Window): Windows {
  return { ...w, [x.mode]: [...w[x.mode], x].slice(-KEEP_WINDOWS) };
}

/**
 * The measured figures as Markdown for the diagnostics report (English, as the
 * rest of the report: it is written for forum helpers).
 */
export function savingsReportLines(w: Windows): string[] {
  const head = ['### CPU cost per traffic, measured in this browser', ''];
  const f = modeFigures(w);
  const rows = (['off', 'software', 'hardware'] as const).map((m) => f[m]).filter((x): x is ModeFigure => !!x);
  if (!rows.length) return [...head, `Not enough traffic yet (needs ${MIN_WINDOWS} windows of ${WINDOW_MS / 1000} s with at least ${MIN_WINDOW_BYTES / 1e6} MB through WAN in a mode).`];
  const range = (v: number, lo: number, hi: number): string => `${sig3(v)} (${sig3(lo)}–${sig3(hi)})`;
  return [
    ...head,
    '| mode | busy CPU-s/GB | softirq CPU-s/GB | ~Mbit/s | windows |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.mode} | ${range(r.busy, r.busyLo, r.busyHi)} | ${range(r.softirq, r.softirqLo, r.softirqHi)} | ${Math.round(r.mbit)} | ${r.windows} |`),
    '',
    ...compareModes(f).map((c) => `- ${c.to.mode} vs ${c.from.mode}: busy CPU per GB ${change(c.busyChange)}, softirq per GB ${change(c.softirqChange)} at ~${Math.round(c.mbit)} Mbit/s`),
    ...(rows.length > 1 ? [''] : []),
    `Windows of ${WINDOW_MS / 1000} s with at least ${MIN_WINDOW_BYTES / 1e6} MB through WAN; spread is the 10th–90th percentile of the windows.`,
  ];
}
