/**
 * Translation: `t()` forwards to LuCI's `_()` (the `translate` mount option);
 * without it (standalone page) strings stay English.
 *
 * Always call `t()` with a string literal: scripts/gen-pot.ts extracts the
 * literals into po/templates/offload.pot, and a test fails when one is missing.
 */

type Translate = (s: string) => unknown;

let translate: Translate | null = null;

/** Install LuCI's `_()` (or nothing, for identity). */
export function setTranslate(fn: Translate | null | undefined): void {
  translate = typeof fn === 'function' ? fn : null;
}

/** Translate one literal UI string. */
export function t(s: string): string {
  if (!translate) return s;
  try {
    const r = translate(s);
    return typeof r === 'string' && r !== '' ? r : s;
  } catch {
    return s;
  }
}

/**
 * Fill `%s` / `%d` placeholders in order (the subset of LuCI's
 * `String.prototype.format` translations use); `%%` is a literal percent sign.
 */
export function fmt(s: string, ...args: (string | number)[]): string {
  let i = 0;
  return s.replace(/%([sd%])/g, (_m, k: string) => {
    if (k === '%') return '%';
    const v = args[i++];
    if (v === undefined) return '';
    return k === 'd' && typeof v === 'number' ? String(Math.round(v)) : String(v);
  });
}
