/**
 * Every device that matters for offloading, with what is wrong with it, from
 * the zone networks (calc/topology.ts), the running flowtables of `inet fw4`
 * and a few device facts. Pure: the facts come in as functions.
 */
import type { DeviceInfo, DeviceProblem, Mode } from '../api/contract';
import type { Flowtable } from '../parse/nft';
import { isPppDevice, resolveLower, type Zone, type ZoneNetwork, type LowerView } from './topology';

export interface DeviceInput {
  zones: Zone[];
  nets: ZoneNetwork[];
  /** fw4's flowtable `ft` as running, or null when there is none. */
  ft: Flowtable | null;
  /** Other flowtables of `table inet fw4` (a user's include, e.g. a bridge flowtable). */
  extra: Flowtable[];
  mode: Mode;
  view: LowerView;
  hwtc: (d: string) => { on: boolean; fixed: boolean } | null;
  /** Offloaded flows in the conntrack table now ([OFFLOAD] + [HW_OFFLOAD]), or null when unreadable. */
  offloadedFlows: number | null;
}

export function analyseDevices(i: DeviceInput): DeviceInfo[] {
  const byDev = new Map<string, DeviceInfo>();
  const roleOf = new Map(i.zones.map((z) => [z.name, z.role] as const));
  const tables = [...(i.ft ? [i.ft] : []), ...i.extra];
  /**
   * The flowtables that cover a device: it is listed, or (a bridge, a VLAN) every port it resolves
   * to is. A device that resolves to itself is covered only when listed: every() over [dev] says so.
   */
  const coveredBy = (dev: string): string[] =>
    tables
      .filter((t) => {
        if (t.devices.includes(dev)) return true;
        const low = resolveLower(i.view, dev);
        return low.length > 0 && low.every((l) => t.devices.includes(l));
      })
      .map((t) => t.name);
  /** The device's entry, created with its flowtable coverage on first sight; a zone adds to its zones. */
  const add = (device: string, zone: string | null): DeviceInfo => {
    let d = byDev.get(device);
    if (!d) {
      const flowtables = coveredBy(device);
      d = { device, role: 'other', zones: [], exists: i.view.exists(device), in_flowtable: flowtables.length > 0, flowtables, carried_by: null, hw_tc_offload: null, hw_tc_offload_fixed: false, problems: [] };
      byDev.set(device, d);
    }
    if (zone && !d.zones.includes(zone)) {
      d.zones.push(zone);
      const r = roleOf.get(zone) ?? 'other';
      if (d.role === 'other') d.role = r;
    }
    return d;
  };
  const problem = (d: DeviceInfo, p: DeviceProblem): void => {
    if (!d.problems.includes(p)) d.problems.push(p);
  };
  /** PPPoE-type L3 devices and the physdevs they run on. */
  const underlying = new Map<DeviceInfo, DeviceInfo[]>();
  for (const n of i.nets) {
    const phys = n.physdev ? add(n.physdev, n.zone) : null;
    if (phys) {
      if (!phys.exists) problem(phys, 'not-present');
      else if (i.ft && !phys.in_flowtable) problem(phys, 'missing-from-flowtable');
    }
    if (n.l3dev && n.l3dev !== n.physdev) {
      const d = add(n.l3dev, n.zone);
      if (isPppDevice(n.l3dev)) {
        const u = underlying.get(d) ?? [];
        if (phys && !u.includes(phys)) u.push(phys);
        underlying.set(d, u);
      } else if (!d.exists) problem(d, 'not-present');
    }
  }
  for (const [d, phys] of underlying) {
    if (d.in_flowtable) continue;
    const via = phys.find((p) => p.in_flowtable)?.device;
    // fw4 lists the underlying device, not pppoe-wan (firewall4#100). Kernels that follow the
    // forward path down to it offload the PPPoE flows through that device — and the flows show
    // whether this one does: offloaded flows on a router whose WAN is this PPPoE link.
    if (via && (i.offloadedFlows ?? 0) > 0) d.carried_by = via;
    else if (i.ft) problem(d, 'pppoe-l3-device');
  }
  const zoneDevs = [...byDev.values()];
  for (const t of tables) {
    for (const dev of t.devices) {
      if (byDev.has(dev)) continue;
      // A port is covered through the bridge or VLAN it belongs to.
      // A port of a VLAN-filtering bridge belongs to the VLANs netifd lists it in; otherwise to the first
      // zone device it is under. (dev itself is not among them: it would have been skipped above.)
      const parent =
        zoneDevs.find((d) => i.view.vlanPorts?.(d.device)?.includes(dev)) ??
        zoneDevs.find((d) => i.view.lower(d.device).includes(dev) || resolveLower(i.view, d.device).includes(dev));
      const d = add(dev, null);
      d.zones = parent ? [...parent.zones] : [];
      d.role = parent ? parent.role : 'other';
      // A device a user put into a flowtable of their own is their choice; only fw4's own table should match the zones.
      if (!parent && t === i.ft) problem(d, 'not-in-any-zone');
    }
  }
  for (const d of byDev.values()) {
    if (!d.exists) continue;
    const hw = i.hwtc(d.device);
    if (hw) {
      d.hw_tc_offload = hw.on;
      d.hw_tc_offload_fixed = hw.fixed;
      if (i.mode === 'hardware' && !hw.on && i.ft?.devices.includes(d.device)) problem(d, 'no-hw-tc-offload');
    }
  }
  return [...byDev.values()];
}
