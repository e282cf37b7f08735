/**
 * Which devices belong to which firewall zone, the way fw4 resolves them
 * (firewall4's fw4.uc; offload-domain.md §1.2, real-programs.md §3):
 * - read_ubus() turns every interface of netifd's `network.interface dump`
 *   into a network `{device: l3_device ?? device, physdev: device}`;
 * - parse_zone() gives a zone the networks it lists plus every interface whose
 *   `data.zone` names it; its `related_physdevs` are those networks' physdevs
 *   (the flowtable's candidates) and its match devices their L3 devices (where
 *   the traffic is counted);
 * - resolve_offload_devices() puts the physdevs that exist into the flowtable;
 *   in hardware mode resolve_lower_devices() first follows VLANs and bridges
 *   (devtype from `network.device status`) down to their ports.
 * When netifd cannot be asked, the uci configs are read instead, following
 * netifd's own rules (old-style `type bridge` → `br-<name>`, `@alias` → the
 * parent's L3 device, protocols without a device of their own); the answer
 * then says so. Pure.
 */
import type { UciSection } from '../parse/uci';
import type { NetifdInterface } from '../parse/netifd';
import type { DeviceRole } from '../api/contract';

export interface ZoneNetwork {
  zone: string;
  network: string;
  proto: string | null;
  /** The device fw4 adds to the flowtable (`ifc.device`, fw4's physdev); null when netifd reports none. */
  physdev: string | null;
  /** The device the traffic is counted on (`l3_device ?? device`: pppoe-wan for PPPoE). */
  l3dev: string | null;
}

export interface Zone {
  name: string;
  role: DeviceRole | 'other';
  networks: string[];
  /** Raw `option device` entries of the zone (fw4 does not offload these). */
  devices: string[];
}

function list(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : v.split(/\s+/)).filter(Boolean);
}

/** Zone role: masquerading zones face the WAN; the zone named `lan` is the LAN. */
export function zoneRole(name: string, masq: boolean): DeviceRole | 'other' {
  if (masq || name === 'wan') return 'wan';
  if (name === 'lan') return 'lan';
  return 'other';
}

export function readZones(firewall: UciSection[]): Zone[] {
  return firewall
    .filter((s) => s.type === 'zone')
    .map((s) => {
      const name = typeof s.options.name === 'string' ? s.options.name : s.name;
      const masq = s.options.masq === '1' || s.options.masq === 'yes' || s.options.masq === 'on' || s.options.masq === 'true';
      return { name, role: zoneRole(name, masq), networks: list(s.options.network), devices: list(s.options.device) };
    });
}

/** Every zone network with its devices, from netifd's interface dump (fw4's own source). */
export function zoneNetworksFromNetifd(zones: Zone[], ifaces: NetifdInterface[]): ZoneNetwork[] {
  const byName = new Map(ifaces.map((i) => [i.name, i] as const));
  const out: ZoneNetwork[] = [];
  for (const z of zones) {
    // parse_zone(): the zone's own list first, then interfaces that name the zone in their data.
    const names = [...z.networks];
    for (const i of ifaces) if (i.zone === z.name && !names.includes(i.name)) names.push(i.name);
    for (const net of names) {
      const i = byName.get(net);
      // fw4 skips a network netifd does not know; listing it without devices shows why nothing comes of it.
      out.push({ zone: z.name, network: net, proto: i?.proto ?? null, physdev: i?.device ?? null, l3dev: i ? i.l3_device ?? i.device : null });
    }
  }
  return out;
}

/** Protocols whose L3 device netifd names `<proto>-<interface>` (proto-shell handlers with no device of their own, or pppoe). */
const PREFIXED_L3 = new Set(['pppoe', 'pppoa', 'pptp', 'l2tp', '3g', 'ppp']);

/** An L3 device of that kind (`pppoe-wan`, `3g-wwan`): it exists only while its protocol runs, on no port of its own. */
export function isPppDevice(dev: string): boolean {
  const dash = dev.indexOf('-');
  return dash > 0 && PREFIXED_L3.has(dev.slice(0, dash));
}
/** Protocols without a device of their own (PROTO_FLAG_NODEV): netifd's dump has no `device` for them. */
const NODEV = new Set(['pppoa', 'pptp', 'l2tp', '3g', 'ppp', 'wireguard', 'qmi', 'ncm', 'mbim', 'modemmanager', 'directip', 'vpnc', 'openvpn', '6in4', '6to4', '6rd', 'dslite', 'map', 'gre', 'gretap', 'grev6', 'grev6tap', 'vti', 'vtiv6', 'xfrm', 'relay']);
/** NODEV protocols whose L3 device is named after the interface. */
const L3_IS_NAME = new Set(['wireguard', 'vpnc', 'openvpn']);

/**
 * The fallback without netifd: every zone network resolved from the uci network
 * config the way netifd would. Devices a protocol picks at run time (a modem's
 * wwan0) cannot be known from uci and stay null.
 */
