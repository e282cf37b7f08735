/**
 * The simulator's own reading of /etc/config files: a port of libuci's
 * file.c parser (uci_parse_line, parse_str, next_arg, assert_eol), strict mode,
 * including its error reasons and the line/byte it reports them at, so the uci
 * stand-in can print `uci: Parse error (REASON) at line N, byte M` as the real
 * CLI does (libuci.c uci_get_errorstr). Pure: used by the QuickJS stand-ins and
 * by the Node side of the simulator. It shares no code with the handler.
 */

export interface Section {
  /** The section's name; anonymous sections get `cfgNNXXXX` as libuci names them. */
  name: string;
  type: string;
  anonymous: boolean;
  options: Record<string, string | string[]>;
}

export interface UciParseError {
  reason: string;
  line: number;
  byte: number;
}

export type ParseResult = { ok: true; sections: Section[] } | { ok: false; error: UciParseError };

/** `Parse error (REASON) at line N, byte M`, as uci_get_errorstr formats it. */
export function parseErrorText(e: UciParseError): string {
  return `Parse error (${e.reason}) at line ${e.line}, byte ${e.byte}`;
}

/** Names uci gives anonymous sections: cfg + section counter + djb hash of the type (uci_add_section). */
export function anonymousName(counter: number, type: string): string {
  let h = 5381;
  for (let i = 0; i < type.length; i++) h = ((h << 5) + h + type.charCodeAt(i)) >>> 0;
  return `cfg${(counter & 0xff).toString(16).padStart(2, '0')}${(h % 65536).toString(16).padStart(4, '0')}`;
}

/* A plain object, not a class with fields: esbuild would put helper code before the imports,
   and QuickJS only runs a file as a module when it starts with import/export. */
interface Thrown {
  uciParseError: UciParseError;
}
const isThrown = (e: unknown): e is Thrown => !!e && typeof e === 'object' && 'uciParseError' in e;

const isSpace = (c: string | undefined): boolean => c !== undefined && c !== '' && ' \t\n\v\f\r'.includes(c);
const isAlnum = (c: string): boolean => /^[A-Za-z0-9]$/.test(c);

function validStr(s: string, name: boolean, pkg: boolean): boolean {
  if (!s) return false;
  for (const c of s) {
    if (isAlnum(c) || c === '_') continue;
    if (c === '-' && pkg) continue;
    const code = c.charCodeAt(0);
    if (name || code < 33 || code > 126) return false;
  }
  return true;
}

