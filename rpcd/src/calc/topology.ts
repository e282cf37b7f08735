/**
 * Which devices belong to which firewall zone, derived from the firewall and
 * network uci configs the way fw4 does it (offload-domain.md §1.2): every
 * zone network contributes its device (`physdev`); a PPPoE network also has an
 * L3 device `pppoe-<name>` that carries the traffic but is not what fw4 puts
 * in a software flowtable.
 */
import type { UciSection } from '../parse/uci';
import type { DeviceRole } from '../api/contract';

export interface ZoneNetwork {
  zone: string;
  network: string;
  proto: string | null;
  /** The device fw4 adds to the flowtable (`ifc.device`). */
  physdev: string | null;
  /** The device the traffic is counted on (pppoe-wan for PPPoE). */
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

/** Resolve every zone network to its devices. */
export function zoneNetworks(zones: Zone[], network: UciSection[]): ZoneNetwork[] {
  const ifaces = new Map<string, UciSection>();
  for (const s of network) if (s.type === 'interface') ifaces.set(s.name, s);
  const out: ZoneNetwork[] = [];
  for (const z of zones) {
    for (const net of z.networks) {
      const ifc = ifaces.get(net);
      const proto = ifc && typeof ifc.options.proto === 'string' ? ifc.options.proto : null;
      // `device` since 21.02; `ifname` before. An alias `@lan` points at another interface.
      let dev = ifc ? list(ifc.options.device)[0] ?? list(ifc.options.ifname)[0] ?? null : null;
      if (dev && dev.startsWith('@')) {
        const target = ifaces.get(dev.slice(1));
        dev = target ? list(target.options.device)[0] ?? list(target.options.ifname)[0] ?? null : null;
      }
      let l3 = dev;
      if (proto === 'pppoe' || proto === 'pppoa' || proto === 'pptp' || proto === 'l2tp' || proto === '3g' || proto === 'ppp') l3 = `${proto === 'pppoa' ? 'pppoa' : proto === '3g' ? '3g' : proto === 'pppoe' ? 'pppoe' : proto}-${net}`;
      if (proto === 'wireguard') {
        dev = net;
        l3 = net;
      }
      out.push({ zone: z.name, network: net, proto, physdev: dev, l3dev: l3 });
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
