/**
 * Rates from cumulative counters, and human-readable bit rates and byte sizes.
 *
 * Pure: no I/O, never throws. Runs under QuickJS (rpcd handler) and in the browser.
 */

/** SI steps for bit rates. */
const BIT_UNITS = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s', 'Pbit/s'];
/** IEC steps for byte sizes. */
const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/**
 * Per-second rate of a cumulative counter (bytes → bytes per second).
 *
 * @param prev the earlier reading
 * @param next the later reading
 * @param dtMs milliseconds between the readings
 * @returns the rate, or null when `dtMs` ≤ 0, the counter went backwards (reset,
 *   interface re-created) or an input is not a finite number
 */
export function counterRate(prev: number, next: number, dtMs: number): number | null {
  if (!isFinite(prev) || !isFinite(next) || !isFinite(dtMs) || dtMs <= 0 || next < prev) return null;
  return ((next - prev) * 1000) / dtMs;
}

/**
 * Scale a value by `step` while its three-significant-digit rounding reaches 1000
 * (so 999.6 moves on to "1.00" of the next unit instead of reading "1.00e+3").
 * Past the largest unit the value is shown whole ("5000") rather than in exponent notation.
 * @returns the unit index and the mantissa text
 */
function scale(value: number, step: number, units: number): { unit: number; text: string } {
  let v = value;
  let unit = 0;
  while (unit < units - 1 && Number(v.toPrecision(3)) >= 1000) {
    v /= step;
    unit++;
  }
  const text = v.toPrecision(3);
  return { unit, text: Number(text) >= 1000 ? String(Math.round(v)) : text };
}

/** A finite, non-negative input; anything else counts as 0. */
function nonNegative(n: number): number {
  return isFinite(n) ? Math.max(0, n) : 0;
}

/**
 * Format a bit rate with three significant digits and SI (1000) steps:
 * `0 bit/s`, `512 bit/s`, `12.3 kbit/s`, `940 Mbit/s`, `1.20 Gbit/s`.
 * Below 1 kbit/s the value is rounded to whole bits. Negative and non-finite
 * input gives `0 bit/s`.
 */
export function formatBits(bitsPerSecond: number): string {
  const b = nonNegative(bitsPerSecond);
  if (b < 999.5) return `${Math.round(b)} ${BIT_UNITS[0]}`;
  const { unit, text } = scale(b, 1000, BIT_UNITS.length);
  return `${text} ${BIT_UNITS[unit]}`;
}

/**
 * Format a byte count with IEC (1024) steps and up to three significant digits,
 * trailing zeros dropped: `0 B`, `512 B`, `1.5 KiB`, `12.3 MiB`, `1000 KiB`.
 * Negative and non-finite input gives `0 B`.
 */
export function formatBytes(n: number): string {
  let v = nonNegative(n);
  let unit = 0;
  // Step while the value as shown reaches 1024: 1023.7 B reads "1 KiB", not "1024 B".
  while (unit < BYTE_UNITS.length - 1 && shownBytes(v, unit) >= 1024) {
    v /= 1024;
    unit++;
  }
  return `${shownBytes(v, unit)} ${BYTE_UNITS[unit]}`;
}

/** Whole bytes; in larger units three significant digits, and 100–1023 whole (1000–1023 keep four digits). */
function shownBytes(v: number, unit: number): number {
  return unit === 0 || v >= 100 ? Math.round(v) : Number(v.toPrecision(3));
}
