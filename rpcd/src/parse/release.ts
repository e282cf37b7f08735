/**
 * Parsers for release and kernel facts: `/etc/openwrt_release`, `/etc/os-release`,
 * `/proc/sys/kernel/osrelease`, `/proc/version` (and `uname -a`).
 *
 * Pure: no I/O, never throws. Runs under QuickJS (rpcd handler) and in the browser.
 */

import { shellWords } from './shell-words';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A kernel release: starts with a digit, no blanks (`6.6.73`, `6.1.0-56-amd64`, `5.15.167+`). */
const KERNEL_RELEASE = /^\d[0-9A-Za-z._+~-]*$/;

/**
 * The value of `NAME=value`: its first shell word, sh quoting (`'…'` literal, `"…"`
 * with `\"`, `\\`, `\$`, `` \` `` escapes, bare text with `\x`); a value starting
 * with a blank or `#` is empty.
 */
function shellValue(s: string): string {
  if (/^[ \t\r]/.test(s)) return '';
  return shellWords(s, { double: 'sh', comments: true })[0] ?? '';
}

/**
 * Parse shell variable assignments: `/etc/openwrt_release` (`DISTRIB_RELEASE='24.10.0'`)
 * and `/etc/os-release` (`VERSION="24.10.0"`). Single, double or no quotes; an
 * optional `export`; comments and other lines are skipped. A later assignment wins.
 *
 * @returns variables by name (own properties only)
 */
export function parseShellVars(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof text !== 'string') return out;
  for (const raw of text.split('\n')) {
    let line = raw.trim();
    if (line.startsWith('export ')) line = line.slice(7).trim();
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const name = line.slice(0, eq);
    if (!NAME.test(name)) continue;
    Object.defineProperty(out, name, { value: shellValue(line.slice(eq + 1)), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * The kernel release from `/proc/sys/kernel/osrelease` (`6.6.73`), `/proc/version`
 * (`Linux version 6.6.73 (builder@host) …`) or `uname -a` (`Linux host 6.6.73 #0 …`).
 *
 * @returns the release string, or null when none is found
 */
export function parseProcVersion(text: string): string | null {
  if (typeof text !== 'string') return null;
  const w = text.trim().split(/\s+/);
  // `Linux version R …` and `Linux HOST R …` both carry the release third.
  const candidate = w[0] === 'Linux' ? w[2] : w[0];
  return candidate !== undefined && KERNEL_RELEASE.test(candidate) ? candidate : null;
}
