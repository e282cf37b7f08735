/**
 * Issue 13: the device picture for router setups where rebuilding it from uci went wrong,
 * set against what fw4 does with netifd's answer (fw4.uc read_ubus, parse_zone,
 * resolve_offload_devices, resolve_lower_devices). Each case failed on the uci-only code.
 */
import { msg } from '../../../rpcd/src/calc/message';
import { describe, it, expect } from 'vitest';
import { parseUciFile } from '../../../rpcd/src/parse/uci';
import { readZones, zoneNetworks, zoneNetworksFromNetifd, roleDevices, flowtableDevices, resolveLower, type LowerView } from '../../../rpcd/src/calc/topology';
import { analyseDevices, type DeviceInput } from '../../../rpcd/src/calc/devices';
import { hardwareVerdict, hardwareProof, hardwareReason } from '../../../rpcd/src/calc/hardware';
import type { NetifdInterface } from '../../../rpcd/src/parse/netifd';
import type { Flowtable } from '../../../rpcd/src/parse/nft';

const ZONES = `
config zone
	option name 'lan'
	list network 'lan'

config zone
	option name 'wan'
	list network 'wan'
	list network 'wan6'
	option masq '1'
`;
const zones = () => readZones(parseUciFile(ZONES));
const ifc = (name: string, o: Partial<NetifdInterface>): NetifdInterface => ({ name, up: true, proto: 'static', device: null, l3_device: null, zone: null, ...o });
const ft = (devices: string[], hw = false, name = 'ft'): Flowtable => ({ family: 'inet', table: 'fw4', name, hook: 'ingress', priority: '0', devices, hw, counter: true });

/** A device world: which devices exist, their netifd devtype and their sysfs lower_* links. */
function world(devs: Record<string, { type?: string; lower?: string[] }>): LowerView {
  return { exists: (d) => d in devs, devtype: (d) => devs[d]?.type ?? 'ethernet', lower: (d) => devs[d]?.lower ?? [] };
}
const input = (o: Partial<DeviceInput> & Pick<DeviceInput, 'nets' | 'view'>): DeviceInput => ({ zones: zones(), ft: null, extra: [], mode: 'software', hwtc: () => null, offloadedFlows: 0, ...o });

describe('old-style bridge (option type bridge + option ifname)', () => {
  const NETWORK = `
config interface 'lan'
	option type 'bridge'
	option ifname 'lan1 lan2'
	option proto 'static'

config interface 'wan'
	option ifname 'wan'
	option proto 'dhcp'
`;
  it('uci fallback: the LAN is br-lan (netifd builds it), not its first port', () => {
    const nets = zoneNetworks(zones(), parseUciFile(NETWORK));
    expect(nets.find((n) => n.network === 'lan')).toMatchObject({ physdev: 'br-lan', l3dev: 'br-lan' });
    expect(roleDevices(zones(), nets).lan).toEqual(['br-lan']);
  });
  it('no false "missing from flowtable" or "not in any zone" when fw4 put br-lan in', () => {
    const nets = zoneNetworks(zones(), parseUciFile(NETWORK));
    const view = world({ 'br-lan': { type: 'bridge', lower: ['lan1', 'lan2'] }, lan1: {}, lan2: {}, wan: {} });
    const d = analyseDevices(input({ nets, view, ft: ft(['br-lan', 'wan']) }));
    expect(d.map((x) => [x.device, x.in_flowtable, x.problems])).toEqual([
      ['br-lan', true, []],
      ['wan', true, []],
    ]);
  });
});

