/**
 * The WAN ports' own switch counters: `ethtool -S` of a port, and the previous reading kept in
 * /var/run between `stats` calls for the rates (calc/hardware.ts hwCounters).
 */
import { run, which } from './exec';
import { readText, writeFileAtomic, mkdirs } from './fs';
import { STATE_DIR } from './lock';
import { parseEthtoolStats, switchPortBytes, type PortBytes, type MibReading } from '../parse/ethtool';
import { isSafeDeviceName } from '../parse/net-dev';

/** A port's switch MIB byte counters from `ethtool -S`; null when ethtool is absent, fails or the driver has none. */
export function portBytes(dev: string): PortBytes | null {
  if (!isSafeDeviceName(dev) || !which('ethtool')) return null;
  const r = run(['ethtool', '-S', dev], { timeoutMs: 3000 });
  return r.code === 0 ? switchPortBytes(parseEthtoolStats(r.stdout)) : null;
}

const MIB_FILE = `${STATE_DIR}/wan-mib.json`;

/** The previous reading of the WAN ports' switch counters (calc/hardware.ts MibReading), or null. */
export function readMibReading(): MibReading | null {
  const t = readText(MIB_FILE);
  if (t === null) return null;
  try {
    const v = JSON.parse(t) as Partial<MibReading>;
    const num = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
    if (!Array.isArray(v.ports) || !v.ports.every((p) => typeof p === 'string') || typeof v.counters !== 'string') return null;
    if (!num(v.rx_bytes) || !num(v.tx_bytes) || !num(v.at_ms)) return null;
    return { ports: v.ports, counters: v.counters, rx_bytes: v.rx_bytes, tx_bytes: v.tx_bytes, at_ms: v.at_ms };
  } catch {
    return null;
  }
}

/** Keep this reading for the next call's rates; a failure only costs that call its rates. */
export function writeMibReading(r: MibReading): void {
  mkdirs(STATE_DIR);
  writeFileAtomic(MIB_FILE, JSON.stringify(r) + '\n');
}
