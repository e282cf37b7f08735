/**
 * Parsers for network device counters and default routes:
 * `/proc/net/dev`, sysfs statistics files, `/proc/net/route`, `/proc/net/ipv6_route`.
 *
 * Pure: no I/O, never throws. Runs under QuickJS (rpcd handler) and in the browser.
 */

/** The counters of one interface that the app uses, from `/proc/net/dev`. */
export interface NetDevCounters {
  rx_bytes: number;
  rx_packets: number;
  tx_bytes: number;
  tx_packets: number;
  rx_dropped: number;
  tx_dropped: number;
}

/** `/proc/net/dev` prints 8 receive + 8 transmit columns after the name. */
const NET_DEV_COLUMNS = 16;

/** Linux interface names are at most IFNAMSIZ - 1 = 15 bytes. */
const MAX_IFNAME = 15;

/**
 * A device name safe to hand to a tool as one argument: the kernel's length limit (IFNAMSIZ - 1)
 * and only the characters OpenWrt's device names use. Others are never passed on.
 */
export function isSafeDeviceName(dev: string): boolean {
  return /^[A-Za-z0-9_.:@-]{1,15}$/.test(dev);
}

/** RTF_UP in the Flags column of /proc/net/route and /proc/net/ipv6_route. */
const RTF_UP = 0x1;

const DIGITS = /^\d{1,20}$/;
const HEX = /^[0-9A-Fa-f]{1,8}$/;

/** Split text into lines without keeping `\r`. */
function lines(text: string): string[] {
  return typeof text === 'string' ? text.split('\n') : [];
}

/**
 * Parse `/proc/net/dev`.
 *
 * The interface name is everything before the line's last `:` (names such as
 * `eth0.2`, `pppoe-wan`, `wg0@x` or an alias with `:` work, and so does a name
 * glued to a wide first number, `eth0:123456789`). Header lines and lines with
 * fewer than 16 numeric columns (for example the cut last line of a 4096-byte
 * read) are skipped, as are names longer than Linux's 15 characters. A
 * repeated name keeps the first line.
 *
 * @returns counters keyed by interface name (own properties only, in file order)
 */
export function parseNetDev(text: string): Record<string, NetDevCounters> {
  const out: Record<string, NetDevCounters> = {};
  for (const raw of lines(text)) {
    const colon = raw.lastIndexOf(':');
    if (colon <= 0) continue;
    const name = raw.slice(0, colon).trim();
    if (name === '' || name.length > MAX_IFNAME || /\s/.test(name) || Object.prototype.hasOwnProperty.call(out, name)) continue;
    const cols = raw.slice(colon + 1).trim().split(/\s+/);
    if (cols.length < NET_DEV_COLUMNS) continue;
    const n: number[] = [];
    for (let i = 0; i < NET_DEV_COLUMNS; i++) {
      const c = cols[i] as string;
      if (!DIGITS.test(c)) break;
      n.push(Number(c));
    }
    if (n.length < NET_DEV_COLUMNS) continue;
    const counters: NetDevCounters = {
      rx_bytes: n[0] as number,
      rx_packets: n[1] as number,
      rx_dropped: n[3] as number,
      tx_bytes: n[8] as number,
      tx_packets: n[9] as number,
      tx_dropped: n[11] as number,
    };
    // defineProperty: a device named "__proto__" must not touch the prototype.
    Object.defineProperty(out, name, { value: counters, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * Parse a sysfs counter file such as `/sys/class/net/eth0/statistics/rx_bytes` (`"12345\n"`).
 *
 * @returns the value, or null when the content is not one unsigned decimal number
 */
export function parseCounter(text: string): number | null {
  if (typeof text !== 'string') return null;
  const t = text.trim();
  return DIGITS.test(t) ? Number(t) : null;
}

/**
 * Devices of the IPv4 default routes in `/proc/net/route`: Destination and Mask
 * `00000000` with RTF_UP set in Flags.
 *
 * @returns device names, deduplicated, in file order
 */
export function parseDefaultRouteDevices(procNetRoute: string): string[] {
  const out: string[] = [];
  for (const raw of lines(procNetRoute)) {
    // Iface Destination Gateway Flags RefCnt Use Metric Mask MTU Window IRTT
    const f = raw.trim().split(/\s+/);
    const [dev, dest, , flags, , , , mask] = f;
    if (dev === undefined || dest !== '00000000' || mask !== '00000000' || flags === undefined) continue;
    if (!HEX.test(flags) || (parseInt(flags, 16) & RTF_UP) === 0) continue;
    if (!out.includes(dev)) out.push(dev);
  }
  return out;
}

/**
 * Devices of the IPv6 default routes in `/proc/net/ipv6_route`: destination of
 * 32 zeros with prefix length `00`. Source-specific defaults (OpenWrt's
 * `default from <prefix>`) count; routes via `lo` (the kernel's unreachable
 * defaults) do not.
 *
 * @returns device names, deduplicated, in file order
 */
export function parseIpv6DefaultRouteDevices(procNetIpv6Route: string): string[] {
  const out: string[] = [];
  const zeros = '00000000000000000000000000000000';
  for (const raw of lines(procNetIpv6Route)) {
    // dest destlen src srclen nexthop metric refcnt use flags dev
    const f = raw.trim().split(/\s+/);
    if (f.length < 10 || f[0] !== zeros || f[1] !== '00') continue;
    const dev = f[9] as string;
    if (dev === 'lo' || out.includes(dev)) continue;
    out.push(dev);
  }
  return out;
}