describe('PPPoE WAN with wan6 on @wan', () => {
  const NETWORK = `
config interface 'wan'
	option device 'eth1'
	option proto 'pppoe'

config interface 'wan6'
	option device '@wan'
	option proto 'dhcpv6'
`;
  // netifd's dump for this config: wan has device eth1 and l3_device pppoe-wan; the alias reports its
  // parent's L3 device as its device (alias.c; captured for a static wan in test/fixtures/netifd/guest-wan6-alias).
  const DUMP = [ifc('wan', { proto: 'pppoe', device: 'eth1', l3_device: 'pppoe-wan' }), ifc('wan6', { proto: 'dhcpv6', device: 'pppoe-wan', l3_device: 'pppoe-wan' })];
  it('WAN throughput counts pppoe-wan once, not pppoe-wan + eth1 (netifd and the uci fallback agree)', () => {
    expect(roleDevices(zones(), zoneNetworksFromNetifd(zones(), DUMP)).wan).toEqual(['pppoe-wan']);
    expect(roleDevices(zones(), zoneNetworks(zones(), parseUciFile(NETWORK))).wan).toEqual(['pppoe-wan']);
  });
  it('fw4 flowtable: eth1 and, through the alias, pppoe-wan (openwrt/openwrt#10224 shows pppoe-wan in ft); the uci fallback agrees', () => {
    const view = world({ eth1: {}, 'pppoe-wan': {} });
    expect(flowtableDevices(zoneNetworksFromNetifd(zones(), DUMP), false, view)).toEqual(['eth1', 'pppoe-wan']);
    expect(flowtableDevices(zoneNetworks(zones(), parseUciFile(NETWORK)), false, view)).toEqual(['eth1', 'pppoe-wan']);
  });
  it('pppoe-wan is then in the flowtable itself: no carrier, no problem', () => {
    const nets = zoneNetworksFromNetifd(zones(), DUMP);
    const d = analyseDevices(input({ nets, view: world({ eth1: {}, 'pppoe-wan': {} }), ft: ft(['eth1', 'pppoe-wan']), offloadedFlows: 0 }));
    expect(d.map((x) => [x.device, x.role, x.in_flowtable, x.carried_by, x.problems])).toEqual([
      ['eth1', 'wan', true, null, []],
      ['pppoe-wan', 'wan', true, null, []],
    ]);
  });
});

describe('PPPoE WAN without an alias (fw4 lists only the underlying device, firewall4#100)', () => {
  const DUMP = [ifc('wan', { proto: 'pppoe', device: 'eth1', l3_device: 'pppoe-wan' }), ifc('wan6', { proto: 'dhcpv6', up: false })];
  it('fw4 flowtable: eth1 only', () => {
    expect(flowtableDevices(zoneNetworksFromNetifd(zones(), DUMP), false, world({ eth1: {}, 'pppoe-wan': {} }))).toEqual(['eth1']);
  });
  it('pppoe-wan: carried by eth1 when flows are offloaded; a problem with a remedy when none is', () => {
    const nets = zoneNetworksFromNetifd(zones(), DUMP);
    const view = world({ eth1: {}, 'pppoe-wan': {} });
    const carried = analyseDevices(input({ nets, view, ft: ft(['eth1']), offloadedFlows: 40 })).find((x) => x.device === 'pppoe-wan');
    expect(carried).toMatchObject({ in_flowtable: false, carried_by: 'eth1', problems: [] });
    const idle = analyseDevices(input({ nets, view, ft: ft(['eth1']), offloadedFlows: 0 })).find((x) => x.device === 'pppoe-wan');
    expect(idle).toMatchObject({ carried_by: null, problems: ['pppoe-l3-device'] });
    const unknown = analyseDevices(input({ nets, view, ft: ft(['eth1']), offloadedFlows: null })).find((x) => x.device === 'pppoe-wan');
    expect(unknown?.problems).toEqual(['pppoe-l3-device']);
    // Without its underlying device in the flowtable nothing carries it, flows or not.
    const gap = analyseDevices(input({ nets, view, ft: ft(['br-lan']), offloadedFlows: 40 })).find((x) => x.device === 'pppoe-wan');
    expect(gap).toMatchObject({ carried_by: null, problems: ['pppoe-l3-device'] });
  });
});

describe('VLAN on a bridge (br-lan.1) over DSA ports, hardware mode', () => {
  const DUMP = [ifc('lan', { device: 'br-lan.1', l3_device: 'br-lan.1' }), ifc('wan', { proto: 'dhcp', device: 'wan', l3_device: 'wan' })];
  // DSA user ports have a lower_ link to their conduit; fw4 follows only vlan and bridge devtypes.
  const view = world({ 'br-lan.1': { type: 'vlan', lower: ['br-lan'] }, 'br-lan': { type: 'bridge', lower: ['lan1', 'lan2'] }, lan1: { lower: ['eth0'] }, lan2: { lower: ['eth0'] }, wan: { lower: ['eth0'] }, eth0: {} });
  it('fw4 lowers VLAN → bridge → ports, and stops at DSA ports', () => {
    expect(resolveLower(view, 'br-lan.1')).toEqual(['lan1', 'lan2']);
    expect(flowtableDevices(zoneNetworksFromNetifd(zones(), DUMP), true, view)).toEqual(['lan1', 'lan2', 'wan']);
    expect(flowtableDevices(zoneNetworksFromNetifd(zones(), DUMP), false, view)).toEqual(['br-lan.1', 'wan']);
  });
  it('no port is flagged: each is covered through br-lan.1 and belongs to the lan zone', () => {
    const nets = zoneNetworksFromNetifd(zones(), DUMP);
    const d = analyseDevices(input({ nets, view, mode: 'hardware', ft: ft(['lan1', 'lan2', 'wan'], true), hwtc: () => ({ on: true, fixed: false }) }));
    expect(d.map((x) => [x.device, x.role, x.in_flowtable, x.problems])).toEqual([
      ['br-lan.1', 'lan', true, []],
      ['wan', 'wan', true, []],
      ['lan1', 'lan', true, []],
      ['lan2', 'lan', true, []],
    ]);
  });
  it('a port really outside every zone is still flagged', () => {
    const nets = zoneNetworksFromNetifd(zones(), DUMP);
    const d = analyseDevices(input({ nets, view: world({ ...{ 'br-lan.1': { type: 'vlan', lower: ['br-lan'] }, 'br-lan': { type: 'bridge', lower: ['lan1'] } }, lan1: {}, lan9: {}, wan: {} }), mode: 'hardware', ft: ft(['lan1', 'lan9', 'wan'], true) }));
    expect(d.find((x) => x.device === 'lan9')?.problems).toEqual(['not-in-any-zone']);
  });
});

