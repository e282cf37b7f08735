/** Axis scaling for the live chart. Pure. */

/**
 * A "nice" upper bound ≥ v: 1, 2, 2.5 or 5 times a power of ten.
 * @returns at least `floor` (so an idle line does not fill the pane)
 */
export function niceMax(v: number, floor = 1): number {
  const x = Math.max(isFinite(v) ? v : 0, floor);
  const p = Math.pow(10, Math.floor(Math.log10(x)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x * 0.999999) return m * p;
  return 10 * p;
}

/** Largest finite value in some columns (0 when none). */
export function maxOf(...cols: number[][]): number {
  let m = 0;
  for (const c of cols) for (const v of c) if (v > m) m = v;
  return m;
}

/** Compact bit-rate label for an axis: `0`, `250M`, `1.5G`. */
export function axisBits(v: number): string {
  const units: [number, string][] = [[1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [d, u] of units) if (v >= d) return `${+(v / d).toFixed(v / d < 10 ? 1 : 0)}${u}`;
  return `${Math.round(v)}`;
}

/** The chart shows at least this much time, so the first minute is not squeezed into the right edge. */
export const MIN_VIEW_MS = 60_000;

/**
 * How much time the chart shows: the data's span rounded up to 30 s, at least
 * a minute, at most the history window — it grows until five minutes are kept.
 */
export function viewSpan(first: number, last: number, windowMs: number): number {
  const span = isFinite(first) && isFinite(last) ? last - first : 0;
  return Math.min(windowMs, Math.max(MIN_VIEW_MS, Math.ceil(span / 30_000) * 30_000));
}

/** Tick offsets back from "now" (ms), spaced at least `minPx` apart on a `plotW` wide axis. */
export function timeTicks(viewMs: number, plotW: number, minPx = 56): number[] {
  const step = [10e3, 15e3, 30e3, 60e3, 120e3, 300e3].find((s) => (s / viewMs) * plotW >= minPx) ?? 600e3;
  const out: number[] = [];
  for (let o = 0; o <= viewMs; o += step) out.push(o);
  return out;
}

/** Label of a tick: `now`, `−30 s`, `−2 min`. */
export function agoLabel(ms: number, now: string): string {
  if (ms === 0) return now;
  return ms % 60_000 === 0 ? `−${ms / 60_000} min` : `−${ms / 1000} s`;
}