export function parseUci(text: string): ParseResult {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  let next = 0;
  let lineNo = 0;
  let buf = '';
  let pos = 0;
  const sections: Section[] = [];
  let current: Section | null = null;
  let counter = 0;

  const err = (reason: string): never => {
    throw { uciParseError: { reason, line: lineNo, byte: pos } } satisfies Thrown;
  };
  /** uci_getln: append the next input line at `offset`. */
  const getln = (offset: number): void => {
    buf = buf.slice(0, offset);
    const l = lines[next++];
    if (l === undefined) return;
    buf += l;
    if (l.endsWith('\n')) lineNo++;
  };
  const cur = (): string => buf[pos] ?? '';
  const skipWs = (): void => {
    while (cur() && isSpace(cur())) pos++;
  };
  /** Returns false when the backslash ended the line (the next line is fetched). */
  const backslash = (): boolean => {
    pos++;
    if (!cur() || cur() === '\n' || (cur() === '\r' && buf[pos + 1] === '\n' && !buf[pos + 2])) {
      getln(pos);
      return false;
    }
    return true;
  };
  const quoted = (q: string, out: string[]): void => {
    pos++;
    for (;;) {
      const c = cur();
      if (c === q) {
        pos++;
        return;
      }
      if (!c) {
        getln(pos);
        if (!cur()) err(`EOF with unterminated ${q}`);
        continue;
      }
      if (c === '\\' && q === '"') {
        if (!backslash()) continue;
      }
      out.push(cur());
      pos++;
    }
  };
  /** parse_str + next_arg: one argument, or null when there is none. */
  const nextArg = (required: boolean, name: boolean): string | null => {
    skipWs();
    const out: string[] = [];
    let any = false;
    if (cur() === ';') {
      pos++;
    } else {
      let more = true;
      do {
        const c = cur();
        if (c === "'" || c === '"') {
          quoted(c, out);
          any = true;
        } else if (c === '#' || !c) {
          if (c === '#') buf = buf.slice(0, pos);
          break;
        } else if (c === ';') {
          more = false;
          break;
        } else if (c === '\\') {
          if (!backslash()) continue;
          out.push(cur());
          pos++;
          any = true;
        } else {
          out.push(c);
          pos++;
          any = true;
        }
      } while (cur() && !isSpace(cur()));
      if (cur() && more) pos++;
    }
    const v = out.join('');
    if (!v) {
      if (required) err('insufficient arguments');
      return any ? '' : null;
    }
    if (name && !validStr(v, true, false)) err('invalid character in name field');
    return v;
  };
  const assertEol = (): void => {
    skipWs();
    const extra = nextArg(false, false);
    if (extra) err('too many arguments');
  };
  /** uci_increase_pos past the command word (strtok put a NUL after it). */
  const pastWord = (word: string, reason: string): void => {
    if (pos + word.length + 1 > buf.length) err(reason);
    pos += word.length + 1;
  };

  try {
    for (;;) {
      pos = 0;
      getln(0);
      if (!buf) break;
      skipWs();
      // One line may hold several commands separated by ';'.
      for (;;) {
        const rest = buf.slice(pos);
        const m = /^[^ \t]*/.exec(rest.replace(/^[ \t]+/, ''));
        const lead = rest.length - rest.replace(/^[ \t]+/, '').length;
        pos += lead;
        let word = (m?.[0] ?? '').replace(/\n$/, '');
        if (word.includes(';')) word = word.slice(0, word.indexOf(';'));
        if (!word || word.startsWith('#') || /^\r?$/.test(word)) break;
        if (word === 'c' || word === 'config') {
          pastWord(word, 'config without name');
          const type = nextArg(true, false) as string;
          if (!validStr(type, false, false)) err('invalid character in type field');
          const name = nextArg(false, true);
          assertEol();
          const existing = name ? sections.find((s) => s.name === name) : undefined;
          if (existing) {
            if (existing.type !== type) err('section of different type overwrites prior section with same name');
            current = existing;
          } else {
            // p->n_section counts every section allocated, named or not.
            counter++;
            current = { name: name || anonymousName(counter, type), type, anonymous: !name, options: {} };
            sections.push(current);
          }
        } else if (word === 'o' || word === 'option' || word === 'l' || word === 'list') {
          if (!current) err('option/list command found before the first section');
          pastWord(word, 'option without name');
          const name = nextArg(true, true) as string;
          const value = nextArg(false, false) ?? '';
          assertEol();
          const s = current as Section;
          if (word.startsWith('l')) {
            const prev = s.options[name];
            s.options[name] = Array.isArray(prev) ? [...prev, value] : [value];
          } else s.options[name] = value;
        } else if (word === 'p' || word === 'package') {
          pastWord(word, 'package without name');
          nextArg(true, true);
          assertEol();
        } else {
          err('invalid command');
        }
        if (!cur() || cur() === '\n') break;
      }
    }
  } catch (e) {
    if (isThrown(e)) return { ok: false, error: e.uciParseError };
    throw e;
  }
  return { ok: true, sections };
}

/** Sections of a file, or null when uci would refuse it (for readers that treat both alike). */
export function sectionsOf(text: string | null): Section[] | null {
  if (text === null) return null;
  const r = parseUci(text);
  return r.ok ? r.sections : null;
}

export function list(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : v.split(/\s+/).filter(Boolean);
}

export function bool(v: string | string[] | undefined): boolean {
  return typeof v === 'string' && ['1', 'yes', 'on', 'true', 'enabled'].includes(v);
}
