/**
 * The handler's device derivation against what the real programs did: for each router setup in
 * test/fixtures/netifd/guest-<case>/ (real netifd and real fw4 in the QEMU kernel guest,
 * `make kernel-capture-netifd`; each dir's PROVENANCE.md says how), the zone networks from
 * netifd's real `network.interface dump`, the device facts from its `network.device status` and
 * the guest's sysfs, and from them the flowtable devices and the device picture — set against
 * fw4's own flowtable `ft` (software mode; hardware mode, where fw4 lowered the devices for its
 * `nft -c` probe, the kernel refused offload on veth and fw4 fell back) and fw4's own forward
 * chain (which L3 device jumps to which zone).
 */
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseInterfaceDump, parseDeviceStatus } from '../../../rpcd/src/parse/netifd';
import { parseUciFile, parseUciShow, lastSection, uciBool } from '../../../rpcd/src/parse/uci';
import { parseFlowtablesText, hasOffloadRule, type Flowtable } from '../../../rpcd/src/parse/nft';
import { readZones, zoneNetworks, zoneNetworksFromNetifd, roleDevices, flowtableDevices, resolveLower, type LowerView } from '../../../rpcd/src/calc/topology';
import { analyseDevices } from '../../../rpcd/src/calc/devices';
import { deriveState, FALLBACK_WARNING } from '../../../rpcd/src/calc/state';
import { modeFromOptions, type Mode } from '../../../rpcd/src/api/contract';

const FIX = join(import.meta.dirname, '../../fixtures/netifd');

/**
 * What each case is, from its /etc/config/network (test/kernel/netifd-capture/cases/<case>/network):
 * the zones' L3 devices, and the ports fw4 lowers to in hardware mode. Written by hand, so that a
 * capture that changes under the test (a new netifd, a changed case) is noticed, not silently taken.
 */
const CASES: Record<string, { lan: string[]; wan: string[]; software: string[]; lowered: string[] }> = {
  'bridge-ifname': { lan: ['br-lan'], wan: ['rwan'], software: ['br-lan', 'rwan'], lowered: ['rlan', 'rlan2', 'rwan'] },
  'bridge-vlan': { lan: ['br-lan.1'], wan: ['rwan'], software: ['br-lan.1', 'rwan'], lowered: ['rlan', 'rlan2', 'rwan'] },
  'bridge-vlan-wan': { lan: ['br-lan.1'], wan: ['br-lan.2'], software: ['br-lan.1', 'br-lan.2'], lowered: ['rlan', 'rlan2', 'rwan'] },
  'wan-vlan': { lan: ['br-lan'], wan: ['rwan.10'], software: ['br-lan', 'rwan.10'], lowered: ['rlan', 'rlan2', 'rwan'] },
  'wan6-alias': { lan: ['br-lan'], wan: ['rwan'], software: ['br-lan', 'rwan'], lowered: ['rlan', 'rlan2', 'rwan'] },
};
/** Problems that would be false on every one of these routers: each device fw4 uses exists and is where it belongs. */
const FALSE_PROBLEMS = ['missing-from-flowtable', 'not-in-any-zone', 'not-present'];

const captured = readdirSync(FIX).filter((d) => d.startsWith('guest-') && existsSync(join(FIX, d, 'network_interface_dump.json'))).map((d) => d.slice('guest-'.length)).sort();