describe('cellular WAN (option device /dev/cdc-wdm0)', () => {
  const NETWORK = `
config interface 'wan'
	option device '/dev/cdc-wdm0'
	option proto 'qmi'
	option apn 'internet'
`;
  it('uci fallback: the control device path is not a netdev and is never reported "not present"', () => {
    const nets = zoneNetworks(zones(), parseUciFile(NETWORK));
    expect(nets.find((n) => n.network === 'wan')).toMatchObject({ physdev: null, l3dev: null });
    const d = analyseDevices(input({ nets, view: world({}), ft: ft(['br-lan']) }));
    expect(d.filter((x) => x.role === 'wan' || x.problems.includes('not-present'))).toEqual([]);
  });
  it('netifd: the modem\'s L3 device carries the WAN role; fw4 has no physdev to offload', () => {
    const DUMP = [ifc('wan', { proto: 'qmi', l3_device: 'wwan0' })];
    const nets = zoneNetworksFromNetifd(zones(), DUMP);
    expect(roleDevices(zones(), nets).wan).toEqual(['wwan0']);
    expect(flowtableDevices(nets, false, world({ wwan0: {} }))).toEqual([]);
    const d = analyseDevices(input({ nets, view: world({ wwan0: {} }), ft: ft(['br-lan']) }));
    expect(d[0]).toMatchObject({ device: 'wwan0', role: 'wan', exists: true, in_flowtable: false, problems: [] });
  });
});

describe('a zone an interface names for itself (data.zone) and networks netifd does not know', () => {
  it('fw4 adds interfaces with data.zone to that zone; unknown networks bring no device', () => {
    const nets = zoneNetworksFromNetifd(zones(), [ifc('vpn', { proto: 'wireguard', l3_device: 'wg0', zone: 'wan' }), ifc('wan', { device: 'eth1', l3_device: 'eth1' })]);
    expect(nets).toEqual([
      { zone: 'lan', network: 'lan', proto: null, physdev: null, l3dev: null },
      { zone: 'wan', network: 'wan', proto: 'static', physdev: 'eth1', l3dev: 'eth1' },
      { zone: 'wan', network: 'wan6', proto: null, physdev: null, l3dev: null },
      { zone: 'wan', network: 'vpn', proto: 'wireguard', physdev: null, l3dev: 'wg0' },
    ]);
  });
});

describe('a flowtable a user adds to table inet fw4', () => {
  it('its devices count as offloaded, named by flowtable, and are not flagged as outside a zone', () => {
    const nets = zoneNetworksFromNetifd(zones(), [ifc('lan', { device: 'br-lan', l3_device: 'br-lan' }), ifc('wan', { device: 'wan', l3_device: 'wan' })]);
    const view = world({ 'br-lan': { type: 'bridge', lower: ['lan1', 'lan2'] }, lan1: {}, lan2: {}, wan: {}, wlan0: {} });
    const d = analyseDevices(input({ nets, view, ft: ft(['br-lan', 'wan']), extra: [ft(['lan1', 'lan2', 'wlan0'], false, 'ft_bridge')] }));
    expect(d.map((x) => [x.device, x.flowtables, x.problems])).toEqual([
      ['br-lan', ['ft', 'ft_bridge'], []],
      ['wan', ['ft'], []],
      ['lan1', ['ft_bridge'], []],
      ['lan2', ['ft_bridge'], []],
      ['wlan0', ['ft_bridge'], []],
    ]);
    expect(d.find((x) => x.device === 'lan1')?.role).toBe('lan');
  });
  it('without fw4\'s own flowtable nothing is "missing" from it', () => {
    const nets = zoneNetworksFromNetifd(zones(), [ifc('lan', { device: 'br-lan', l3_device: 'br-lan' })]);
    const d = analyseDevices(input({ nets, view: world({ 'br-lan': { type: 'bridge' } }), ft: null, extra: [ft(['lan1'], false, 'mine')] }));
    expect(d.find((x) => x.device === 'br-lan')).toMatchObject({ in_flowtable: false, problems: [] });
  });
});

