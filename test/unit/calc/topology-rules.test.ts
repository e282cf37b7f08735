/**
 * The rules of calc/topology.ts and calc/devices.ts one by one (every protocol class, every
 * lowering step, every device problem), so that each rule breaks a test of its own
 * (docs/mutation.md). The cases set against real configs are in devices.test.ts.
 */
import { describe, it, expect } from 'vitest';
import { parseUciFile } from '../../../rpcd/src/parse/uci';
import { readZones, zoneNetworks, roleDevices, flowtableDevices, resolveLower, type LowerView, type ZoneNetwork } from '../../../rpcd/src/calc/topology';
import { analyseDevices, type DeviceInput } from '../../../rpcd/src/calc/devices';
import type { Flowtable } from '../../../rpcd/src/parse/nft';

const zones = () =>
  readZones(
    parseUciFile(`
config zone
	option name 'lan'
	option network 'lan guest'

config zone
	option name 'wan'
	list network 'wan'
	list network 'wan6'
	option masq '1'

config zone
	option name 'dmz'
	list network 'dmz'
`),
  );
const ft = (devices: string[], hw = false, name = 'ft'): Flowtable => ({ family: 'inet', table: 'fw4', name, hook: 'ingress', priority: '0', devices, hw, counter: true });
function world(devs: Record<string, { type?: string; lower?: string[] }>): LowerView {
  return { exists: (d) => d in devs, devtype: (d) => devs[d]?.type ?? 'ethernet', lower: (d) => devs[d]?.lower ?? [] };
}
const input = (o: Partial<DeviceInput> & Pick<DeviceInput, 'nets' | 'view'>): DeviceInput => ({ zones: zones(), ft: null, extra: [], mode: 'software', hwtc: () => null, offloadedFlows: 0, ...o });
const net = (zone: string, network: string, physdev: string | null, l3dev: string | null = physdev): ZoneNetwork => ({ zone, network, proto: 'static', physdev, l3dev });
/** The uci fallback for one wan interface of protocol `proto` on device `eth1`. */
const wanOf = (proto: string, extra = ''): ZoneNetwork | undefined =>
  zoneNetworks(zones(), parseUciFile(`config interface 'wan'\n\toption device 'eth1'\n\toption proto '${proto}'\n${extra}`)).find((n) => n.network === 'wan');

describe('zones', () => {
  it('a space-separated option network lists every network; a whitespace-only entry none', () => {
    expect(zones()[0]?.networks).toEqual(['lan', 'guest']);
    expect(readZones(parseUciFile("config zone\n\toption name 'x'\n\toption network '  '\n"))[0]?.networks).toEqual([]);
  });
  it('only interface sections are networks (a device section of the same name is not)', () => {
    const nets = zoneNetworks(zones(), parseUciFile("config device 'lan'\n\toption name 'br-x'\n\toption type 'bridge'\n"));
    expect(nets.find((n) => n.network === 'lan')).toMatchObject({ physdev: null, l3dev: null, proto: null });
  });
});

