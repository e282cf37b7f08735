/** The conntrack table: /proc/net/nf_conntrack, or `conntrack -L` where the proc file is absent. */
import { readFile, exists, readLine, eachLine } from './fs';
import { run, which, firstLine } from './exec';
import { rooted } from './root';
import { countConntrack, countGrepMatches, GREP_PATTERNS } from '../parse/conntrack';

export interface TableRead {
  text: string;
  source: 'proc' | 'conntrack-cli' | 'none';
  error: string | null;
  bytes: number;
}

export function readConntrackTable(): TableRead {
  if (exists('/proc/net/nf_conntrack')) {
    const r = readFile('/proc/net/nf_conntrack');
    if (r.ok) return { text: r.text, source: 'proc', error: null, bytes: r.text.length };
    return { text: '', source: 'none', error: `conntrack table not readable: ${r.error}`, bytes: 0 };
  }
  if (which('conntrack')) {
    const r = run(['conntrack', '-L'], { timeoutMs: 8000 });
    if (r.code === 0) return { text: r.stdout, source: 'conntrack-cli', error: null, bytes: r.stdout.length };
    return { text: '', source: 'none', error: `conntrack table not readable: conntrack -L failed (${r.error ?? firstLine(r)})`, bytes: 0 };
  }
  return {
    text: '',
    source: 'none',
    error: 'conntrack table not readable: /proc/net/nf_conntrack is absent and the conntrack tool is not installed',
    bytes: 0,
  };
}

/**
 * Every line of the conntrack table, one at a time: the /proc file streamed (its memory stays
 * that of one line), `conntrack -L`'s output split. Where it came from, or why it could not be read.
 */
export function eachConntrackLine(fn: (line: string) => void): { source: TableRead['source']; error: string | null } {
  if (exists('/proc/net/nf_conntrack')) {
    const r = eachLine('/proc/net/nf_conntrack', fn);
    return r.ok ? { source: 'proc', error: null } : { source: 'none', error: `conntrack table not readable: ${r.error}` };
  }
  const t = readConntrackTable();
  for (const line of t.text.split('\n')) fn(line);
  return { source: t.source, error: t.error };
}

function num(path: string): number | null {
  const t = readLine(path);
  if (t === null) return null;
  const n = Number.parseInt(t, 10);
  return Number.isFinite(n) ? n : null;
}

export function conntrackCount(): { count: number | null; max: number | null } {
  return { count: num('/proc/sys/net/netfilter/nf_conntrack_count'), max: num('/proc/sys/net/netfilter/nf_conntrack_max') };
}

/**
 * From this many entries (nf_conntrack_count) the table is counted by grep, not read into the
 * handler: a 64k-entry table is ~14 MB of text, which QuickJS reads byte by byte into a string
 * and scans in JS; `grep -o -F` passes over it in C and prints ~11 bytes per offloaded entry.
 * Measured on the simulator's root (stats wall / the handler's peak RSS, busybox grep): 2048
 * entries 10.0 / 10.0 ms (the crossing), 8192 21.7 → 11.3 ms, 65536 107.8 → 20.7 ms and
 * 31.7 → 6.1 MB. Below it the exec costs more than the read.
 */
export const GREP_FROM_ENTRIES = 2048;

export interface TableCounts {
  total: number;
  offloaded: number;
  hw_offloaded: number;
  source: 'proc' | 'conntrack-cli';
}

/**
 * The table counted here when that is the whole story: a /proc table below GREP_FROM_ENTRIES
 * that reads. Null otherwise (countTable decides: grep, `conntrack -L`, or the error) — so the
 * per-poll path of `stats` needs no process code (methods/stats.ts).
 */
export function countSmallTable(count: number | null): TableCounts | null {
  if (count !== null && count >= GREP_FROM_ENTRIES) return null;
  if (!exists('/proc/net/nf_conntrack')) return null;
  const r = readFile('/proc/net/nf_conntrack');
  return r.ok ? { ...countConntrack(r.text), source: 'proc' } : null;
}

/**
 * The conntrack table counted: by grep for a large /proc table when grep runs, otherwise read and
 * counted here (parse/conntrack.ts countConntrack). null with the reason when the table is unreadable.
 */
export function countTable(count: number | null): { ok: true; counts: TableCounts } | { ok: false; error: string } {
  if (count !== null && count >= GREP_FROM_ENTRIES && exists('/proc/net/nf_conntrack') && which('grep')) {
    const r = run(['grep', '-o', '-F', ...GREP_PATTERNS.flatMap((p) => ['-e', p]), rooted('/proc/net/nf_conntrack')], { timeoutMs: 8000 });
    // grep: 0 matches found, 1 none (an empty table); anything else falls back to reading the table.
    if (r.code === 0 || (r.code === 1 && r.stdout === '')) return { ok: true, counts: { ...countGrepMatches(r.stdout, count), source: 'proc' } };
  }
  const t = readConntrackTable();
  if (t.source === 'none') return { ok: false, error: t.error ?? 'conntrack table not readable' };
  return { ok: true, counts: { ...countConntrack(t.text), source: t.source } };
}