describe('devices that are absent, and hw-tc-offload', () => {
  it('an absent physdev is not present (not missing from the flowtable)', () => {
    const nets = zoneNetworksFromNetifd(zones(), [ifc('lan', { device: 'br-lan', l3_device: 'br-lan' }), ifc('wan', { device: 'eth1', up: false })]);
    const d = analyseDevices(input({ nets, view: world({ 'br-lan': {} }), ft: ft(['br-lan']) }));
    expect(d.find((x) => x.device === 'eth1')?.problems).toEqual(['not-present']);
    expect(d.find((x) => x.device === 'br-lan')?.problems).toEqual([]);
  });
  it('an existing physdev fw4 left out is missing from the flowtable', () => {
    const nets = zoneNetworksFromNetifd(zones(), [ifc('wan', { device: 'eth1', l3_device: 'eth1' })]);
    expect(analyseDevices(input({ nets, view: world({ eth1: {} }), ft: ft(['br-lan']) }))[0]?.problems).toEqual(['missing-from-flowtable']);
  });
  it('hardware mode: a flowtable device without hw-tc-offload is flagged; software mode never', () => {
    const nets = zoneNetworksFromNetifd(zones(), [ifc('wan', { device: 'eth1', l3_device: 'eth1' })]);
    const off = () => ({ on: false, fixed: true });
    expect(analyseDevices(input({ nets, view: world({ eth1: {} }), mode: 'hardware', ft: ft(['eth1'], true), hwtc: off }))[0]).toMatchObject({ hw_tc_offload: false, hw_tc_offload_fixed: true, problems: ['no-hw-tc-offload'] });
    expect(analyseDevices(input({ nets, view: world({ eth1: {} }), ft: ft(['eth1']), hwtc: off }))[0]?.problems).toEqual([]);
  });
});

describe('hardware proof', () => {
  const flows = (offloaded: number, hw: number) => ({ total: 50, offloaded, hw_offloaded: hw, source: 'proc' as const });
  it('flags offload is not proof: only [HW_OFFLOAD] flows are', () => {
    expect(hardwareVerdict(flows(0, 3))).toBe('in-hardware');
    expect(hardwareVerdict(flows(12, 0))).toBe('none-in-hardware');
    expect(hardwareVerdict(flows(0, 0))).toBe('no-offloaded-flows');
    expect(hardwareVerdict(null)).toBe('unknown');
  });
  it('only for a running hardware flowtable', () => {
    expect(hardwareProof('software', flows(1, 0), null)).toBeNull();
    expect(hardwareProof('hardware-fallback', flows(1, 0), null)).toBeNull();
    const engine = { name: 'mtk_ppe', path: '/sys/kernel/debug/ppe0/bind', bound: 4, total: 9, by_state: { bound: 4, unbound: 5 }, error: null };
    expect(hardwareProof('hardware', flows(1, 0), engine)).toEqual({ verdict: 'none-in-hardware', engine });
  });
  it('the state sentence says what the flows show', () => {
    const base = msg('Hardware offloading is active on %s.', 'wan');
    const inHw = hardwareReason(base, { verdict: 'in-hardware', engine: null }, flows(2, 6));
    expect(inHw.text).toBe('Hardware offloading is active on wan. 6 of 8 offloaded flows are in hardware.');
    expect(inHw.parts).toEqual([...base.parts, { template: '%s of %s offloaded flows are in hardware.', params: ['6', '8'] }]);
    expect(hardwareReason(base, { verdict: 'none-in-hardware', engine: null }, flows(12, 0)).text).toMatch(/^Hardware offloading is active on wan\. But none of the 12 offloaded flows is in hardware/);
    expect(hardwareReason(base, { verdict: 'no-offloaded-flows', engine: null }, flows(0, 0)).text).toMatch(/No flow is offloaded yet/);
    expect(hardwareReason(base, null, flows(0, 0))).toBe(base);
    expect(hardwareReason(base, { verdict: 'unknown', engine: null }, null)).toBe(base);
  });
});
