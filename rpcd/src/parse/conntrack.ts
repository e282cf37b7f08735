/**
 * Parsers for the conntrack table: `/proc/net/nf_conntrack` and `conntrack -L`
 * (plain and `-o extended`).
 *
 * Line shape (kernel `ct_seq_show()`, libnetfilter_conntrack `snprintf_default.c`):
 * `[l3 l3num] l4 l4num [timeout] [STATE] src= dst= sport= dport= [packets= bytes=] [UNREPLIED]
 *  src= dst= sport= dport= [packets= bytes=] [HW_OFFLOAD|OFFLOAD|ASSURED] mark= [zone=] use=`.
 * Offloaded entries have no timeout and no TCP state in /proc (and in the captured `conntrack -L`).
 *
 * Pure: no I/O, never throws. Runs under QuickJS (rpcd handler) and in the browser.
 */

/** One direction of a connection. ICMP has type/code/id instead of ports, so its ports are null. */
export interface Tuple {
  src: string;
  dst: string;
  sport: number | null;
  dport: number | null;
  /** null when accounting (`nf_conntrack_acct`) is off. */
  packets: number | null;
  bytes: number | null;
}

/** One parsed conntrack entry. */
export interface ConntrackEntry {
  /** `ipv4` / `ipv6`; null for `conntrack -L` lines without the l3 columns. */
  l3: string | null;
  proto: string;
  protonum: number;
  /** Seconds until expiry; null when absent (offloaded entries). */
  timeout: number | null;
  /** The L4 state word (TCP, also SCTP/DCCP); null when absent. */
  tcp_state: string | null;
  orig: Tuple;
  reply: Tuple | null;
  /** Sum over both directions (0 when accounting is off). */
  packets: number;
  bytes: number;
  /** Bracketed flags without brackets, in order: `UNREPLIED`, `ASSURED`, `OFFLOAD`, `HW_OFFLOAD`. */
  flags: string[];
  offload: 'hardware' | 'software' | 'none';
  assured: boolean;
  unreplied: boolean;
  mark: number | null;
  zone: number | null;
}

/** The end of conntrack's summary line (`conntrack v1.4.7 (conntrack-tools): 5 flow entries have been shown.`). */
const SUMMARY_END = 'have been shown.';
/** Every conntrack-tools message on stderr starts like this. */
const TOOL_PREFIX = 'conntrack v';

const WORD = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;
const STATE = /^[A-Z][A-Z0-9_]{0,31}$/;

/**
 * An unsigned decimal integer, or null. Round-tripping through String() instead of a
 * regex test: this runs ~10 times per line on 64k-line tables, and QuickJS regexes are slow.
 */
function num(v: string): number | null {
  const n = +v;
  return v !== '' && n >= 0 && String(n) === v ? n : null;
}

/**
 * Split a line at blanks, without empty tokens. `split(' ')` plus a skip loop is several
 * times faster than `split(/\s+/)` under QuickJS; other whitespace takes the regex path.
 */
function tokens(text: string): string[] {
  if (text.indexOf('\t') !== -1 || text.indexOf('\r') !== -1) return text.split(/\s+/);
  const parts = text.split(' ');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as string;
    if (p !== '') out.push(p);
  }
  return out;
}

/**
 * Drop a conntrack-tools message at the start of a line. stderr's summary line can
 * land in front of stdout's first line; whatever follows `have been shown.` is kept.
 */
function stripToolMessage(line: string): string {
  if (!line.startsWith(TOOL_PREFIX)) return line;
  const at = line.indexOf(SUMMARY_END);
  return at === -1 ? '' : line.slice(at + SUMMARY_END.length).trim();
}

function newTuple(src: string): { src: string; dst: string | null; sport: number | null; dport: number | null; packets: number | null; bytes: number | null } {
  return { src, dst: null, sport: null, dport: null, packets: null, bytes: null };
}