export function zoneNetworks(zones: Zone[], network: UciSection[]): ZoneNetwork[] {
  const ifaces = new Map<string, UciSection>();
  for (const s of network) if (s.type === 'interface') ifaces.set(s.name, s);
  const proto = (s: UciSection): string | null => (typeof s.options.proto === 'string' ? s.options.proto : null);
  const mainDev = (s: UciSection): string | null => {
    // Old-style bridge (`option type 'bridge'` + `option ifname 'lan1 lan2'`): netifd builds br-<name>.
    if (s.options.type === 'bridge') return `br-${s.name}`;
    // `device` since 21.02; `ifname` before.
    return list(s.options.device)[0] ?? list(s.options.ifname)[0] ?? null;
  };
  const devices = (s: UciSection, depth: number): { physdev: string | null; l3dev: string | null } => {
    // No proto option is proto none: in none of the sets below.
    const p = proto(s) ?? '';
    const dev = mainDev(s);
    const nodev = NODEV.has(p);
    if (dev?.startsWith('@')) {
      // An alias runs on its parent's L3 device, and netifd reports that device as the alias's
      // own while the parent is up (alias.c; test/fixtures/netifd/guest-wan6-alias), so fw4 takes
      // it as a physdev too: wan6 on @wan of a PPPoE wan puts pppoe-wan into the flowtable
      // (openwrt/openwrt#10224). Without netifd, the parent is taken to be up.
      const parent = ifaces.get(dev.slice(1));
      const l3dev = parent && depth < 4 ? devices(parent, depth + 1).l3dev : null;
      return { physdev: nodev ? null : l3dev, l3dev };
    }
    // A device-less protocol's L3 device is <proto>-<name>, the interface name, or picked at run time (null).
    const physdev = nodev ? null : dev;
    const l3dev = PREFIXED_L3.has(p) ? `${p}-${s.name}` : L3_IS_NAME.has(p) ? s.name : physdev;
    return { physdev, l3dev };
  };
  const out: ZoneNetwork[] = [];
  for (const z of zones) {
    for (const net of z.networks) {
      const ifc = ifaces.get(net);
      const d = ifc ? devices(ifc, 0) : { physdev: null, l3dev: null };
      out.push({ zone: z.name, network: net, proto: ifc ? proto(ifc) : null, ...d });
    }
  }
  return out;
}

/** Devices per role for counters: the L3 devices of the role's zones, without duplicates. */
export function roleDevices(zones: Zone[], nets: ZoneNetwork[]): { wan: string[]; lan: string[] } {
  const pick = (role: DeviceRole): string[] => {
    const names = new Set(zones.filter((z) => z.role === role).map((z) => z.name));
    const out: string[] = [];
    for (const n of nets) if (names.has(n.zone) && n.l3dev && !out.includes(n.l3dev)) out.push(n.l3dev);
    return out;
  };
  return { wan: pick('wan'), lan: pick('lan') };
}

/**
 * The ports the WAN networks run on: their physdevs lowered through VLANs and bridges as fw4
 * lowers them (a PPPoE link's own device and other PPP links left out: they have no port of
 * their own). Where the switch counts what the hardware forwards, these are the ports to read.
 */
export function wanPorts(zones: Zone[], nets: ZoneNetwork[], v: LowerView): string[] {
  const wan = new Set(zones.filter((z) => z.role === 'wan').map((z) => z.name));
  const out: string[] = [];
  for (const n of nets) {
    if (!wan.has(n.zone) || !n.physdev || isPppDevice(n.physdev)) continue;
    for (const p of resolveLower(v, n.physdev)) if (!out.includes(p)) out.push(p);
  }
  return out;
}

export interface LowerView {
  exists: (dev: string) => boolean;
  /** netifd's devtype of a device (`network.device status`), or undefined. */
  devtype: (dev: string) => string | null | undefined;
  /** `lower_*` links of a device in sysfs. */
  lower: (dev: string) => string[];
  /**
   * The ports of a VLAN on a VLAN-filtering bridge (`br-lan.2` → the ports netifd lists for VLAN 2),
   * or null when netifd gives none. fw4 ignores this (its hardware flowtable takes every bridge
   * port); it only tells which VLAN, and so which zone, a port serves.
   */
  vlanPorts?: (dev: string) => string[] | null;
}

/** fw4's resolve_lower_devices(): VLANs and bridges down to their ports; other devices are themselves; absent ones vanish. */
export function resolveLower(v: LowerView, dev: string, depth = 0): string[] {
  if (!v.exists(dev)) return [];
  const t = v.devtype(dev);
  if ((t === 'vlan' || t === 'bridge') && depth < 8) return v.lower(dev).flatMap((l) => resolveLower(v, l, depth + 1));
  return [dev];
}

const uniqSorted = (a: string[]): string[] => [...new Set(a)].sort();

/**
 * The devices fw4 puts into flowtable `ft` for these zone networks
 * (resolve_offload_devices): in hardware mode the lowered devices, otherwise
 * the physdevs that exist. [] means fw4 writes no flowtable.
 */
export function flowtableDevices(nets: ZoneNetwork[], hardware: boolean, v: LowerView): string[] {
  const physdevs = nets.map((n) => n.physdev).filter((d): d is string => !!d);
  if (hardware) return uniqSorted(physdevs.flatMap((d) => resolveLower(v, d)));
  return uniqSorted(physdevs.filter(v.exists));
}
