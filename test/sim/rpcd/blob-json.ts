/**
 * JSON as libubox's blobmsg_format_json writes it (what uhttpd sends): compact,
 * doubles (JsonDouble) with printf "%lf" (six decimals) whether or not they are
 * whole, integers as integers, control characters as \u00XX except
 * \b \n \t \r, no escaping of "/" or non-ASCII.
 */
export function blobJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof JsonDouble) return formatDouble(v.value);
  if (typeof v === 'number') {
    // Values the simulator makes itself: integers are blobmsg ints, fractions doubles.
    if (Number.isInteger(v)) return String(v);
    return formatDouble(v);
  }
  if (typeof v === 'string') return blobString(v);
  if (Array.isArray(v)) return `[${v.map(blobJson).join(',')}]`;
  if (typeof v === 'object') {
    const parts: string[] = [];
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (x === undefined) continue;
      parts.push(`${blobString(k)}:${blobJson(x)}`);
    }
    return `{${parts.join(',')}}`;
  }
  return 'null';
}

/** printf("%lf"): six decimals; inf/nan as glibc prints them (json-c never parses those). */
function formatDouble(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  const s = Math.abs(n).toFixed(6);
  return (n < 0 || Object.is(n, -0) ? '-' : '') + s;
}

function blobString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

/**
 * A JSON number json-c parsed as a double (it had a '.', 'e' or 'E'): blobmsg
 * keeps it a BLOBMSG_TYPE_DOUBLE and blobmsg_format_json prints it with "%lf",
 * so `{"uptime":1234.00}` comes back as `1234.000000`, never as `1234`.
 */
export class JsonDouble {
  constructor(readonly value: number) {}
  toJSON(): number {
    return this.value;
  }
}

export type Tokened = { state: 'success'; value: unknown } | { state: 'continue' } | { state: 'error' };

/**
 * json_tokener_parse_ex over a plugin's whole stdout, as rpcd's plugin.c feeds
 * it: the first complete value counts and anything after it is ignored
 * ('success'); input that ends inside a value — or holds only whitespace — is
 * json_tokener_continue; anything else an error. Numbers keep json-c's type:
 * with '.', 'e' or 'E' a JsonDouble, otherwise an integer.
 */
export function tokenizeFirst(text: string): Tokened {
  let i = 0;
  const MORE = { more: true };
  const BAD = { bad: true };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const need = (): void => {
    if (i >= text.length) throw MORE;
  };
  const value = (): unknown => {
    ws();
    need();
    const c = text[i] as string;
    if (c === '{') {
      i++;
      const o: Record<string, unknown> = {};
      ws();
      need();
      if (text[i] === '}') {
        i++;
        return o;
      }
      for (;;) {
        ws();
        need();
        if (text[i] !== '"') throw BAD;
        const k = str();
        ws();
        need();
        if (text[i] !== ':') throw BAD;
        i++;
        o[k] = value();
        ws();
        need();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return o;
        }
        throw BAD;
      }
    }
    if (c === '[') {
      i++;
      const a: unknown[] = [];
      ws();
      need();
      if (text[i] === ']') {
        i++;
        return a;
      }
      for (;;) {
        a.push(value());
        ws();
        need();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return a;
        }
        throw BAD;
      }
    }
    if (c === '"') return str();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
      if (word.startsWith(text.slice(i))) throw MORE;
    }
    const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) throw text.slice(i) === '-' ? MORE : BAD;
    i += m[0].length;
    // A number at the very end could still grow: json-c waits for more.
    if (i >= text.length) throw MORE;
    const n = Number(m[0]);
    return m[1] !== undefined || m[2] !== undefined ? new JsonDouble(n) : n;
  };
  const str = (): string => {
    const start = i;
    i++;
    for (;;) {
      need();
      const ch = text[i];
      if (ch === '\\') i += 2;
      else if (ch === '"') {
        i++;
        break;
      } else i++;
    }
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      throw BAD;
    }
  };
  try {
    return { state: 'success', value: value() };
  } catch (e) {
    if (e === MORE) return { state: 'continue' };
    if (e === BAD) return { state: 'error' };
    throw e;
  }
}

/** The first complete JSON value of `text` with plain numbers (for `list` signatures), or undefined. */
export function firstJsonValue(text: string): { value: unknown } | undefined {
  const t = tokenizeFirst(text);
  if (t.state !== 'success') return undefined;
  return { value: JSON.parse(JSON.stringify(t.value)) };
}