/** One case's capture, read as the handler reads the live router. */
function load(c: string) {
  const f = (name: string): string => readFileSync(join(FIX, `guest-${c}`, name), 'utf8');
  const ifaces = parseInterfaceDump(f('network_interface_dump.json'));
  const status = parseDeviceStatus(f('network_device_status.json'));
  // /sys/class/net/<dev>/uevent of every device in the router namespace: which exist, the kernel's DEVTYPE
  const uevent = new Map<string, string | null>();
  for (const block of f('sys_class_net_uevent.txt').split(/^== /m).slice(1)) {
    const name = (block.split('\n')[0] as string).trim();
    uevent.set(name, /^DEVTYPE=(.+)$/m.exec(block)?.[1] ?? null);
  }
  // `ls -l /sys/class/net/<dev>/` lines per device: its lower_* links
  const lowers = new Map<string, string[]>();
  let cur = '';
  for (const line of f('sys_class_net_lower.txt').split('\n')) {
    const head = /^(\S+):$/.exec(line);
    if (head) {
      cur = head[1] as string;
      lowers.set(cur, []);
      continue;
    }
    const low = / lower_(\S+) -> /.exec(line);
    if (low && cur) lowers.get(cur)?.push(low[1] as string);
  }
  // As rpcd/src/methods/status.ts builds it: netifd's devtype first, the kernel's DEVTYPE when netifd has none.
  const view: LowerView = {
    exists: (d) => uevent.has(d),
    devtype: (d) => status?.get(d)?.devtype ?? uevent.get(d) ?? null,
    lower: (d) => lowers.get(d) ?? [],
    vlanPorts: (d) => {
      const m = /^(.+)\.(\d+)$/.exec(d);
      return m ? status?.get(m[1] as string)?.vlans.get(Number(m[2])) ?? null : null;
    },
  };
  const zones = readZones(parseUciFile(f('firewall')));
  const ft = (mode: 'sw' | 'hw'): Flowtable | null => parseFlowtablesText(f(`nft_flowtable_ft_${mode}.txt`)).find((t) => t.family === 'inet' && t.table === 'fw4' && t.name === 'ft') ?? null;
  const configured = (mode: 'sw' | 'hw'): Mode => {
    const d = lastSection(parseUciShow(f(`firewall_defaults_${mode}.txt`), 'firewall'), 'defaults');
    return modeFromOptions(uciBool(d?.options.flow_offloading), uciBool(d?.options.flow_offloading_hw));
  };
  // fw4's hardware probe: `nft -c '… add flowtable inet fw4-hw-offload-test ft { … devices = { "a", "b" }; flags offload; }'`
  const probe = /devices = \{ ([^}]*) \};\s*flags offload;/.exec(f('nft_calls_hw.txt'));
  const probeDevices = probe ? [...(probe[1] as string).matchAll(/"([^"]+)"/g)].map((m) => m[1] as string) : null;
  const probeExit = /^exit=(\d+)$/m.exec(f('nft_calls_hw.txt'))?.[1];
  // fw4's own zone match devices: `iifname "br-lan" jump forward_lan` (or a set of names) in chain forward
  const forwardDevices = (zone: string): string[] => {
    const out: string[] = [];
    for (const m of f('nft_forward_sw.txt').matchAll(new RegExp(`iifname (\\{[^}]*\\}|"[^"]+") jump forward_${zone} `, 'g'))) {
      for (const d of (m[1] as string).matchAll(/"([^"]+)"/g)) out.push(d[1] as string);
    }
    return out;
  };
  return { f, ifaces, status, view, zones, ft, configured, probeDevices, probeExit, forwardDevices, network: parseUciFile(f('network')) };
}

describe('the fixtures', () => {
  it('every case of this file was captured, or its dropping is said in PROVENANCE.md; no capture goes unchecked', () => {
    const provenance = readFileSync(join(FIX, 'PROVENANCE.md'), 'utf8');
    for (const c of Object.keys(CASES)) if (!captured.includes(c)) expect(provenance, c).toMatch(new RegExp(`^- ${c}: `, 'm'));
    for (const c of captured) expect(Object.keys(CASES), c).toContain(c);
    expect(captured.length).toBeGreaterThan(0);
  });
});

