/**
 * A small model of netifd: what `ubus call network.interface dump` and
 * `ubus call network.device status` answer for an /etc/config/network, the
 * way netifd's ubus.c (netifd_dump_status) reports it:
 * - interfaces sorted by name; `device` is the main device unless the protocol
 *   has no device of its own (PROTO_FLAG_NODEV: wireguard, pppoa, pptp, l2tp,
 *   3g, qmi, …); an alias (`@parent`) reports its parent's L3 device while the
 *   parent is up (alias.c unhides it then; captured in
 *   test/fixtures/netifd/guest-wan6-alias) and none while it is down;
 *   `l3_device` only while up;
 * - proto pppoe runs on its device and its L3 device is `pppoe-<name>`;
 *   old-style `option type 'bridge'` + `option ifname` makes `br-<name>`;
 *   `config device` sections of type bridge/8021q give the device's devtype,
 *   and a name `BASE.N` on a known device is the VLAN netifd creates for it
 *   (device.c get_vlan_device; DSA's `config bridge-vlan` makes `br-lan.N`);
 * - modem protocols (qmi, mbim, ncm, …) have no device; their L3 device is
 *   the modem's network device (the first `wwanN` present); 3g runs pppd on
 *   `3g-<name>`.
 * An interface is up when its L3 device exists (`present`). Pure.
 */
import { sectionsOf, list, type Section } from '../tools/uci-parse';

export interface NetifdInterface {
  interface: string;
  up: boolean;
  pending: boolean;
  available: boolean;
  autostart: boolean;
  dynamic: boolean;
  uptime?: number;
  l3_device?: string;
  proto: string;
  device?: string;
  'ipv4-address'?: { address: string; mask: number }[];
  data: Record<string, unknown>;
}

export interface NetifdState {
  dump: { interface: NetifdInterface[] };
  devices: Record<string, { type: string; devtype: string; present: boolean; up: boolean }>;
}

/** Protocols whose L3 device is the modem's own network device. */
const MODEM = new Set(['qmi', 'mbim', 'ncm', 'modemmanager', 'directip']);

const NODEV = new Set(['wireguard', 'pppoa', 'pptp', 'l2tp', '3g', 'qmi', 'ncm', 'mbim', 'modemmanager', 'directip', 'vpnc', 'openvpn', '6in4', '6to4', '6rd', 'dslite', 'map', 'gre', 'gretap', 'vti', 'xfrm', 'relay']);

function maskBits(mask: string | undefined): number {
  if (!mask) return 32;
  if (/^\d+$/.test(mask)) return Number(mask);
  return mask.split('.').reduce((n, o) => n + (Number(o) >>> 0).toString(2).replace(/0/g, '').length, 0);
}

/** present(dev): whether the device exists (/sys/class/net/DEV). */
export function netifdState(networkText: string | null, present: (dev: string) => boolean): NetifdState {
  const sections: Section[] = sectionsOf(networkText) ?? [];
  const devtype = new Map<string, string>();
  for (const s of sections) {
    if (s.type !== 'device') continue;
    const name = typeof s.options.name === 'string' ? s.options.name : '';
    const t = s.options.type;
    if (name) devtype.set(name, t === 'bridge' ? 'bridge' : t === '8021q' || t === '8021ad' ? 'vlan' : 'ethernet');
  }
  const ifaces = sections.filter((s) => s.type === 'interface' && !s.anonymous);
  const mainDev = (s: Section): string | null => {
    if (s.options.type === 'bridge') return `br-${s.name}`;
    return list(s.options.device)[0] ?? list(s.options.ifname)[0] ?? null;
  };
  for (const s of ifaces) if (s.options.type === 'bridge') devtype.set(`br-${s.name}`, 'bridge');
  for (const s of sections) {
    if (s.type !== 'bridge-vlan' || typeof s.options.device !== 'string' || typeof s.options.vlan !== 'string') continue;
    devtype.set(`${s.options.device}.${s.options.vlan}`, 'vlan');
  }
  const exists = (d: string): boolean => d === 'lo' || present(d);
  const l3Of = new Map<string, string | null>();
  const resolveL3 = (s: Section, depth = 0): string | null => {
    const proto = typeof s.options.proto === 'string' ? s.options.proto : 'none';
    const dev = mainDev(s);
    if (dev?.startsWith('@')) {
      const parent = ifaces.find((x) => x.name === dev.slice(1));
      return parent && depth < 4 ? resolveL3(parent, depth + 1) : null;
    }
    if (proto === 'pppoe' || proto === 'ppp') return `${proto === 'pppoe' ? 'pppoe' : 'ppp'}-${s.name}`;
    if (proto === '3g') return `3g-${s.name}`;
    if (MODEM.has(proto)) return [0, 1, 2, 3].map((n) => `wwan${n}`).find(exists) ?? null;
    if (NODEV.has(proto)) return `${proto === 'pppoa' || proto === 'pptp' || proto === 'l2tp' ? `${proto}-` : ''}${s.name}`;
    return dev;
  };
  for (const s of ifaces) l3Of.set(s.name, resolveL3(s));
  const out: NetifdInterface[] = [];
  for (const s of [...ifaces].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const proto = typeof s.options.proto === 'string' ? s.options.proto : 'none';
    const dev = mainDev(s);
    const l3 = l3Of.get(s.name) ?? null;
    const up = !!l3 && exists(l3) && s.options.disabled !== '1' && s.options.auto !== '0';
    const i: NetifdInterface = { interface: s.name, up, pending: false, available: !!dev || NODEV.has(proto), autostart: s.options.auto !== '0', dynamic: false, proto, data: {} };
    if (up) {
      i.uptime = 4711;
      i.l3_device = l3 as string;
    }
    // netifd_dump_status: no "device" for device-less protocols and hidden devices; an alias
    // device is hidden until its parent has an L3 device, then it carries that device's name.
    if (dev && !NODEV.has(proto)) {
      if (!dev.startsWith('@')) i.device = dev;
      else if (up) i.device = l3 as string;
    }
    if (up && proto === 'static' && typeof s.options.ipaddr === 'string') {
      i['ipv4-address'] = [{ address: s.options.ipaddr.split('/')[0] as string, mask: s.options.ipaddr.includes('/') ? Number(s.options.ipaddr.split('/')[1]) : maskBits(s.options.netmask as string | undefined) }];
    }
    out.push(i);
  }
  const devices: NetifdState['devices'] = {};
  const names = new Set<string>([...devtype.keys()]);
  for (const i of out) for (const d of [i.device, i.l3_device]) if (d) names.add(d);
  for (const n of [...names].sort()) {
    const base = /^(.+)\.\d+$/.exec(n)?.[1];
    const vlan = base !== undefined && (devtype.has(base) || exists(base));
    const dt = devtype.get(n) ?? (vlan ? 'vlan' : /^(pppoe|ppp|pppoa|pptp|l2tp|3g)-/.test(n) ? 'ppp' : n === 'lo' ? 'loopback' : 'ethernet');
    devices[n] = { type: dt === 'bridge' ? 'bridge' : dt === 'vlan' ? 'VLAN' : 'Network device', devtype: dt, present: exists(n), up: exists(n) };
  }
  return { dump: { interface: out }, devices };
}
