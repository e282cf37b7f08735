/**
 * Renders an fw4-shaped ruleset from the firewall and network configs, the
 * way firewall4's templates/ruleset.uc lays it out (a reduced set of chains;
 * the flowtable and the forward rule exactly as fw4 writes them). Pure.
 */
import type { UciSection } from '../../../rpcd/src/parse/uci';
import { lastSection, uciBool } from '../../../rpcd/src/parse/uci';
import { readZones, zoneNetworks } from '../../../rpcd/src/calc/topology';

export interface RenderInput {
  firewall: UciSection[];
  network: UciSection[];
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

const q = (d: string): string => `"${d}"`;

export function renderRuleset(i: RenderInput): Rendered {
  const d = lastSection(i.firewall, 'defaults');
  const sw = uciBool(d?.options.flow_offloading);
  let hw = sw && uciBool(d?.options.flow_offloading_hw);
  const zones = readZones(i.firewall);
  const nets = zoneNetworks(zones, i.network);
  const warnings: string[] = [];
  const physdevs = [...new Set(nets.map((n) => n.physdev).filter((x): x is string => !!x && i.exists(x)))].sort();
  let devices: string[] = [];
  if (sw) {
    if (hw) {
      const lowered = [...new Set(physdevs.flatMap((x) => (i.lower(x).length ? i.lower(x) : [x])))].sort();
      if (lowered.length && i.probeHw(lowered)) devices = lowered;
      else {
        warnings.push('Hardware flow offloading unavailable, falling back to software offloading');
        hw = false;
      }
    }
    if (!hw) devices = physdevs;
  }
  const L: string[] = ['table inet fw4', 'flush table inet fw4'];
  if (i.flowtableExists) L.push('delete flowtable inet fw4 ft');
  L.push('', 'table inet fw4 {');
  if (devices.length) {
    L.push('\t#', '\t# Flowtable', '\t#', '', '\tflowtable ft {', '\t\thook ingress priority 0;', `\t\tdevices = { ${devices.map(q).join(', ')} };`, '\t\tcounter;');
    if (hw) L.push('\t\tflags offload;');
    L.push('\t}', '', '');
  }
  const zoneDevs = (zone: string): string[] => [...new Set(nets.filter((n) => n.zone === zone && n.l3dev && i.exists(n.l3dev)).map((n) => n.l3dev as string))];
  L.push('\t#', '\t# Filter rules', '\t#', '');
  L.push('\tchain input {', '\t\ttype filter hook input priority filter; policy drop;', '', '\t\tiif "lo" accept comment "!fw4: Accept traffic from loopback"', '');
  L.push('\t\tct state vmap { established : accept, related : accept } comment "!fw4: Handle inbound flows"');
  for (const z of zones) for (const dev of zoneDevs(z.name)) L.push(`\t\tiifname ${q(dev)} jump input_${z.name} comment "!fw4: Handle ${z.name} IPv4/IPv6 input traffic"`);
  L.push('\t}', '');
  L.push('\tchain forward {', '\t\ttype filter hook forward priority filter; policy drop;', '');
  if (devices.length) L.push('\t\tmeta l4proto { tcp, udp } flow offload @ft;');
  L.push('\t\tct state vmap { established : accept, related : accept } comment "!fw4: Handle forwarded flows"');
  for (const z of zones) for (const dev of zoneDevs(z.name)) L.push(`\t\tiifname ${q(dev)} jump forward_${z.name} comment "!fw4: Handle ${z.name} IPv4/IPv6 forward traffic"`);
  L.push('\t}', '');
  L.push('\tchain output {', '\t\ttype filter hook output priority filter; policy accept;', '', '\t\toif "lo" accept comment "!fw4: Accept traffic towards loopback"', '\t}', '');
  for (const z of zones) {
    const devs = zoneDevs(z.name);
    L.push(`\tchain input_${z.name} {`, z.role === 'wan' ? '\t\tdrop' : '\t\taccept', '\t}', '');
    L.push(`\tchain forward_${z.name} {`);
    if (z.role === 'lan') for (const w of zones.filter((x) => x.role === 'wan')) for (const dev of zoneDevs(w.name)) L.push(`\t\toifname ${q(dev)} accept comment "!fw4: Accept ${z.name} to ${w.name} forwarding"`);
    L.push(z.role === 'wan' ? '\t\tdrop' : '\t\taccept', '\t}', '');
    void devs;
  }
  const wanDevs = zones.filter((z) => z.role === 'wan').flatMap((z) => zoneDevs(z.name));
  L.push('\tchain srcnat {', '\t\ttype nat hook postrouting priority srcnat; policy accept;');
  for (const dev of wanDevs) L.push(`\t\toifname ${q(dev)} masquerade comment "!fw4: Masquerade wan traffic"`);
  L.push('\t}', '}', '');
  return { text: L.join('\n'), devices, hw, warnings };
}
