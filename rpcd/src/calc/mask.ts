/**
 * Masking for reports shared in public forums (issue 14). Whole addresses are
 * found — IPv4, IPv6 in every form (full, compressed, with an embedded or
 * v4-mapped IPv4, with a zone id) and MAC addresses — and masked whole.
 * Private, link-local, loopback and multicast addresses stay readable because
 * helpers need them to follow the topology; text that only looks similar
 * (clock times, versions, PCI bus ids) is left as it is. Pure.
 */

/** What a masked public address reads as. */
export const MASKED_V4 = 'x.x.x.x';
export const MASKED_V6 = 'x:x:x:x:x:x:x:x';
export const MASKED_MAC = 'xx:xx:xx:xx:xx:xx';

/** The four octets of a dotted-quad IPv4 address, or null. */
export function parseV4(s: string): number[] | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out.push(n);
  }
  return out;
}

/** The eight 16-bit groups of an IPv6 address in any textual form (RFC 4291 §2.2, no zone id), or null. */
export function parseV6(s: string): number[] | null {
  // No separate character check: every group is checked below, and text without a ':' never makes eight groups.
  let body = s;
  const tail: number[] = [];
  if (s.includes('.')) {
    const at = s.lastIndexOf(':');
    const v4 = parseV4(s.slice(at + 1));
    if (!v4) return null;
    tail.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    body = s.slice(0, at + 1);
    if (!body.endsWith('::')) body = body.slice(0, -1);
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const groups = halves.map((h) => (h === '' ? [] : h.split(':')));
  for (const g of groups) for (const x of g) if (!/^[0-9A-Fa-f]{1,4}$/.test(x)) return null;
  const nums = groups.map((g) => g.map((x) => Number.parseInt(x, 16)));
  const head = nums[0]!;
  if (nums.length === 1) return head.length + tail.length === 8 ? [...head, ...tail] : null;
  const rest = nums[1]!;
  const fill = 8 - head.length - rest.length - tail.length;
  if (fill < 1) return null;
  return [...head, ...Array<number>(fill).fill(0), ...rest, ...tail];
}

/** RFC 1918, loopback, CGNAT (RFC 6598), link-local, "this network", multicast and broadcast. */
export function isPrivateV4(o: readonly number[]): boolean {
  const [a = 0, b = 0] = o;
  return a === 10 || a === 127 || a === 0 || a >= 224 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254);
}

/** Unspecified, loopback, link-local fe80::/10, unique-local fc00::/7, multicast ff00::/8, v4-mapped private. */
export function isPrivateV6(g: readonly number[]): boolean {
  const first = g[0] ?? 0;
  if ((first & 0xffc0) === 0xfe80 || (first & 0xfe00) === 0xfc00 || (first & 0xff00) === 0xff00) return true;
  const zeroTo = (n: number): boolean => g.slice(0, n).every((x) => x === 0);
  if (zeroTo(7) && (g[7] === 0 || g[7] === 1)) return true;
  if (zeroTo(5) && g[5] === 0xffff) return isPrivateV4([g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff]);
  return false;
}

/** Mask one whole address (an optional `%zone` is kept); anything that is not an address comes back as it is. */
export function maskAddress(addr: string): string {
  const v4 = parseV4(addr);
  if (v4) return isPrivateV4(v4) ? addr : MASKED_V4;
  // The zone id, if any, starts at the first '%'.
  const at = addr.includes('%') ? addr.indexOf('%') : addr.length;
  const ip = addr.slice(0, at);
  const zone = addr.slice(at);
  if (!/^(?:%[0-9A-Za-z_.-]+)?$/.test(zone)) return addr;
  const v6 = parseV6(ip);
  if (!v6) return addr;
  if (isPrivateV6(v6)) return addr;
  // A v4-mapped public address keeps its form so the reader still sees an IPv4 flow.
  if (ip.includes('.') && v6.slice(0, 5).every((x) => x === 0) && v6[5] === 0xffff) return `::ffff:${MASKED_V4}${zone}`;
  return `${MASKED_V6}${zone}`;
}

const MAC = /^[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}$/;

/** Mask one token of text if it is (or ends in punctuation after) a whole address; null if it is none. */
function maskToken(tok: string): string | null {
  if (MAC.test(tok)) return MASKED_MAC;
  const whole = maskAddress(tok);
  if (whole !== tok) return whole;
  // IPv4 with a port: 203.0.113.7:443
  const port = /^(.+):(\d{1,5})$/.exec(tok);
  if (port && parseV4(port[1]!)) return `${maskAddress(port[1]!)}:${port[2]}`;
  // Sentence punctuation after an address, one character at a time: "… from 203.0.113.7." / "addr 2001:db8::1:" / "…7..."
  const last = tok.slice(-1);
  if (last === '.' || last === ':') {
    const inner = maskToken(tok.slice(0, -1));
    if (inner !== null) return inner + last;
  }
  return null;
}

/**
 * Candidate tokens: maximal runs of hex digits, letters, ':' and '.', with an
 * optional `%zone`. A token is masked only when all of it is an address, so
 * `12:34:56` (a clock time) or `0000:00:03.0` (a PCI id) stays.
 */
const TOKEN = /[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}(?![0-9A-Za-z-])|[0-9A-Za-z:.]+(?:%[0-9A-Za-z_.-]+)?/g;

/** Mask every public address and every MAC address in free text. */
export function maskText(text: string): string {
  return text.replace(TOKEN, (tok) => maskToken(tok) ?? tok);
}
