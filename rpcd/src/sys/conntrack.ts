/** The conntrack table: /proc/net/nf_conntrack, or `conntrack -L` where the proc file is absent. */
import { readFile, exists, readLine } from './fs';
import { run, which, firstLine } from './exec';

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

function num(path: string): number | null {
  const t = readLine(path);
  if (t === null) return null;
  const n = Number.parseInt(t, 10);
  return Number.isFinite(n) ? n : null;
}

export function conntrackCount(): { count: number | null; max: number | null } {
  return { count: num('/proc/sys/net/netfilter/nf_conntrack_count'), max: num('/proc/sys/net/netfilter/nf_conntrack_max') };
}
