/**
 * JSON as libubox's blobmsg_format_json writes it (what uhttpd sends): compact,
 * doubles with printf "%f" (six decimals), control characters as \u00XX except
 * \b \n \t \r, no escaping of "/" or non-ASCII.
 */
export function blobJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return String(v);
    return Number.isFinite(v) ? v.toFixed(6) : 'null';
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
 * Parse a plugin's stdout as rpcd does: the first complete JSON value counts,
 * anything after it is ignored. Returns undefined when there is no complete value.
 */
export function firstJsonValue(text: string): { value: unknown } | undefined {
  const s = text.replace(/^\s+/, '');
  if (!s) return undefined;
  const end = scanValue(s, 0);
  if (end < 0) return undefined;
  try {
    return { value: JSON.parse(s.slice(0, end)) };
  } catch {
    return undefined;
  }
}

/** Index just after the JSON value starting at i, or -1 if incomplete/invalid. */
function scanValue(s: string, i: number): number {
  const c = s[i];
  if (c === '{' || c === '[') {
    let depth = 0;
    let inStr = false;
    for (let j = i; j < s.length; j++) {
      const ch = s[j];
      if (inStr) {
        if (ch === '\\') j++;
        else if (ch === '"') inStr = false;
      } else if (ch === '"') inStr = true;
      else if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return -1;
  }
  const m = /^("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(s.slice(i));
  return m ? i + m[0].length : -1;
}
