/** uci file and `uci show` formatting for the stand-in (the real CLI's output shapes). Pure. */
import type { Section as UciSection } from './uci-parse';

function q(v: string): string {
  return `'${v.replace(/'/g, `'\\''`)}'`;
}

/** Write sections in the canonical /etc/config format `uci commit` produces. */
export function formatUciFile(sections: UciSection[]): string {
  const out: string[] = [];
  for (const s of sections) {
    out.push(s.anonymous ? `config ${s.type}` : `config ${s.type} ${q(s.name)}`);
    for (const [k, v] of Object.entries(s.options)) {
      if (Array.isArray(v)) for (const item of v) out.push(`\tlist ${k} ${q(item)}`);
      else out.push(`\toption ${k} ${q(v)}`);
    }
    out.push('');
  }
  return out.join('\n') + (out.length ? '\n' : '');
}

/** Name as `uci show` prints it: `@type[n]` for anonymous sections. */
export function showName(sections: UciSection[], s: UciSection): string {
  if (!s.anonymous) return s.name;
  const n = sections.filter((x) => x.type === s.type).indexOf(s);
  return `@${s.type}[${n}]`;
}

export function formatUciShow(config: string, sections: UciSection[]): string {
  const out: string[] = [];
  for (const s of sections) {
    const name = showName(sections, s);
    out.push(`${config}.${name}=${s.type}`);
    for (const [k, v] of Object.entries(s.options)) {
      out.push(`${config}.${name}.${k}=${Array.isArray(v) ? v.map(q).join(' ') : q(v)}`);
    }
  }
  return out.join('\n') + (out.length ? '\n' : '');
}

/** Resolve `@type[n]` (negative n from the end) or a section name. */
export function findSection(sections: UciSection[], ref: string): UciSection | null {
  const m = /^@([A-Za-z0-9_-]+)\[(-?\d+)\]$/.exec(ref);
  if (m) {
    const list = sections.filter((s) => s.type === m[1]);
    const i = Number(m[2]);
    return list[i < 0 ? list.length + i : i] ?? null;
  }
  return sections.find((s) => s.name === ref) ?? null;
}
