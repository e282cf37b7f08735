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
