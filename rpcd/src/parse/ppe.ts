/**
 * Parser for the flow tables that MediaTek-family packet processing engines (PPE)
 * print in debugfs: what the hardware really holds, bound (forwarding in hardware)
 * or not.
 *
 * Three line formats exist, all one entry a line:
 *
 * - `foe`: upstream `mtk_eth_soc` (`drivers/net/ethernet/mediatek/mtk_ppe_debugfs.c`,
 *   files `/sys/kernel/debug/ppe<N>/{entries,bind}`, before Linux 6.1 `/sys/kernel/debug/mtk_ppe/{entries,bind}`)
 *   and Airoha (`drivers/net/ethernet/airoha/airoha_ppe_debugfs.c`, `/sys/kernel/debug/ppe/{entries,bind}`):
 *   `%05x %s %7s orig=… [new=…] eth=%pM->%pM etype=%04x [data=%08x] vlan=%d,%d ib1=%08x ib2=%08x [packets=%llu bytes=%llu]`,
 *   state `INV`/`UNB`/`BND`/`FIN`/`UNK`, type `IPv4 5T`, `IPv4 3T`, `DS-LITE`, `IPv6 3T`, `IPv6 5T`, `6RD`, `L2B`, `UNKNOWN`.
 *   Newer kernels add `packets=`/`bytes=` (all 0 in the public MT7621 captures).
 * - `foe_legacy`: OpenWrt's own pre-5.10 ramips offload (`mtk_offload`, `/sys/kernel/debug/mtk_ppe/all_entry`):
 *   `(%x)0x%05x|state=%s|type=%s|sip:sport->dip:dport=>…|smac=>dmac|etype=0x%04x|info1=0x%x|info2=0x%x|vlan1=%d|vlan2=%d`
 *   for IPv4 NAPT entries, `0x%05x state=%s` for every other entry; states `INVALID`/`UNBIND`/`BIND`/`FIN`.
 * - `hnat`: MediaTek's SDK driver (`mtk_hnat/hnat_debugfs.c`, `/sys/kernel/debug/hnat/all_entry`):
 *   `[bytes=%llu|packets=%llu|]index=0x%05x|state=%s|type=%s|…|etype=0x%04x|info1=0x%x|info2=0x%x…`, in the
 *   multi-PPE SDK `[bytes=…|packets=…|]addr=0x%p|ppe=%d|index=%d|state=%s|type=%s|…`; other entries
 *   `index=0x%05x state=%s` / `addr=0x%p|ppe=%d|index=%d state=%s`.
 *
 * A line is an entry only when it is whole (a cut-off line is `unparsed`, never a guess).
 *
 * Pure: no I/O, never throws. Runs under QuickJS (rpcd handler) and in the browser.
 */

/** Which driver's line format a line is in. */
export type PpeFormat = 'foe' | 'foe_legacy' | 'hnat';

/** Entry state, the same for every format: `BND`/`BIND` is `bound` (forwarded by the hardware). */
export type PpeState = 'bound' | 'unbound' | 'invalid' | 'fin' | 'unknown';

/** One entry of a PPE flow table. */
export interface PpeEntry {
  format: PpeFormat;
  /** PPE number, when the line names it (multi-PPE SDK `hnat`); else null. */
  ppe: number | null;
  /** Index in the flow (FOE) table. */
  index: number;
  state: PpeState;
  /** The state as printed (`BND`, `UNBIND`, …). */
  stateWord: string;
  /** Packet type as printed (`IPv4 5T`, `6RD`, `IPV4_HNAPT`); '' when the line has none (short lines). */
  type: string;
  /** Hardware counters, when the line prints them; else null. */
  packets: number | null;
  bytes: number | null;
}

/** The counts of one listing (or of several merged, see {@link mergePpeCounts}). */
export interface PpeCounts {
  /** The format of the lines; 'mixed' when lines of more than one appear; null when no line was an entry. */
  format: PpeFormat | 'mixed' | null;
  /** Entries recognised. */
  total: number;
  /** Entries by state; every state is present. */
  byState: Record<PpeState, number>;
  /** Bound entries (= byState.bound). */
  bound: number;
  /**
   * Sum of `packets=` / `bytes=` over bound entries; null when no bound entry printed counters.
   * 0 is weak evidence: in the public MT7621 captures (openwrt/openwrt#17915) every entry, bound or not, shows 0.
   */
  packets: number | null;
  bytes: number | null;
  /** Non-blank lines that are not whole entries (shell prompts, cut-off lines, other output). */
  unparsed: number;
}

function emptyStates(): Record<PpeState, number> {
  return { bound: 0, unbound: 0, invalid: 0, fin: 0, unknown: 0 };
}

