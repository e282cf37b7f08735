/**
 * The one shell-word tokenizer of the handler: the quoting of `uci show` values,
 * of `/etc/config/*` lines and of `/etc/openwrt_release`-style assignments.
 *
 * - `'…'` is literal (no escapes); an unterminated one runs to the end of the text.
 * - Outside quotes `\x` stands for `x`; a lone `\` at the end is kept.
 * - `"…"` per `double`: a literal `"` (uci show, which only ever single-quotes),
 *   with `\` escaping any character (uci's file parser), or with `\` escaping only
 *   `"`, `\`, `$` and `` ` `` (POSIX sh, `/etc/os-release`).
 * - Words end at unquoted blanks (space, tab, CR); `''` is an empty word.
 * - With `comments`, `#` at the start of a word ends the line.
 *
 * Pure: no I/O, never throws. Runs under QuickJS (rpcd handler) and in the browser.
 */

export interface ShellWordsOptions {
  double: 'literal' | 'any' | 'sh';
  comments: boolean;
}

/** The characters a backslash escapes inside `"…"` in POSIX sh. */
const SH_DOUBLE_ESCAPES = '"\\$`';

/** Split `s` into words (see the module comment for the rules). */
export function shellWords(s: string, opts: ShellWordsOptions): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  const n = s.length;
  while (i < n) {
    const c = s[i] as string;
    if (c === "'") {
      const end = s.indexOf("'", i + 1);
      const stop = end === -1 ? n : end;
      cur += s.slice(i + 1, stop);
      inWord = true;
      i = stop + 1;
    } else if (c === '"' && opts.double !== 'literal') {
      i++;
      while (i < n && s[i] !== '"') {
        const next = s[i + 1];
        if (s[i] === '\\' && next !== undefined && (opts.double === 'any' || SH_DOUBLE_ESCAPES.includes(next))) i++;
        cur += s[i];
        i++;
      }
      inWord = true;
      i++;
    } else if (c === '\\' && i + 1 < n) {
      cur += s[i + 1];
      inWord = true;
      i += 2;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      i++;
    } else if (c === '#' && opts.comments && !inWord) {
      break;
    } else {
      cur += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(cur);
  return words;
}