describe('uci fallback: the devices of each protocol class (netifd proto handlers)', () => {
  it('PPPoE runs on its device; the L3 device is pppoe-<name>', () => {
    expect(wanOf('pppoe')).toMatchObject({ physdev: 'eth1', l3dev: 'pppoe-wan' });
  });
  it.each(['pppoa', 'pptp', 'l2tp', '3g', 'ppp'])('%s has no device of its own; its L3 device is <proto>-<name>', (p) => {
    expect(wanOf(p)).toMatchObject({ physdev: null, l3dev: `${p}-wan` });
  });
  it.each(['wireguard', 'vpnc', 'openvpn'])('%s has no device of its own; its L3 device is the interface name', (p) => {
    expect(wanOf(p)).toMatchObject({ physdev: null, l3dev: 'wan' });
  });
  it.each(['qmi', 'ncm', 'mbim', 'modemmanager', 'directip', '6in4', '6to4', '6rd', 'dslite', 'map', 'gre', 'gretap', 'grev6', 'grev6tap', 'vti', 'vtiv6', 'xfrm', 'relay'])(
    '%s has no device of its own, and its L3 device is picked at run time (unknown from uci)',
    (p) => {
      expect(wanOf(p)).toMatchObject({ physdev: null, l3dev: null });
    },
  );
  it.each(['static', 'dhcp', 'dhcpv6', 'none'])('%s runs on its device', (p) => {
    expect(wanOf(p)).toMatchObject({ physdev: 'eth1', l3dev: 'eth1' });
  });
  it('an alias chain resolves to the first parent with a device; an alias loop ends with no device', () => {
    const chain = zoneNetworks(
      zones(),
      parseUciFile("config interface 'wan'\n\toption device 'eth1'\n\toption proto 'pppoe'\n\nconfig interface 'wan6'\n\toption device '@wanb'\n\nconfig interface 'wanb'\n\toption device '@wan'\n"),
    );
    expect(chain.find((n) => n.network === 'wan6')).toMatchObject({ physdev: 'pppoe-wan', l3dev: 'pppoe-wan' });
    // an alias whose own protocol has no device (PROTO_FLAG_NODEV) reports none
    const nodev = zoneNetworks(zones(), parseUciFile("config interface 'wan'\n\toption device 'eth1'\n\nconfig interface 'wan6'\n\toption device '@wan'\n\toption proto '6in4'\n"));
    expect(nodev.find((n) => n.network === 'wan6')).toMatchObject({ physdev: null, l3dev: 'eth1' });
    const loop = zoneNetworks(zones(), parseUciFile("config interface 'wan'\n\toption device '@wan6'\n\nconfig interface 'wan6'\n\toption device '@wan'\n"));
    expect(loop.find((n) => n.network === 'wan')).toMatchObject({ physdev: null, l3dev: null });
  });
  it('an alias of a network that does not exist has no device', () => {
    expect(zoneNetworks(zones(), parseUciFile("config interface 'wan6'\n\toption device '@nowhere'\n")).find((n) => n.network === 'wan6')).toMatchObject({ physdev: null, l3dev: null });
  });
});

describe("fw4's lowering (resolve_lower_devices) and flowtable devices (resolve_offload_devices)", () => {
  const v = world({ 'br-lan.1': { type: 'vlan', lower: ['br-lan'] }, 'br-lan': { type: 'bridge', lower: ['lan1', 'lan2'] }, lan1: {}, lan2: {}, wan: {}, 'wan.7': { type: 'vlan', lower: ['wan'] } });
  it('VLAN → bridge → ports; other devices are themselves; absent ones vanish', () => {
    expect(resolveLower(v, 'br-lan.1')).toEqual(['lan1', 'lan2']);
    expect(resolveLower(v, 'wan.7')).toEqual(['wan']);
    expect(resolveLower(v, 'wan')).toEqual(['wan']);
    expect(resolveLower(v, 'gone')).toEqual([]);
    // A device of another type with lower links (a bond here) is not lowered.
    expect(resolveLower(world({ bond0: { type: 'bond', lower: ['eth0', 'eth1'] }, eth0: {}, eth1: {} }), 'bond0')).toEqual(['bond0']);
  });
  it('a lower-link loop ends after eight steps down (the kernel allows none; a guard against a broken sysfs view)', () => {
    const loop = world({ a: { type: 'bridge', lower: ['b'] }, b: { type: 'vlan', lower: ['a'] } });
    expect(resolveLower(loop, 'a')).toEqual(['a']);
  });
  it('software: the physdevs that exist, each once, sorted; hardware: their lowered devices, each once, sorted', () => {
    const nets = [net('wan', 'wan', 'wan.7'), net('lan', 'lan', 'br-lan.1'), net('lan', 'guest', 'br-lan.1'), net('wan', 'wan6', 'gone'), net('wan', 'vpn', null, 'wg0')];
    expect(flowtableDevices(nets, false, v)).toEqual(['br-lan.1', 'wan.7']);
    expect(flowtableDevices(nets, true, v)).toEqual(['lan1', 'lan2', 'wan']);
  });
  it('roles: L3 devices per role once each, other zones in neither', () => {
    const nets = [net('lan', 'lan', 'br-lan'), net('lan', 'guest', 'br-lan'), net('wan', 'wan', 'wan', 'pppoe-wan'), net('wan', 'wan6', null, 'pppoe-wan'), net('dmz', 'dmz', 'eth3')];
    expect(roleDevices(zones(), nets)).toEqual({ lan: ['br-lan'], wan: ['pppoe-wan'] });
  });
});

