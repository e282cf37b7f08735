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