describe.each(captured)('guest capture %s', (c) => {
  const want = CASES[c] as (typeof CASES)[string];

  it('netifd\'s real answers parse; every zone network the router has is up with its device', () => {
    const w = load(c);
    expect(w.ifaces).not.toBeNull();
    expect(w.status).not.toBeNull();
    for (const i of w.ifaces ?? []) {
      if (i.name === 'loopback') continue;
      expect(i, i.name).toMatchObject({ up: true, proto: 'static' });
      expect(i.device, i.name).toBeTruthy();
      expect(w.view.exists(i.l3_device as string), `${i.name}: ${i.l3_device}`).toBe(true);
    }
    expect(w.zones.map((z) => [z.name, z.role, z.networks])).toEqual([['lan', 'lan', ['lan']], ['wan', 'wan', ['wan', 'wan6']]]);
  });

  it('LAN and WAN are the real L3 devices, as fw4\'s own forward chain matches them (a bridge, not its ports; an alias adds none)', () => {
    const w = load(c);
    const nets = zoneNetworksFromNetifd(w.zones, w.ifaces ?? []);
    const roles = roleDevices(w.zones, nets);
    expect(roles).toEqual({ lan: want.lan, wan: want.wan });
    expect(roles.lan).toEqual(w.forwardDevices('lan'));
    expect(roles.wan).toEqual(w.forwardDevices('wan'));
  });

  it('software mode: the derived flowtable devices are those of real fw4\'s `ft`', () => {
    const w = load(c);
    const ft = w.ft('sw');
    expect(w.configured('sw')).toBe('software');
    expect(ft).toMatchObject({ hw: false, devices: want.software });
    const nets = zoneNetworksFromNetifd(w.zones, w.ifaces ?? []);
    expect(flowtableDevices(nets, false, w.view)).toEqual([...(ft as Flowtable).devices].sort());
  });

  it('hardware mode: the derived lowered devices are those fw4 probed with; after its fallback the derived software list is the running `ft`', () => {
    const w = load(c);
    expect(w.configured('hw')).toBe('hardware');
    const nets = zoneNetworksFromNetifd(w.zones, w.ifaces ?? []);
    // fw4's resolve_hw_offload_devices(): sorted, unique lowered devices; the kernel refused them on veth
    expect(w.probeDevices).toEqual(want.lowered);
    expect(flowtableDevices(nets, true, w.view)).toEqual(w.probeDevices);
    expect(w.probeExit).toBe('1');
    expect(w.f('fw4_reload_hw.txt')).toContain(`[!] ${FALLBACK_WARNING}`);
    const ft = w.ft('hw') as Flowtable;
    expect(ft).toMatchObject({ hw: false, devices: want.software });
    expect(flowtableDevices(nets, false, w.view)).toEqual([...ft.devices].sort());
    // each zone physdev lowers to ports the probe had
    for (const n of nets) if (n.physdev) expect(resolveLower(w.view, n.physdev).every((p) => want.lowered.includes(p)), n.physdev).toBe(true);
  });

  it('the uci fallback (netifd not answering) reads this network config into the same flowtable devices and roles', () => {
    const w = load(c);
    const nets = zoneNetworks(w.zones, w.network);
    expect(flowtableDevices(nets, false, w.view)).toEqual(want.software);
    expect(flowtableDevices(nets, true, w.view)).toEqual(want.lowered);
    expect(roleDevices(w.zones, nets)).toEqual({ lan: want.lan, wan: want.wan });
  });

  it.each(['sw', 'hw'] as const)('the device picture against the running ruleset (%s): every zone device in the flowtable, no false problem', (m) => {
    const w = load(c);
    const nets = zoneNetworksFromNetifd(w.zones, w.ifaces ?? []);
    const ft = w.ft(m) as Flowtable;
    const state = deriveState({
      firewall: 'fw4',
      configured: w.configured(m),
      ruleset: { readable: true, error: null, nftMissing: false, flowtable: ft, rule: hasOffloadRule(w.f(`nft_forward_${m}.txt`)) },
      existingZoneDevices: want.software.length,
      lastWarning: m === 'hw' ? FALLBACK_WARNING : null,
    });
    expect(state).toMatchObject(m === 'sw' ? { state: 'software', mode: 'software' } : { state: 'hardware-fallback', mode: 'software' });
    const devices = analyseDevices({ zones: w.zones, nets, ft, extra: [], mode: state.mode, view: w.view, hwtc: () => null, offloadedFlows: 0 });
    for (const d of devices) expect(d.problems.filter((p) => FALSE_PROBLEMS.includes(p)), d.device).toEqual([]);
    const byDev = new Map(devices.map((d) => [d.device, d] as const));
    for (const dev of [...want.lan, ...want.wan]) expect(byDev.get(dev), dev).toMatchObject({ exists: true, in_flowtable: true, flowtables: ['ft'] });
    for (const dev of want.lan) expect(byDev.get(dev)?.role, dev).toBe('lan');
    for (const dev of want.wan) expect(byDev.get(dev)?.role, dev).toBe('wan');
    // only the devices fw4 and the zones name: no bridge port shows up on its own in software mode
    expect([...byDev.keys()].sort()).toEqual([...new Set([...want.lan, ...want.wan])].sort());
  });

  it('hardware mode with the flowtable fw4 would have loaded had the kernel taken it (the probe\'s devices, flags offload): every port covered and in a zone', () => {
    const w = load(c);
    const nets = zoneNetworksFromNetifd(w.zones, w.ifaces ?? []);
    const ft: Flowtable = { family: 'inet', table: 'fw4', name: 'ft', hook: 'ingress', priority: 'filter', devices: w.probeDevices ?? [], hw: true, counter: true };
    const devices = analyseDevices({ zones: w.zones, nets, ft, extra: [], mode: 'hardware', view: w.view, hwtc: () => null, offloadedFlows: 0 });
    for (const d of devices) {
      expect(d.problems.filter((p) => FALSE_PROBLEMS.includes(p)), d.device).toEqual([]);
      expect(d.in_flowtable, d.device).toBe(true);
      expect(['lan', 'wan'], d.device).toContain(d.role);
    }
    // the zone L3 devices are covered through their ports; the ports inherit their zone
    for (const dev of [...want.lan, ...want.wan]) expect(devices.find((d) => d.device === dev), dev).toMatchObject({ in_flowtable: true, flowtables: ['ft'] });
    for (const port of ['rlan', 'rlan2']) expect(devices.find((d) => d.device === port)?.zones, port).toContain('lan');
    // rwan serves only the wan VLAN (bridge-vlan-wan: VLAN 2 of br-lan) or is the wan device itself: zone wan, role wan
    expect(devices.find((d) => d.device === 'rwan'), 'rwan').toMatchObject({ zones: ['wan'], role: 'wan' });
  });
});

describe('the @wan alias as real netifd reports it', () => {
  it('wan6 on @wan: netifd gives the alias its parent\'s L3 device as `device` (not none), so fw4 sees rwan twice and lists it once', () => {
    const w = load('wan6-alias');
    expect(w.ifaces?.find((i) => i.name === 'wan6')).toMatchObject({ up: true, device: 'rwan', l3_device: 'rwan' });
    const nets = zoneNetworksFromNetifd(w.zones, w.ifaces ?? []);
    expect(nets.filter((n) => n.zone === 'wan')).toEqual([
      { zone: 'wan', network: 'wan', proto: 'static', physdev: 'rwan', l3dev: 'rwan' },
      { zone: 'wan', network: 'wan6', proto: 'static', physdev: 'rwan', l3dev: 'rwan' },
    ]);
    // The uci fallback gives the alias the same device, as netifd does while the parent is up.
    expect(zoneNetworks(w.zones, w.network).find((n) => n.network === 'wan6')).toMatchObject({ physdev: 'rwan', l3dev: 'rwan' });
  });
});
