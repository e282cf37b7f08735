/**
 * Plain words for what the handler proves: which flowtables cover a device,
 * the flows the conntrack table shows offloaded, whether the hardware really
 * carries them, where the zone devices came from and which counters the
 * throughput is read from. Pure apart from translation.
 */
import type {
  CountersInfo, DeviceInfo, EngineView, FlowEvidence, FlowtableInfo, HardwareVerdict, StatusResult,
  HwCounters,
} from '../../../rpcd/src/api/contract';
import { count } from './format';
import { formatBits } from '../../../rpcd/src/calc/rates';
import { t, fmt } from './i18n';

/**
 * The "In flowtable" cell of a device. A PPPoE device carried by its
 * underlying device says so instead of "No"; flowtable names are shown when
 * they tell something: more than one covers the device, or one that is not
 * fw4's own (`fw4Name`, the running `ft`).
 */
export function inFlowtableText(d: DeviceInfo, fw4Name: string | null): string {
  if (d.carried_by) return fmt(t('Offloaded through %s'), d.carried_by);
  if (!d.in_flowtable) return t('No');
  const names = d.flowtables;
  if (names.length > 1 || names.some((n) => n !== fw4Name)) return fmt(t('Yes (%s)'), names.join(', '));
  return t('Yes');
}

/** Why a carried device has no problem: its flows go through the device fw4 lists. */
export function carriedText(d: DeviceInfo): string | null {
  return d.carried_by ? fmt(t('None: fw4 lists %s in the flowtable, and the flows of this link are offloaded through it.'), d.carried_by) : null;
}

/** One flowtable in a line: name, devices and whether it asks for hardware. */
export function flowtableLine(ft: FlowtableInfo): string {
  return fmt(t('%s on %s (%s)'), ft.name, ft.devices.join(', ') || '–', ft.hw ? t('hardware offload flag set') : t('software only'));
}

/** What the conntrack table showed with this status: offloaded flows, split software/hardware. */
export function flowEvidenceText(f: FlowEvidence): string {
  return fmt(
    t('%s of %s tracked connections offloaded: %s in software, %s in hardware.'),
    count(f.offloaded + f.hw_offloaded), count(f.total), count(f.offloaded), count(f.hw_offloaded),
  );
}

/** The hardware verdict in words; `flows` gives the figures where there are any. */
export function hardwareVerdictText(v: HardwareVerdict, flows: FlowEvidence | null): string {
  switch (v) {
    case 'in-hardware':
      return flows
        ? fmt(t('Proven: %s of %s offloaded connections are in the hardware engine.'), count(flows.hw_offloaded), count(flows.hw_offloaded + flows.offloaded))
        : t('Proven: connections are in the hardware engine.');
    case 'none-in-hardware':
      return t('Not proven: connections are offloaded, but none is in hardware. The flowtable has the hardware offload flag, yet the driver handles the flows in software.');
    case 'no-offloaded-flows':
      return t('Not proven yet: no connection is offloaded, so nothing shows whether the hardware takes them.');
    default:
      return t('Unknown: the connection tracking table could not be read.');
  }
}

/** Alert tone of a verdict (the words say it too). */
export function verdictTone(v: HardwareVerdict): 'success' | 'warning' | 'notice' {
  return v === 'in-hardware' ? 'success' : v === 'none-in-hardware' ? 'warning' : 'notice';
}

/** The hardware engine's own table in a line: bound entries, no view on this target, or why it is unreadable. */
export function engineText(e: EngineView | null): string {
  if (!e) return t('No view of the hardware engine on this target.');
  if (e.error) return fmt(t('Hardware engine %s: its table %s could not be read: %s'), e.name, e.path, e.error);
  return fmt(t('Hardware engine %s: %s of %s entries bound.'), e.name, count(e.bound), count(e.total));
}

/** The note shown when the zone devices come from uci (netifd could not be asked), or null. */
export function topologyNote(tp: StatusResult['topology']): string | null {
  if (tp.source !== 'uci') return null;
  return tp.error
    ? fmt(t('netifd could not be asked for the zone devices (%s), so they were derived from the uci configuration and may differ from what fw4 uses.'), tp.error)
    : t('netifd could not be asked for the zone devices, so they were derived from the uci configuration and may differ from what fw4 uses.');
}

/**
 * Which counters the throughput comes from. `files`: the panel reads /proc/net/dev
 * itself (and the sysfs byte counters of a device it lacks); `stats`: luci.offload
 * reads /proc/net/dev. Both are the kernel's per-device (netdev) counters.
 */
export function countersText(source: 'files' | 'stats', c: CountersInfo): string {
  const where = source === 'files' ? '/proc/net/dev, /sys/class/net/<device>/statistics' : '/proc/net/dev';
  return [
    fmt(t('Throughput is read from the per-device counters of the kernel (%s).'), where),
    c.roles === 'netifd' ? t('WAN and LAN devices as netifd reports them.') : t('WAN and LAN devices from the uci configuration, because netifd could not be asked.'),
  ].join(' ');
}

/**
 * What the WAN ports' switch counters (read by luci.offload while hardware flows exist) say:
 * the traffic the kernel counters miss, as the switch counted it.
 */
export function hwCountersText(hw: HwCounters): string {
  const ports = hw.ports.join(', ');
  if (hw.rx_bps === null || hw.tx_bps === null || hw.interval_ms === null) {
    return fmt(t('The switch counts it on the WAN port (%s, counters %s); its rate shows from the next reading.'), ports, hw.counters);
  }
  return fmt(t('The switch counted on the WAN port (%s, counters %s): %s down, %s up over the last %s s.'), ports, hw.counters, formatBits(hw.rx_bps), formatBits(hw.tx_bps), (hw.interval_ms / 1000).toFixed(0));
}
