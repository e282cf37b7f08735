/**
 * Renders an fw4-shaped ruleset the way firewall4 builds it (fw4.uc and
 * templates/ruleset.uc, a reduced set of chains; the flowtable and the forward
 * rule exactly as fw4 writes them). Devices come from netifd, as in fw4.uc:
 * read_ubus() turns each interface of `network.interface dump` into a network
 * {device: l3_device ?? device, physdev: device}; parse_zone() collects a
 * zone's match devices (its networks' devices plus its own `list device`) and
 * its related_physdevs (its networks' physdevs only); the flowtable takes the
 * related_physdevs that exist (software) or their lower devices through
 * bridges and VLANs (hardware, resolve_lower_devices), probed with `nft -c`.
 * A zone's `list device` never reaches the flowtable, and without netifd
 * there are no networks and no flowtable at all. Pure.
 */
import { list, bool, type Section } from './uci-parse';
import type { NetifdInterface } from '../scenario/netifd';

export interface RenderInput {
  /** null when uci could not load the config: fw4 then renders without zones or defaults. */
  firewall: Section[] | null;
  /** `ubus call network.interface dump`'s interfaces, or null when netifd did not answer. */
  interfaces: NetifdInterface[] | null;
  /** `ubus call network.device status`: device → devtype. */
  devtype: (dev: string) => string | undefined;
  exists: (dev: string) => boolean;
  lower: (dev: string) => string[];
  /** fw4's `nft -c` probe of a hardware flowtable on these devices. */
  probeHw: (devices: string[]) => boolean;
  /** Whether flowtable ft currently exists (fw4 deletes it before re-adding). */
  flowtableExists: boolean;
}

export interface Rendered {
  text: string;
  devices: string[];
  hw: boolean;
  warnings: string[];
}

interface Zone {
  name: string;
  masq: boolean;
  matchDevices: string[];
  relatedPhysdevs: string[];
}

const q = (d: string): string => `"${d}"`;
const uniqSorted = (a: string[]): string[] => [...new Set(a)].sort();

function zones(firewall: Section[], interfaces: NetifdInterface[] | null): Zone[] {
  const networks = new Map<string, { device?: string; physdev?: string }>();
  for (const ifc of interfaces ?? []) networks.set(ifc.interface, { device: ifc.l3_device ?? ifc.device, physdev: ifc.device });
  const out: Zone[] = [];
  for (const s of firewall) {
    if (s.type !== 'zone' || s.options.enabled === '0') continue;
    const name = typeof s.options.name === 'string' ? s.options.name : '';
    if (!name) continue;
    const z: Zone = { name, masq: bool(s.options.masq), matchDevices: [], relatedPhysdevs: [] };
    for (const e of list(s.options.network)) {
      const net = networks.get(e);
      if (!net) continue;
      if (net.device) z.matchDevices.push(net.device);
      if (net.physdev) z.relatedPhysdevs.push(net.physdev);
    }
    z.matchDevices.push(...list(s.options.device));
    out.push(z);
  }
  return out;
}

export function renderRuleset(i: RenderInput): Rendered {
  const fw = i.firewall ?? [];
  const d = fw.find((s) => s.type === 'defaults');
  const sw = bool(d?.options.flow_offloading);
  let hw = sw && bool(d?.options.flow_offloading_hw);
  const zs = zones(fw, i.interfaces);
  const warnings: string[] = [];
  const physdevs = zs.flatMap((z) => z.relatedPhysdevs);

  const resolveLower = (dev: string): string[] => {
    if (!i.exists(dev)) return [];
    const t = i.devtype(dev);
    if (t === 'vlan' || t === 'bridge') return i.lower(dev).flatMap(resolveLower);
    return [dev];
  };
  let devices: string[] = [];
  if (sw) {
    let hwDevices: string[] | null = null;
    if (hw && physdevs.length) {
      hwDevices = uniqSorted(physdevs.flatMap(resolveLower));
      if (!i.probeHw(hwDevices)) {
        warnings.push('Hardware flow offloading unavailable, falling back to software offloading');
        hwDevices = null;
      }
    }
    hw = hwDevices !== null;
    devices = hwDevices ?? uniqSorted(physdevs.filter((x) => i.exists(x)));
  }
  const L: string[] = ['table inet fw4', 'flush table inet fw4'];
  if (i.flowtableExists) L.push('delete flowtable inet fw4 ft');
  L.push('', 'table inet fw4 {');
  if (devices.length) {
    L.push('\t#', '\t# Flowtable', '\t#', '', '\tflowtable ft {', '\t\thook ingress priority 0;', `\t\tdevices = { ${devices.map(q).join(', ')} };`, '\t\tcounter;');
    if (hw) L.push('\t\tflags offload;');
    L.push('\t}', '', '');
  }
  const devs = (z: Zone): string[] => [...new Set(z.matchDevices)];
  // ruleset.uc: user includes inside table inet fw4, after the defines and before the chains.
  L.push('\t#', '\t# User includes', '\t#', '', '\tinclude "/etc/nftables.d/*.nft"', '');
  L.push('\t#', '\t# Filter rules', '\t#', '');
  L.push('\tchain input {', '\t\ttype filter hook input priority filter; policy drop;', '', '\t\tiif "lo" accept comment "!fw4: Accept traffic from loopback"', '');
  L.push('\t\tct state vmap { established : accept, related : accept } comment "!fw4: Handle inbound flows"');
  for (const z of zs) for (const dev of devs(z)) L.push(`\t\tiifname ${q(dev)} jump input_${z.name} comment "!fw4: Handle ${z.name} IPv4/IPv6 input traffic"`);
  L.push('\t}', '');
  L.push('\tchain forward {', '\t\ttype filter hook forward priority filter; policy drop;', '');
  if (devices.length) L.push('\t\tmeta l4proto { tcp, udp } flow offload @ft;');
  L.push('\t\tct state vmap { established : accept, related : accept } comment "!fw4: Handle forwarded flows"');
  for (const z of zs) for (const dev of devs(z)) L.push(`\t\tiifname ${q(dev)} jump forward_${z.name} comment "!fw4: Handle ${z.name} IPv4/IPv6 forward traffic"`);
  L.push('\t}', '');
  L.push('\tchain output {', '\t\ttype filter hook output priority filter; policy accept;', '', '\t\toif "lo" accept comment "!fw4: Accept traffic towards loopback"', '\t}', '');
  const wans = zs.filter((z) => z.masq);
  for (const z of zs) {
    L.push(`\tchain input_${z.name} {`, z.masq ? '\t\tdrop' : '\t\taccept', '\t}', '');
    L.push(`\tchain forward_${z.name} {`);
    if (!z.masq) for (const w of wans) for (const dev of devs(w)) L.push(`\t\toifname ${q(dev)} accept comment "!fw4: Accept ${z.name} to ${w.name} forwarding"`);
    L.push(z.masq ? '\t\tdrop' : '\t\taccept', '\t}', '');
  }
  L.push('\tchain srcnat {', '\t\ttype nat hook postrouting priority srcnat; policy accept;');
  for (const w of wans) for (const dev of devs(w)) L.push(`\t\toifname ${q(dev)} masquerade comment "!fw4: Masquerade ${w.name} traffic"`);
  L.push('\t}', '}', '');
  return { text: L.join('\n'), devices, hw, warnings };
}