function stateOf(word: string): PpeState {
  switch (word) {
    case 'BND':
    case 'BIND':
      return 'bound';
    case 'UNB':
    case 'UNBIND':
      return 'unbound';
    case 'INV':
    case 'INVALID':
      return 'invalid';
    case 'FIN':
      return 'fin';
    default:
      return 'unknown';
  }
}

const HEX = /^[0-9a-fA-F]{1,8}$/;
const HEX8 = /^[0-9a-fA-F]{8}$/;
const STATE3 = /^[A-Z]{3}$/;
const STATE_WORD = /^[A-Z]{2,16}$/;
const DEC = /^[0-9]{1,10}$/;

/** An unsigned decimal counter (up to 2^53), or null. */
function counter(v: string | undefined): number | null {
  if (v === undefined || !/^[0-9]{1,16}$/.test(v)) return null;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : null;
}

/** `0x…` hex or plain decimal index, or null. */
function indexOf0x(v: string | undefined): number | null {
  if (v === undefined) return null;
  if (v.startsWith('0x') || v.startsWith('0X')) return HEX.test(v.slice(2)) ? parseInt(v.slice(2), 16) : null;
  return DEC.test(v) ? Number(v) : null;
}

/** `foe`: `%05x STATE TYPE key=value…`, whole only with `eth=`, `ib1=`, `ib2=`. */
function parseFoe(line: string): PpeEntry | null {
  const t = line.split(' ').filter((s) => s !== '');
  const idx = t[0] ?? '';
  const word = t[1] ?? '';
  if (!HEX.test(idx) || !STATE3.test(word)) return null;
  let i = 2;
  const type: string[] = [];
  while (i < t.length && (t[i] as string).indexOf('=') === -1) type.push(t[i++] as string);
  if (type.length === 0 || type.length > 2) return null;
  let eth = false;
  let ib1 = false;
  let ib2 = false;
  let packets: string | undefined;
  let bytes: string | undefined;
  for (; i < t.length; i++) {
    const tok = t[i] as string;
    const eq = tok.indexOf('=');
    if (eq <= 0) return null; // a bare word after the key=value part: not this format, or mangled
    const key = tok.slice(0, eq);
    const val = tok.slice(eq + 1);
    if (key === 'eth') eth = val.indexOf('->') !== -1;
    else if (key === 'ib1') ib1 = HEX8.test(val);
    else if (key === 'ib2') ib2 = HEX8.test(val);
    else if (key === 'packets') packets = val;
    else if (key === 'bytes') bytes = val;
  }
  if (!eth || !ib1 || !ib2) return null;
  const p = counter(packets);
  const b = counter(bytes);
  if ((packets !== undefined && p === null) || (bytes !== undefined && b === null)) return null;
  return { format: 'foe', ppe: null, index: parseInt(idx, 16), state: stateOf(word), stateWord: word, type: type.join(' '), packets: p, bytes: b };
}

/** `key=value` fields of a `|`-separated line (first `=` splits; first occurrence of a key wins). */
function pipeFields(fields: string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of fields) {
    const eq = f.indexOf('=');
    if (eq <= 0) continue;
    const key = f.slice(0, eq);
    if (!m.has(key)) m.set(key, f.slice(eq + 1));
  }
  return m;
}

/** The fields every whole NAPT/route line of the `|` formats ends with. */
function wholePipeLine(m: Map<string, string>): boolean {
  return ['etype', 'info1', 'info2'].every((k) => /^0x[0-9a-fA-F]{1,8}$/.test(m.get(k) ?? ''));
}

/** `foe_legacy`: `(%x)0x%05x|state=…|type=…|…` or `0x%05x state=%s`. */
function parseLegacy(line: string): PpeEntry | null {
  const short = /^0x([0-9a-fA-F]{1,8}) state=([A-Z]{2,16})$/.exec(line);
  if (short) {
    const word = short[2] as string;
    return { format: 'foe_legacy', ppe: null, index: parseInt(short[1] as string, 16), state: stateOf(word), stateWord: word, type: '', packets: null, bytes: null };
  }
  const head = /^\([0-9a-fA-F]{1,8}\)0x([0-9a-fA-F]{1,8})\|/.exec(line);
  if (!head) return null;
  const m = pipeFields(line.split('|'));
  const word = m.get('state') ?? '';
  const type = m.get('type') ?? '';
  if (!STATE_WORD.test(word) || !/^[A-Z0-9_]{1,24}$/.test(type) || !wholePipeLine(m) || !DEC.test(m.get('vlan2') ?? '')) return null;
  return { format: 'foe_legacy', ppe: null, index: parseInt(head[1] as string, 16), state: stateOf(word), stateWord: word, type, packets: null, bytes: null };
}