/**
 * Parse one conntrack line from `/proc/net/nf_conntrack` or `conntrack -L [-o extended]`.
 *
 * Columns are found by shape, not index: the timeout and state columns are optional.
 * Unknown `key=value` tokens (`use=`, `id=`, `secctx=`, `delta-time=`, `labels=`,
 * `type=`/`code=`/`id=` of ICMP) are ignored.
 *
 * @returns the entry, or null for blank lines, conntrack's summary/error lines and garbage
 *   (a line needs the protocol columns and an original src and dst)
 */
export function parseConntrackLine(line: string): ConntrackEntry | null {
  if (typeof line !== 'string') return null;
  const text = stripToolMessage(line.trim());
  if (text === '') return null;
  const t = tokens(text);

  // Leading columns: [l3 l3num] l4 l4num — the l3 form has a word in column 3 and a number in column 4.
  let i = 0;
  let l3: string | null = null;
  const t0 = t[0] ?? '';
  const t2 = t[2] ?? '';
  if (WORD.test(t0) && num(t[1] ?? '') !== null && WORD.test(t2) && num(t[3] ?? '') !== null) {
    l3 = t0;
    i = 2;
  }
  const proto = t[i] ?? '';
  const protonum = num(t[i + 1] ?? '');
  if (!WORD.test(proto) || protonum === null || protonum > 255) return null;
  i += 2;

  let timeout: number | null = null;
  const maybeTimeout = num(t[i] ?? '');
  if (maybeTimeout !== null) {
    timeout = maybeTimeout;
    i++;
  }
  let state: string | null = null;
  if (STATE.test(t[i] ?? '')) {
    state = t[i] as string;
    i++;
  }

  let orig: ReturnType<typeof newTuple> | null = null;
  let reply: ReturnType<typeof newTuple> | null = null;
  let cur: ReturnType<typeof newTuple> | null = null;
  const flags: string[] = [];
  let mark: number | null = null;
  let zone: number | null = null;

  for (; i < t.length; i++) {
    const tok = t[i] as string;
    if (tok.charCodeAt(0) === 91 /* [ */) {
      if (tok.length > 2 && tok.charCodeAt(tok.length - 1) === 93 /* ] */) flags.push(tok.slice(1, -1));
      continue;
    }
    const eq = tok.indexOf('=');
    if (eq <= 0) continue;
    const key = tok.slice(0, eq);
    const val = tok.slice(eq + 1);
    switch (key) {
      case 'src':
        if (orig === null) cur = orig = newTuple(val);
        else if (reply === null) cur = reply = newTuple(val);
        else cur = null; // a third tuple (expectation/master) is not ours
        break;
      case 'dst':
        if (cur && cur.dst === null) cur.dst = val;
        break;
      case 'sport':
        if (cur) cur.sport = num(val);
        break;
      case 'dport':
        if (cur) cur.dport = num(val);
        break;
      case 'packets':
        if (cur) cur.packets = num(val);
        break;
      case 'bytes':
        if (cur) cur.bytes = num(val);
        break;
      case 'mark':
        mark = num(val);
        break;
      case 'zone':
        zone = num(val);
        break;
      default:
        break;
    }
  }
  if (orig === null || orig.dst === null || orig.src === '') return null;
  const o = orig as Tuple;
  const r = reply !== null && reply.dst !== null ? (reply as Tuple) : null;
  const hw = flags.includes('HW_OFFLOAD');
  return {
    l3,
    proto,
    protonum,
    timeout,
    tcp_state: state,
    orig: o,
    reply: r,
    packets: (o.packets ?? 0) + (r?.packets ?? 0),
    bytes: (o.bytes ?? 0) + (r?.bytes ?? 0),
    flags,
    offload: hw ? 'hardware' : flags.includes('OFFLOAD') ? 'software' : 'none',
    assured: flags.includes('ASSURED'),
    unreplied: flags.includes('UNREPLIED'),
    mark,
    zone,
  };
}

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/**
 * Count entries and offload markers of a conntrack listing without parsing lines.
 *
 * The fast path for polling (tables of up to 64k entries): one `indexOf` walk over
 * the newlines plus one per marker, no per-line strings or arrays. An entry is a
 * line starting with a letter; conntrack's own `conntrack v…` lines are skipped
 * (unless an entry follows the summary on the same line). `[HW_OFFLOAD]` does not
 * contain `[OFFLOAD]`, so the two counts never overlap; the kernel prints at most
 * one of them per entry, and a marker counts only on a line counted as an entry, so
 * `offloaded + hw_offloaded <= total` always (a fuzz case once broke this with a
 * line starting with a NUL byte).
 *
 * Agrees with counting via {@link parseConntrackLine} on real listings; on garbage
 * lines that begin with a letter it may count more.
 *
 * @returns `total` entries, `offloaded` software-only (`[OFFLOAD]`), `hw_offloaded` (`[HW_OFFLOAD]`)
 */
