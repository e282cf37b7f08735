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

/** The catalogue's text for a msgid, the msgid itself without one. */
function lookup(s: string): string {
  if (!translate) return s;
  try {
    const r = translate(s);
    return typeof r === 'string' && r !== '' ? r : s;
  } catch {
    return s;
  }
}

/** Translate one literal UI string. */
export function t(s: string): string {
  return lookup(s);
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

/**
 * A handler sentence (api/contract Message) in the user's language: each part's template is a
 * catalogue msgid (scripts/gen-pot.ts extracts the handler's msg('…') literals) filled with its
 * parameters. `fallback` — the handler's English text — when the handler sent no message.
 */
export function say(m: { parts: { template: string; params: string[] }[] } | null | undefined, fallback: string | null = null): string {
  if (!m) return fallback ?? '';
  return m.parts.map((p) => fmt(lookup(p.template), ...p.params)).join(' ');
}
