/**
 * Parsers for uci configuration: the output of `uci -q show <config>` and the raw
 * `/etc/config/<config>` file format.
 *
 * Pure: no I/O, never throws. Runs under QuickJS (rpcd handler) and in the browser.
 */

import { shellWords } from './shell-words';

/** One uci section. */
export interface UciSection {
  /** `@type[n]` for anonymous sections written in extended syntax, else the section name (`lan`, `cfg01e63d`). */
  name: string;
  type: string;
  /** Position among all sections of the config, from 0. */
  index: number;
  /** True for `@type[n]` and generated `cfgXXXXXX` names. */
  anonymous: boolean;
  /** Options; list options are arrays. */
  options: Record<string, string | string[]>;
}

/** uci's generated names for anonymous sections: `cfg` + 6 hex digits. */
const GENERATED = /^cfg[0-9a-f]{6}$/;
/** Extended section syntax printed by `uci show`: `@type[n]`. */
const EXTENDED = /^@([A-Za-z0-9_-]+)\[(-?\d+)\]$/;
/** uci's identifier rule for section and option names (letters, digits, `_`; `-` is tolerated). */
const IDENT = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;

const TRUE_VALUES = ['1', 'yes', 'on', 'true', 'enabled'];

function setOwn(obj: Record<string, string | string[]>, key: string, value: string | string[]): void {
  // defineProperty: an option named "__proto__" must not touch the prototype.
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function isAnonymousName(name: string): boolean {
  return EXTENDED.test(name) || GENERATED.test(name);
}

/**
 * Parse a value of `uci show`: one quoted word is an option, several are a list.
 * A value without any quote or backslash is taken verbatim (a single word with
 * spaces cannot be told from a list there; uci itself always quotes in `show`).
 */
function showValue(raw: string): string | string[] {
  const v = raw.replace(/\r$/, '');
  if (v.indexOf("'") === -1 && v.indexOf('\\') === -1) return v.trim();
  // As printed by `uci show`: `'a'` literal, `\x` one character, a quote inside a value as `'\''`.
  const words = shellWords(v, { double: 'literal', comments: false });
  if (words.length === 1) return words[0] as string;
  return words;
}

/**
 * Parse the output of `uci -q show <config>`.
 *
 * Reads `cfg.section=type` and `cfg.section.option=value` lines for the given
 * config, named (`firewall.lan`), extended (`firewall.@zone[0]`) and `-X`
 * (`firewall.cfg01e63d`) section syntax. Lines of other configs and garbage are
 * skipped. An option line before its section line creates the section with
 * type `''` until the type line arrives.
 *
 * @param config the config name the lines start with (`firewall`)
 * @returns sections in order of appearance
 */
export function parseUciShow(text: string, config: string): UciSection[] {
  const sections: UciSection[] = [];
  const byName = new Map<string, UciSection>();
  if (typeof text !== 'string' || typeof config !== 'string' || config === '') return sections;
  const prefix = config + '.';
  const get = (name: string): UciSection => {
    let s = byName.get(name);
    if (!s) {
      s = { name, type: '', index: sections.length, anonymous: isAnonymousName(name), options: {} };
      byName.set(name, s);
      sections.push(s);
    }
    return s;
  };
  for (const line of text.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const eq = line.indexOf('=');
    if (eq === -1) continue;
    const path = line.slice(prefix.length, eq);
    const value = line.slice(eq + 1);
    const dot = path.indexOf('.');
    const section = dot === -1 ? path : path.slice(0, dot);
    if (!IDENT.test(section) && !EXTENDED.test(section)) continue;
    if (dot === -1) {
      const type = showValue(value);
      if (typeof type !== 'string' || !IDENT.test(type)) continue;
      get(section).type = type;
    } else {
      const option = path.slice(dot + 1);
      if (!IDENT.test(option)) continue;
      setOwn(get(section).options, option, showValue(value));
    }
  }
  return sections;
}

/**
 * Parse a raw uci file (`/etc/config/<config>`): `config <type> ['name']`,
 * `option <name> <value>`, `list <name> <value>`, `package`, comments and blank
 * lines; values in single, double or no quotes. Anonymous sections are named
 * `@type[n]` (n counts sections of that type). A later `option` replaces an
 * earlier one; `list` appends (and turns an option into a list, like uci).
 *
 * @returns sections in file order
 */
export function parseUciFile(text: string): UciSection[] {
  const sections: UciSection[] = [];
  if (typeof text !== 'string') return sections;
  const typeCount = new Map<string, number>();
  let cur: UciSection | null = null;
  for (const line of text.split('\n')) {
    // Single quotes literal, double quotes and bare words with backslash escapes, `#` outside quotes a comment.
    const w = shellWords(line, { double: 'any', comments: true });
    const kw = w[0];
    if (kw === 'config') {
      const type = w[1];
      cur = null;
      if (type === undefined || !IDENT.test(type)) continue;
      const n = typeCount.get(type) ?? 0;
      typeCount.set(type, n + 1);
      const given = w[2];
      const named = given !== undefined && given !== '' && IDENT.test(given);
      cur = {
        name: named ? given : `@${type}[${n}]`,
        type,
        index: sections.length,
        anonymous: !named || GENERATED.test(given),
        options: {},
      };
      sections.push(cur);
    } else if ((kw === 'option' || kw === 'list') && cur !== null) {
      const name = w[1];
      const value = w[2] ?? '';
      if (name === undefined || !IDENT.test(name)) continue;
      const opts = cur.options;
      if (kw === 'option') {
        setOwn(opts, name, value);
      } else {
        const prev = Object.prototype.hasOwnProperty.call(opts, name) ? opts[name] : undefined;
        const list = prev === undefined ? [] : typeof prev === 'string' ? [prev] : prev;
        list.push(value);
        setOwn(opts, name, list);
      }
    }
  }
  return sections;
}

/** The first section of a type (uci's `@type[0]`), or null. */
export function firstSection(sections: UciSection[], type: string): UciSection | null {
  return sections.find((s) => s.type === type) ?? null;
}

/** The last section of a type (uci's `@type[-1]`; fw4 lets the last `defaults` win), or null. */
export function lastSection(sections: UciSection[], type: string): UciSection | null {
  for (let i = sections.length - 1; i >= 0; i--) {
    const s = sections[i] as UciSection;
    if (s.type === type) return s;
  }
  return null;
}

/** All sections of a type, in order. */
export function sectionsOfType(sections: UciSection[], type: string): UciSection[] {
  return sections.filter((s) => s.type === type);
}

/**
 * A uci boolean: `1`, `yes`, `on`, `true`, `enabled` (any case) are true; anything
 * else, a missing option and a list are false.
 */
export function uciBool(value: string | string[] | undefined): boolean {
  return typeof value === 'string' && TRUE_VALUES.includes(value.trim().toLowerCase());
}