/** `hnat`: `[bytes=…|packets=…|](index=…|addr=…|ppe=…|index=…)|state=…|type=…|…`, or the short `… state=%s`. */
function parseHnat(line: string): PpeEntry | null {
  const fields = line.split('|');
  const last = fields[fields.length - 1] as string;
  let shortState: string | null = null;
  const sp = last.indexOf(' state=');
  if (sp !== -1) {
    // Short line: the last field is `index=… state=…`.
    shortState = last.slice(sp + 7);
    fields[fields.length - 1] = last.slice(0, sp);
    if (!STATE_WORD.test(shortState)) return null;
  }
  const m = pipeFields(fields);
  // Counters come first when printed; then addr/ppe (multi-PPE SDK) and index.
  let k = 0;
  let packets: number | null = null;
  let bytes: number | null = null;
  if ((fields[0] ?? '').startsWith('bytes=')) {
    bytes = counter(m.get('bytes'));
    packets = counter(m.get('packets'));
    if (bytes === null || packets === null || !(fields[1] ?? '').startsWith('packets=')) return null;
    k = 2;
  }
  let ppe: number | null = null;
  if ((fields[k] ?? '').startsWith('addr=')) {
    const ppeField = fields[k + 1] ?? '';
    if (!ppeField.startsWith('ppe=') || !DEC.test(ppeField.slice(4))) return null;
    ppe = Number(ppeField.slice(4));
    k += 2;
  }
  const indexField = fields[k] ?? '';
  if (!indexField.startsWith('index=')) return null;
  const index = indexOf0x(indexField.slice(6));
  if (index === null) return null;
  if (shortState !== null) {
    if (fields.length !== k + 1) return null;
    return { format: 'hnat', ppe, index, state: stateOf(shortState), stateWord: shortState, type: '', packets, bytes };
  }
  const word = m.get('state') ?? '';
  const type = m.get('type') ?? '';
  if (fields[k + 1] !== `state=${word}` || !STATE_WORD.test(word) || !/^[A-Z0-9_]{1,24}$/.test(type) || !wholePipeLine(m)) return null;
  return { format: 'hnat', ppe, index, state: stateOf(word), stateWord: word, type, packets, bytes };
}

/**
 * Parse one line of a PPE debugfs listing in any of the three formats.
 *
 * @returns the entry, or null for blank lines, cut-off or mangled lines and anything else
 */
export function parsePpeLine(line: string): PpeEntry | null {
  if (typeof line !== 'string') return null;
  const text = line.trim();
  if (text === '' || text.length > 4096) return null;
  const c = text.charCodeAt(0);
  if (c === 40 /* ( */ || text.startsWith('0x')) return parseLegacy(text);
  if (text.startsWith('index=') || text.startsWith('addr=') || text.startsWith('bytes=')) return parseHnat(text);
  return parseFoe(text);
}

/** Counts with nothing in them. */
export function emptyPpeCounts(): PpeCounts {
  return { format: null, total: 0, byState: emptyStates(), bound: 0, packets: null, bytes: null, unparsed: 0 };
}

/**
 * Count the entries of a PPE debugfs listing (`ppe0/entries`, `ppe0/bind`, `mtk_ppe/all_entry`,
 * `hnat/all_entry`, …) by state.
 *
 * A `bind` file lists bound entries only, so there `total === bound`; an `entries` file lists
 * every entry that is not invalid. Blank lines are skipped; every other line that is not a whole
 * entry counts in `unparsed`.
 */
export function parsePpeEntries(text: string): PpeCounts {
  const out = emptyPpeCounts();
  if (typeof text !== 'string' || text === '') return out;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    const e = parsePpeLine(line);
    if (e === null) {
      if (line.trim() !== '') out.unparsed++;
      continue;
    }
    out.total++;
    out.byState[e.state]++;
    if (out.format === null) out.format = e.format;
    else if (out.format !== e.format) out.format = 'mixed';
    if (e.state === 'bound') {
      if (e.packets !== null) out.packets = (out.packets ?? 0) + e.packets;
      if (e.bytes !== null) out.bytes = (out.bytes ?? 0) + e.bytes;
    }
  }
  out.bound = out.byState.bound;
  return out;
}

/** Sum the counts of several listings (one per PPE: `ppe0`, `ppe1`, …). */
export function mergePpeCounts(list: PpeCounts[]): PpeCounts {
  const out = emptyPpeCounts();
  for (const c of list) {
    out.total += c.total;
    out.unparsed += c.unparsed;
    for (const s of Object.keys(out.byState) as PpeState[]) out.byState[s] += c.byState[s];
    if (c.packets !== null) out.packets = (out.packets ?? 0) + c.packets;
    if (c.bytes !== null) out.bytes = (out.bytes ?? 0) + c.bytes;
    if (c.format !== null) out.format = out.format === null || out.format === c.format ? c.format : 'mixed';
  }
  out.bound = out.byState.bound;
  return out;
}
