/**
 * Parsers for `ethtool -k DEV` (features) and `ethtool -i DEV` (driver).
 *
 * Pure: no I/O, never throws. Runs under QuickJS (rpcd handler) and in the browser.
 */

/** One feature of `ethtool -k`: its state and whether the driver lets it change. */
export interface EthtoolFeature {
  on: boolean;
  /** `[fixed]`: cannot be changed on this device. */
  fixed: boolean;
}

/** The driver facts of `ethtool -i`; empty values are null. */
export interface EthtoolDriver {
  driver: string | null;
  version: string | null;
  bus_info: string | null;
}

/** `name: value` split at the first `: ` (or a trailing `:`), trimmed; null when the line has no colon. */
function keyValue(line: string): [string, string] | null {
  const colon = line.indexOf(':');
  if (colon <= 0) return null;
  return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
}

/**
 * Parse `ethtool -k DEV` / `ethtool --show-features DEV`.
 *
 * Lines are `name: on|off [fixed] [requested on|off]`; indented sub-features are
 * listed under their own names. The `Features for DEV:` header and lines whose
 * value is not on/off are skipped.
 *
 * @returns features keyed by name (own properties only)
 */
export function parseEthtoolFeatures(text: string): Record<string, EthtoolFeature> {
  const out: Record<string, EthtoolFeature> = {};
  if (typeof text !== 'string') return out;
  for (const line of text.split('\n')) {
    const kv = keyValue(line);
    if (kv === null) continue;
    const [name, rest] = kv;
    const state = rest.split(/\s+/)[0];
    if (name === '' || /\s/.test(name) || (state !== 'on' && state !== 'off')) continue;
    const feature: EthtoolFeature = { on: state === 'on', fixed: rest.indexOf('[fixed]') !== -1 };
    // defineProperty: a feature named "__proto__" must not touch the prototype.
    Object.defineProperty(out, name, { value: feature, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * Parse `ethtool -i DEV`: `driver`, `version` and `bus-info`.
 *
 * @returns each value, or null when missing or empty
 */
export function parseEthtoolDriver(text: string): EthtoolDriver {
  const out: EthtoolDriver = { driver: null, version: null, bus_info: null };
  if (typeof text !== 'string') return out;
  for (const line of text.split('\n')) {
    const kv = keyValue(line);
    if (kv === null || kv[1] === '') continue;
    const [key, value] = kv;
    if (key === 'driver' && out.driver === null) out.driver = value;
    else if (key === 'version' && out.version === null) out.version = value;
    else if (key === 'bus-info' && out.bus_info === null) out.bus_info = value;
  }
  return out;
}

/**
 * Parse `ethtool -S DEV` (driver statistics): `NIC statistics:` then `name: value` lines.
 * A value that is not a whole number, or not one a double holds exactly (above 2^53, as the
 * garbled counters of a byte-order bug print), is left out rather than rounded.
 *
 * @returns counters keyed by name (own properties only), or null when the text is not a statistics listing
 */
export function parseEthtoolStats(text: string): Record<string, number> | null {
  if (typeof text !== 'string' || !/^NIC statistics:\s*$/m.test(text)) return null;
  const out: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const line of text.split('\n')) {
    const kv = keyValue(line);
    if (!kv || kv[0] === 'NIC statistics' || !/^\d{1,16}$/.test(kv[1])) continue;
    const n = Number(kv[1]);
    if (Number.isSafeInteger(n)) out[kv[0]] = n;
  }
  return { ...out };
}

/**
 * The switch's own byte counters of a port (its MIB), which count every frame on the wire,
 * hardware-forwarded ones included — unlike the kernel's netdev counters of a DSA port, which
 * count only what the CPU sent or received (real-programs.md §5). Rx is from the wire into the
 * port, Tx out of it: the same directions as the port's netdev counters.
 * Names from the drivers' MIB tables: mt7530.c `mt7530_mib` (TxBytes/RxBytes, MT7530/MT7531),
 * qca8k `ar8327_mib` (TxByte/RxGoodByte). The `rx_bytes`/`tx_bytes` lines DSA prints first are its
 * software counters and never used here.
 */
export interface PortBytes {
  rx_bytes: number;
  tx_bytes: number;
  /** The counter names read, e.g. `RxBytes/TxBytes`. */
  counters: string;
}

const MIB_BYTES: [rx: string, tx: string][] = [
  ['RxBytes', 'TxBytes'],
  ['RxGoodByte', 'TxByte'],
];

export function switchPortBytes(stats: Record<string, number> | null): PortBytes | null {
  if (!stats) return null;
  for (const [rx, tx] of MIB_BYTES) {
    const r = Object.prototype.hasOwnProperty.call(stats, rx) ? stats[rx] : undefined;
    const t = Object.prototype.hasOwnProperty.call(stats, tx) ? stats[tx] : undefined;
    if (r !== undefined && t !== undefined) return { rx_bytes: r, tx_bytes: t, counters: `${rx}/${tx}` };
  }
  return null;
}

/** One reading of the WAN ports' switch counters, kept between `stats` calls. */
export interface MibReading {
  ports: string[];
  counters: string;
  rx_bytes: number;
  tx_bytes: number;
  /** Uptime of the reading. */
  at_ms: number;
}
