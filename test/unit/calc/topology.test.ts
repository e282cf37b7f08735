/** Zones, their networks and devices as fw4 resolves them; and the conflicts table (issue 14: every branch). */
import { describe, it, expect } from 'vitest';
import { parseUciFile } from '../../../rpcd/src/parse/uci';
import { readZones, zoneNetworks, roleDevices, zoneRole } from '../../../rpcd/src/calc/topology';
import { findConflicts, type ConflictInput } from '../../../rpcd/src/calc/conflicts';

// OpenWrt's default firewall zones and a network config with the cases fw4 meets.
const FIREWALL = `
config defaults
	option input 'REJECT'

config zone
	option name 'lan'
	list network 'lan'

config zone
	option name 'wan'
	list network 'wan'
	list network 'wan6'
	option masq '1'

config zone 'guestzone'
	option network 'guest alias'
	option device 'tun+'

config zone
	option name 'vpn'
	option masq 'yes'
	list network 'wg0'
`;
const NETWORK = `
config interface 'loopback'
	option device 'lo'

config interface 'lan'
	option device 'br-lan'
	option proto 'static'

config interface 'wan'
	option device 'eth0.2'
	option proto 'pppoe'

config interface 'wan6'
	option device '@wan'
	option proto 'dhcpv6'

config interface 'guest'
	option ifname 'eth1'
	option proto 'static'

config interface 'alias'
	option device '@nowhere'

config interface 'wg0'
	option proto 'wireguard'
	option private_key 'x'
`;

// Computed inside each test (not at collection time), so mutation testing maps the coverage to the tests.
const world = () => {
  const zones = readZones(parseUciFile(FIREWALL));
  return { zones, nets: zoneNetworks(zones, parseUciFile(NETWORK)) };
};

describe('topology', () => {

  it('reads zones: name (or section name), role from masq or name, networks and raw devices', () => {
    const { zones } = world();
    expect(zones).toEqual([
      { name: 'lan', role: 'lan', networks: ['lan'], devices: [] },
      { name: 'wan', role: 'wan', networks: ['wan', 'wan6'], devices: [] },
      { name: 'guestzone', role: 'other', networks: ['guest', 'alias'], devices: ['tun+'] },
      { name: 'vpn', role: 'wan', networks: ['wg0'], devices: [] },
    ]);
  });

  it('resolves every zone network as netifd would: device, ifname, @alias on the parent\'s L3 device, PPPoE L3 device, WireGuard without a physdev', () => {
    const { nets } = world();
    expect(nets).toEqual([
      { zone: 'lan', network: 'lan', proto: 'static', physdev: 'br-lan', l3dev: 'br-lan' },
      { zone: 'wan', network: 'wan', proto: 'pppoe', physdev: 'eth0.2', l3dev: 'pppoe-wan' },
      // netifd: an alias runs on the parent's l3_device and reports it as its device while the parent is up.
      { zone: 'wan', network: 'wan6', proto: 'dhcpv6', physdev: 'pppoe-wan', l3dev: 'pppoe-wan' },
      { zone: 'guestzone', network: 'guest', proto: 'static', physdev: 'eth1', l3dev: 'eth1' },
      { zone: 'guestzone', network: 'alias', proto: null, physdev: null, l3dev: null },
      // wireguard has no device of its own (PROTO_FLAG_NODEV): fw4 never puts wg0 in the flowtable.
      { zone: 'vpn', network: 'wg0', proto: 'wireguard', physdev: null, l3dev: 'wg0' },
    ]);
  });

  it.each([
    ['pppoa', 'pppoa-x'], ['pptp', 'pptp-x'], ['l2tp', 'l2tp-x'], ['3g', '3g-x'], ['ppp', 'ppp-x'], ['dhcp', 'eth9'], ['wireguard', 'x'],
  ])('proto %s counts traffic on %s', (proto, l3) => {
    const z = readZones(parseUciFile(`config zone\n\toption name 'wan'\n\toption network 'x'\n`));
    const n = zoneNetworks(z, parseUciFile(`config interface 'x'\n\toption device 'eth9'\n\toption proto '${proto}'\n`));
    expect(n[0]?.l3dev).toBe(l3);
  });

  it('a network missing from the network config has no devices', () => {
    const z = readZones(parseUciFile(`config zone\n\toption name 'lan'\n\toption network 'gone'\n`));
    expect(zoneNetworks(z, [])).toEqual([{ zone: 'lan', network: 'gone', proto: null, physdev: null, l3dev: null }]);
  });

  it('role devices: L3 devices of the role\'s zones, once each, in order', () => {
    const { zones, nets } = world();
    expect(roleDevices(zones, nets)).toEqual({ wan: ['pppoe-wan', 'wg0'], lan: ['br-lan'] });
    expect(roleDevices(zones, [...nets, { zone: 'lan', network: 'lan2', proto: null, physdev: 'br-lan', l3dev: 'br-lan' }]).lan).toEqual(['br-lan']);
  });

  it.each([
    ['wan', false, 'wan'], ['lan', false, 'lan'], ['lan', true, 'wan'], ['dmz', true, 'wan'], ['dmz', false, 'other'],
  ] as const)('zone %s masq=%s is %s', (name, masq, role) => {
    expect(zoneRole(name, masq)).toBe(role);
  });

  it.each(['1', 'yes', 'on', 'true'])('masq %s counts as on', (v) => {
    expect(readZones(parseUciFile(`config zone\n\toption name 'z'\n\toption masq '${v}'\n`))[0]?.role).toBe('wan');
  });
  it.each(['0', 'no', 'off', 'false', ''])('masq %j counts as off', (v) => {
    expect(readZones(parseUciFile(`config zone\n\toption name 'z'\n\toption masq '${v}'\n`))[0]?.role).toBe('other');
  });
});