describe('device problems', () => {
  const v = world({ 'br-lan': { type: 'bridge', lower: ['lan1', 'lan2'] }, lan1: {}, lan2: {}, wan: {}, 'pppoe-wan': { type: 'ppp' }, eth3: {}, wg0: {} });
  it('a zone device not in the running flowtable is missing from it; with no flowtable at all it is not', () => {
    const nets = [net('lan', 'lan', 'br-lan'), net('wan', 'wan', 'wan')];
    const d = analyseDevices(input({ nets, view: v, ft: ft(['wan']) }));
    expect(d.map((x) => [x.device, x.role, x.zones, x.exists, x.in_flowtable, x.problems])).toEqual([
      ['br-lan', 'lan', ['lan'], true, false, ['missing-from-flowtable']],
      ['wan', 'wan', ['wan'], true, true, []],
    ]);
    expect(analyseDevices(input({ nets, view: v, ft: null })).flatMap((x) => x.problems)).toEqual([]);
  });
  it('a bridge counts as in the flowtable only when every port is; a device that lowers to itself only when listed', () => {
    const nets = [net('lan', 'lan', 'br-lan'), net('wan', 'wan', 'wan')];
    expect(analyseDevices(input({ nets, view: v, ft: ft(['lan1', 'wan']) }))[0]).toMatchObject({ device: 'br-lan', in_flowtable: false, flowtables: [] });
    expect(analyseDevices(input({ nets, view: v, ft: ft(['lan1', 'lan2', 'wan']) }))[0]).toMatchObject({ device: 'br-lan', in_flowtable: true, flowtables: ['ft'] });
    // A bridge without ports does not count as covered by an empty resolution.
    const bare = world({ 'br-lan': { type: 'bridge', lower: [] }, wan: {} });
    expect(analyseDevices(input({ nets, view: bare, ft: ft(['wan']) }))[0]).toMatchObject({ device: 'br-lan', in_flowtable: false });
  });
  it('an absent physdev or an absent non-PPP L3 device is not present; an absent PPP device is not (it exists only while up)', () => {
    const nets = [net('lan', 'lan', 'gone'), net('wan', 'wan', 'wan', 'pppoe-x'), net('dmz', 'dmz', null, 'tun9')];
    const d = analyseDevices(input({ nets, view: v, ft: null }));
    expect(d.map((x) => [x.device, x.role, x.problems])).toEqual([
      ['gone', 'lan', ['not-present']],
      ['wan', 'wan', []],
      ['pppoe-x', 'wan', []],
      ['tun9', 'other', ['not-present']],
    ]);
  });
  it('a device in two zones keeps the first role and lists both zones once; a zone the config does not know gives role other', () => {
    const nets = [net('wan', 'wan', 'eth3'), net('dmz', 'dmz', 'eth3'), net('wan', 'wan6', 'eth3'), net('nozone', 'x', 'wg0')];
    const d = analyseDevices(input({ nets, view: v, ft: null }));
    expect(d.map((x) => [x.device, x.role, x.zones])).toEqual([
      ['eth3', 'wan', ['wan', 'dmz']],
      ['wg0', 'other', ['nozone']],
    ]);
  });
  it('PPPoE: carried by the underlying device only while flows are offloaded and the device is in the flowtable; a problem otherwise; nothing without a flowtable', () => {
    const nets = [net('lan', 'lan', 'br-lan'), net('wan', 'wan', 'wan', 'pppoe-wan')];
    const ppp = (o: Partial<DeviceInput>) => analyseDevices(input({ nets, view: v, ...o })).find((x) => x.device === 'pppoe-wan');
    expect(ppp({ ft: ft(['br-lan', 'wan']), offloadedFlows: 3 })).toMatchObject({ carried_by: 'wan', problems: [] });
    expect(ppp({ ft: ft(['br-lan', 'wan']), offloadedFlows: 0 })).toMatchObject({ carried_by: null, problems: ['pppoe-l3-device'] });
    expect(ppp({ ft: ft(['br-lan', 'wan']), offloadedFlows: null })).toMatchObject({ carried_by: null, problems: ['pppoe-l3-device'] });
    expect(ppp({ ft: ft(['br-lan']), offloadedFlows: 3 })).toMatchObject({ carried_by: null, problems: ['pppoe-l3-device'] });
    expect(ppp({ ft: null, offloadedFlows: 3 })).toMatchObject({ carried_by: null, problems: [] });
    // listed itself (a user's flowtable): neither carried nor a problem
    expect(ppp({ ft: ft(['br-lan', 'wan', 'pppoe-wan']), offloadedFlows: 3 })).toMatchObject({ in_flowtable: true, carried_by: null, problems: [] });
  });
  it('a device in two networks of one zone gets each problem once; a network with a device but no L3 device lists only the device', () => {
    const nets = [net('lan', 'lan', 'br-lan'), net('lan', 'guest', 'br-lan'), net('dmz', 'dmz', 'eth3', null)];
    const d = analyseDevices(input({ nets, view: v, ft: ft(['lan1']) }));
    expect(d.map((x) => [x.device, x.problems])).toEqual([
      ['br-lan', ['missing-from-flowtable']],
      ['eth3', ['missing-from-flowtable']],
      ['lan1', []],
    ]);
  });
  it('only names that start with a PPP prefix are PPP links (an absent "vpn-ppp-1" is not present)', () => {
    const d = analyseDevices(input({ nets: [net('wan', 'wan', 'wan', 'vpn-ppp-1')], view: v, ft: null }));
    expect(d.find((x) => x.device === 'vpn-ppp-1')?.problems).toEqual(['not-present']);
  });
  it('a PPP L3 device whose network has no physdev gets no carrier', () => {
    const d = analyseDevices(input({ nets: [net('wan', 'wan', null, 'pppoe-wan')], view: v, ft: ft(['wan']), offloadedFlows: 3 }));
    expect(d.find((x) => x.device === 'pppoe-wan')).toMatchObject({ carried_by: null, problems: ['pppoe-l3-device'] });
  });
  it('flowtable ports take the zones and role of their bridge; a device in fw4\'s table outside every zone is flagged, in a user table not', () => {
    const nets = [net('lan', 'lan', 'br-lan'), net('wan', 'wan', 'wan')];
    const d = analyseDevices(input({ nets, view: v, mode: 'hardware', ft: ft(['lan1', 'lan2', 'wan', 'eth3'], true), extra: [ft(['wg0'], false, 'mine')] }));
    expect(d.map((x) => [x.device, x.role, x.zones, x.flowtables, x.problems])).toEqual([
      ['br-lan', 'lan', ['lan'], ['ft'], []],
      ['wan', 'wan', ['wan'], ['ft'], []],
      ['lan1', 'lan', ['lan'], ['ft'], []],
      ['lan2', 'lan', ['lan'], ['ft'], []],
      ['eth3', 'other', [], ['ft'], ['not-in-any-zone']],
      ['wg0', 'other', [], ['mine'], []],
    ]);
  });
  it('hw-tc-offload: read for existing devices only; flagged only in hardware mode for a device listed in ft', () => {
    const nets = [net('lan', 'lan', 'br-lan'), net('wan', 'wan', 'wan'), net('dmz', 'dmz', 'gone')];
    const hwtc = (dev: string) => (dev === 'wan' ? { on: false, fixed: true } : dev === 'gone' ? { on: true, fixed: false } : { on: false, fixed: false });
    const hw = analyseDevices(input({ nets, view: v, mode: 'hardware', hwtc, ft: ft(['lan1', 'lan2', 'wan'], true) }));
    expect(hw.map((x) => [x.device, x.hw_tc_offload, x.hw_tc_offload_fixed, x.problems])).toEqual([
      ['br-lan', false, false, []],
      ['wan', false, true, ['no-hw-tc-offload']],
      ['gone', null, false, ['not-present']],
      ['lan1', false, false, ['no-hw-tc-offload']],
      ['lan2', false, false, ['no-hw-tc-offload']],
    ]);
    const sw = analyseDevices(input({ nets, view: v, mode: 'software', hwtc, ft: ft(['br-lan', 'wan']) }));
    expect(sw.flatMap((x) => x.problems)).toEqual(['not-present']);
    const none = analyseDevices(input({ nets, view: v, mode: 'hardware', hwtc, ft: null }));
    expect(none.flatMap((x) => x.problems)).toEqual(['not-present']);
  });
});
