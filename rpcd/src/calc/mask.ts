/**
 * Masking for reports shared in public forums: public IPv4/IPv6 addresses and
 * MAC addresses are hidden; private and link-local addresses stay readable
 * because helpers need them to follow the topology. Pure.
 */

function isPrivateV4(a: number, b: number): boolean {
  return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) || a === 0 || a >= 224;
}

/** Mask one address: `203.0.113.7` → `203.x.x.x`, `2001:db8::1` → `2001:x:x:x::`. */
export function maskAddress(addr: string): string {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(addr);
  if (v4) {
    const a = Number(v4[1]);
    const b = Number(v4[2]);
    return isPrivateV4(a, b) ? addr : `${a}.x.x.x`;
  }
  if (addr.includes(':')) {
    const lower = addr.toLowerCase();
    // Link-local, unique-local, loopback and unspecified stay.
    if (/^(fe[89ab]|f[cd]|::1$|::$)/.test(lower)) return addr;
    const first = lower.split(':')[0] || '0';
    return `${first}:x:x:x::`;
  }
  return addr;
}

const V4 = /\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b/g;
const MAC = /\b([0-9a-fA-F]{2})(:[0-9a-fA-F]{2}){5}\b/g;
const V6 = /\b(?:[0-9a-fA-F]{1,4}:){2,7}[0-9a-fA-F]{0,4}\b|\b(?:[0-9a-fA-F]{1,4}:){1,6}:(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4})*)?/g;

/** Mask every public address and every MAC address in free text. */
export function maskText(text: string): string {
  return text
    .replace(MAC, (m) => `${m.slice(0, 8)}:xx:xx:xx`)
    .replace(V4, (m) => maskAddress(m))
    .replace(V6, (m) => (/^[0-9a-f]{1,4}:[0-9a-f]{1,4}$/i.test(m) ? m : maskAddress(m)));
}
