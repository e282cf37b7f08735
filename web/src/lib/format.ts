/** Number and time formatting for the panel. Pure. */
import { formatBits } from '../../../rpcd/src/calc/rates';

let decimalSign = '.';

/**
 * The page's language for numbers: inside LuCI its `<html lang>` (the themes write LuCI's
 * language there), so German reads `3,4 %`. Intl gives the locale's decimal sign; the figures
 * keep their own rounding (formatBits, toFixed) and only that sign changes.
 */
export function setNumberLocale(lang: string | null | undefined): void {
  try {
    decimalSign = new Intl.NumberFormat(lang || 'en').formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
  } catch {
    decimalSign = '.'; // an unknown language tag
  }
}

/** Decimal points between digits in `s` written in the page's language. */
export function localDigits(s: string): string {
  return decimalSign === '.' ? s : s.replace(/(\d)\.(\d)/g, `$1${decimalSign}$2`);
}

/** A rate in bit/s as the handler's report writes it (`812 Mbit/s`), `–` for unknown. */
export function bits(v: number | null | undefined): string {
  return v === null || v === undefined ? '–' : localDigits(formatBits(v));
}

/** `42 %`, one decimal below 10 (`3.4 %`), `–` for unknown. */
export function pct(v: number | null | undefined): string {
  if (v === null || v === undefined || !isFinite(v)) return '–';
  const c = Math.min(100, Math.max(0, v));
  return localDigits(`${c < 10 ? c.toFixed(1) : Math.round(c)} %`);
}

/** A duration: `340 ms` below a second, else seconds with one decimal (`2.4 s`). */
export function duration(ms: number): string {
  const v = Math.max(0, Math.round(ms));
  return v < 1000 ? `${v} ms` : localDigits(`${(v / 1000).toFixed(1)} s`);
}

/** Wall-clock time `HH:MM:SS` of a Date. */
export function clock(d: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** Integer with thin grouping: `16 384`. */
export function count(n: number | null | undefined): string {
  if (n === null || n === undefined || !isFinite(n)) return '–';
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
}

/** Host and port, IPv6 in brackets: `192.168.1.2:443`, `[2001:db8::1]:443`. */
export function endpoint(addr: string, port: number | null): string {
  if (port === null) return addr;
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}