describe('findConflicts', () => {
  const none: ConflictInput = { mode: 'software', sqm: [], qosify: null, qosifyRunning: false, nftQos: [], network: [] };
  const sqm = parseUciFile(`config queue 'eth1'\n\toption enabled '1'\n\toption interface 'eth0.2'\n\nconfig queue 'q2'\n\toption enabled '0'\n\toption interface 'eth9'\n`);
  const qosify = parseUciFile(`config interface 'wan'\n\toption disabled '0'\n`);
  const qosifyOff = parseUciFile(`config interface 'wan'\n\toption disabled '1'\n`);
  const nftQos = (k: string) => parseUciFile(`config default 'default'\n\toption ${k} '1'\n`);
  const wg = parseUciFile(`config interface 'wg0'\n\toption proto 'wireguard'\n\nconfig interface 'wg1'\n\toption proto 'wireguard'\n\toption disabled '1'\n`);
  const ids = (i: Partial<ConflictInput>) => findConflicts({ ...none, ...i }).map((c) => c.id);

  it('off: never a conflict', () => {
    expect(findConflicts({ mode: 'off', sqm, qosify, qosifyRunning: true, nftQos: nftQos('limit_enable'), network: wg })).toEqual([]);
  });
  it('nothing configured: none', () => {
    expect(findConflicts(none)).toEqual([]);
  });
  it('SQM: enabled queues only, named by interface; wording by mode', () => {
    const sw = findConflicts({ ...none, sqm });
    expect(sw).toEqual([{ id: 'sqm', severity: 'warning', text: expect.stringMatching(/^SQM is enabled on eth0\.2\. LuCI marks offloading as "not fully compatible with QoS\/SQM"/), advice: 'If latency under load gets worse, turn offloading off; compare with SQM alone.' }]);
    const hw = findConflicts({ ...none, mode: 'hardware', sqm });
    expect(hw[0]).toEqual({ id: 'sqm', severity: 'warning', text: 'SQM is enabled on eth0.2. Hardware-offloaded flows never reach the CPU, so SQM cannot shape them.', advice: 'Use software offloading or turn offloading off while you rely on SQM.' });
    expect(findConflicts({ ...none, sqm: parseUciFile(`config queue 'eth1'\n\toption enabled '1'\n`) })[0]?.text).toMatch(/^SQM is enabled on eth1\./);
    expect(ids({ sqm: parseUciFile(`config other 'x'\n\toption enabled '1'\n`) })).toEqual([]);
  });
  it('qosify: installed and running, or an enabled interface', () => {
    expect(ids({ qosify: [], qosifyRunning: true })).toEqual(['qosify']);
    expect(ids({ qosify, qosifyRunning: false })).toEqual(['qosify']);
    expect(ids({ qosify: qosifyOff, qosifyRunning: false })).toEqual([]);
    expect(ids({ qosify: null, qosifyRunning: true })).toEqual([]);
    expect(ids({ qosify: parseUciFile(`config defaults\n\toption x '1'\n`) })).toEqual([]);
  });
  it.each(['limit_enable', 'limit_mac_enable', 'priority_enable'])('nft-qos with %s', (k) => {
    expect(findConflicts({ ...none, nftQos: nftQos(k) })).toEqual([expect.objectContaining({ id: 'nft-qos', text: expect.stringContaining('nft-qos is enabled'), advice: 'Turn offloading off while you use nft-qos (openwrt/packages#22883).' })]);
  });
  it('nft-qos with nothing enabled', () => {
    expect(ids({ nftQos: nftQos('other_enable') })).toEqual([]);
  });
  it('WireGuard: hardware only, enabled interfaces only, listed by name', () => {
    expect(ids({ network: wg })).toEqual([]);
    const c = findConflicts({ ...none, mode: 'hardware', network: wg });
    expect(c).toEqual([expect.objectContaining({ id: 'wireguard-hw', text: expect.stringMatching(/^WireGuard interface wg0 with hardware offloading/), advice: 'If the tunnel stalls after a while, use software offloading.' })]);
    expect(ids({ mode: 'hardware', network: parseUciFile(`config interface 'lan'\n\toption proto 'static'\n`) })).toEqual([]);
  });
  it('all at once, in a fixed order', () => {
    expect(ids({ mode: 'hardware', sqm, qosify, nftQos: nftQos('limit_enable'), network: wg })).toEqual(['sqm', 'qosify', 'nft-qos', 'wireguard-hw']);
  });
});
