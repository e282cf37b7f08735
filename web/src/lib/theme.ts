/**
 * Light or dark: LuCI's bootstrap theme says so in html[data-darkmode]; other
 * themes (material, openwrt-2020, argon) are judged by the background colour
 * the panel sits on. null = unknown, the CSS then follows prefers-color-scheme.
 */

/** Relative luminance (0–1) of an `rgb()`/`rgba()` colour, or null when transparent or unparsable. */
export function luminance(css: string): number | null {
  const m = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:[,\s/]+([\d.]+%?))?\s*\)/.exec(css);
  if (!m) return null;
  const a = m[4] === undefined ? 1 : m[4].endsWith('%') ? parseFloat(m[4]) / 100 : parseFloat(m[4]);
  if (a < 0.5) return null;
  const lin = (v: string): number => {
    const c = parseFloat(v) / 255;
    return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * lin(m[1] as string) + 0.7152 * lin(m[2] as string) + 0.0722 * lin(m[3] as string);
}

export function detectDark(el: Element): boolean | null {
  const attr = document.documentElement.getAttribute('data-darkmode');
  if (attr === 'true') return true;
  if (attr === 'false') return false;
  for (let n: Element | null = el; n; n = n.parentElement) {
    const l = luminance(getComputedStyle(n).backgroundColor);
    if (l !== null) return l < 0.25;
  }
  return null;
}
