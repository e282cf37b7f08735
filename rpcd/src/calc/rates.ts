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
 * Scale a value by `step` until it is below 1000 after rounding to three significant digits.
 * @returns the unit index and the rounded mantissa text
 */
function scale(value: number, step: number, units: number): { unit: number; text: string } {
  let v = value;
  let unit = 0;
  while (v >= 1000 && unit < units - 1) {
    v /= step;
    unit++;
  }
  let text = v.toPrecision(3);
  // 999.6 rounds up to "1.00e+3": move to the next unit.
  if (Number(text) >= 1000 && unit < units - 1) {
    v /= step;
    unit++;
    text = v.toPrecision(3);
  }
  return { unit, text };
}

/**
 * Format a bit rate with three significant digits and SI (1000) steps:
 * `0 bit/s`, `512 bit/s`, `12.3 kbit/s`, `940 Mbit/s`, `1.20 Gbit/s`.
 * Below 1 kbit/s the value is rounded to whole bits. Negative and non-finite
 * input gives `0 bit/s`.
 */
export function formatBits(bitsPerSecond: number): string {
  if (!isFinite(bitsPerSecond) || bitsPerSecond <= 0) return '0 bit/s';
  if (bitsPerSecond < 999.5) return `${Math.round(bitsPerSecond)} bit/s`;
  const { unit, text } = scale(bitsPerSecond, 1000, BIT_UNITS.length);
  return `${text} ${BIT_UNITS[unit]}`;
}

/**
 * Format a byte count with IEC (1024) steps and up to three significant digits,
 * trailing zeros dropped: `0 B`, `512 B`, `1.5 KiB`, `12.3 MiB`, `1000 KiB`.
 * Negative and non-finite input gives `0 B`.
 */
export function formatBytes(n: number): string {
  if (!isFinite(n) || n <= 0) return '0 B';
  let v = n;
  let unit = 0;
  while (v >= 1024 && unit < BYTE_UNITS.length - 1) {
    v /= 1024;
    unit++;
  }
  if (unit === 0) {
    const whole = Math.round(v);
    if (whole < 1024) return `${whole} B`;
    v /= 1024;
    unit = 1;
  }
  // Three significant digits; 1000–1023 keep their four integer digits.
  let shown = v >= 100 ? Math.round(v) : Number(v.toPrecision(3));
  if (shown >= 1024 && unit < BYTE_UNITS.length - 1) {
    shown = Number((v / 1024).toPrecision(3));
    unit++;
  }
  return `${shown} ${BYTE_UNITS[unit]}`;
}