export function countConntrack(text: string): { total: number; offloaded: number; hw_offloaded: number } {
  if (typeof text !== 'string' || text === '') return { total: 0, offloaded: 0, hw_offloaded: 0 };
  let total = 0;
  let offloaded = 0;
  let hw = 0;
  const len = text.length;
  // The next `OFFLOAD]` at or after the current line; markers are only counted on lines counted as entries,
  // so offloaded + hw_offloaded never exceeds total.
  let marker = text.indexOf('OFFLOAD]');
  let start = 0;
  while (start < len) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = len;
    const first = text.charCodeAt(start);
    let entry = false;
    if (end > start && isLetter(first)) {
      if (first !== 99 /* c */ || !text.startsWith(TOOL_PREFIX, start)) entry = true;
      else {
        const at = text.indexOf(SUMMARY_END, start);
        if (at !== -1 && at < end) {
          let p = at + SUMMARY_END.length;
          while (p < end && text.charCodeAt(p) <= 32) p++;
          entry = p < end;
        }
      }
    }
    if (entry) total++;
    while (marker !== -1 && marker < end) {
      if (entry && marker >= start) {
        // The kernel prints one of them per entry: `[HW_OFFLOAD]` or `[OFFLOAD]`.
        if (marker >= start + 4 && text.startsWith('[HW_', marker - 4)) {
          hw++;
          entry = false;
        } else if (marker >= start + 1 && text.charCodeAt(marker - 1) === 91 /* [ */) {
          offloaded++;
          entry = false;
        }
      }
      marker = text.indexOf('OFFLOAD]', marker + 8);
    }
    start = end + 1;
  }
  return { total, offloaded, hw_offloaded: hw };
}

/**
 * The markers `grep -o -F` prints for the counts, one line per match. Each entry of
 * /proc/net/nf_conntrack carries at most one of them, which matters: busybox's grep -o prints a
 * single match per line (with a third pattern such as `use=` it printed only that one), so the
 * entries themselves are not counted this way but taken from nf_conntrack_count.
 */
export const GREP_PATTERNS = ['[HW_OFFLOAD]', '[OFFLOAD]'] as const;

/**
 * Counts from `grep -o -F -e '[HW_OFFLOAD]' -e '[OFFLOAD]' /proc/net/nf_conntrack` and the
 * kernel's entry count (nf_conntrack_count, read a moment apart: the total is never below what is marked).
 */
export function countGrepMatches(text: string, entries: number): { total: number; offloaded: number; hw_offloaded: number } {
  let offloaded = 0;
  let hw = 0;
  if (typeof text === 'string') {
    for (const line of text.split('\n')) {
      if (line === '[OFFLOAD]') offloaded++;
      else if (line === '[HW_OFFLOAD]') hw++;
    }
  }
  return { total: Math.max(entries, offloaded + hw), offloaded, hw_offloaded: hw };
}
