/**
 * Scenario definitions for the simulated router. The default is a plausible
 * MT7621-class dual-core router whose switch (mtk_ppe) accepts hardware
 * flowtables; the others are the cases the handler must explain.
 * All numbers are a simulation; the demo says so on screen.
 */
import type { Mode } from '../../../rpcd/src/api/contract';

export interface DeviceSpec {
  name: string;
  /** Bridge or DSA members (sysfs lower_* links). */
  lower?: string[];
  /** hw-tc-offload as `ethtool -k` prints it, or null for a device ethtool does not know. */
  hwTc: 'on' | 'off' | 'off [fixed]' | null;
}

export interface ScenarioSpec {
  name: string;
  description: string;
  board: string;
  model: string;
  release: string;
  target: string;
  arch: string;
  kernel: string;
  cores: number;
  firewall: 'fw4' | 'fw3';
  devices: DeviceSpec[];
  /** Devices the kernel accepts in a hardware flowtable. */
  hwOffloadDevices: string[];
  network: string;
  /** The firewall config without its defaults section's offload options (added from `mode`). */
  firewallZones: string;
  mode: Mode;
  extraConfigs?: Record<string, string>;
  /** Other files of the router by path (e.g. an nftables include in /etc/nftables.d). */
  extraFiles?: Record<string, string>;
  /** /proc/net/nf_conntrack present (CONFIG_NF_CONNTRACK_PROCFS). */
  conntrackProc: boolean;
  /** The conntrack CLI installed. */
  conntrackCli: boolean;
  nft: boolean;
  nftUnquoted?: boolean;
  /** false: a kernel without CONFIG_NF_FLOW_TABLE (no nft_flow_offload; nft refuses every flowtable). */
  flowtables?: boolean;
  ethtool: boolean;
  /** Peak WAN download in Mbit/s the line can carry. */
  lineMbit: number;
  /** Forwarding cost in % of one core per 100 Mbit/s, by running mode. */
  cost: Record<Mode, number>;
  /** Most a core can forward without offload, in Mbit/s (the CPU limit). */
  cpuLimitMbit: number;
  /** An extra line the fw4 stand-in prints as a warning on every reload (the inert-rendering drill). */
  fw4Warning?: string;
  /** An extra conntrack flow whose source address is this text (the inert-rendering drill). */
  flowSource?: string;
  /** A DSA switch: its conduit gets the sysfs `dsa` group and `upper_<port>` links to the user ports. */
  dsa?: { conduit: string; tagging: string; ports: string[] };
}

const NETWORK_DSA = `config interface 'loopback'
\toption device 'lo'
\toption proto 'static'
\toption ipaddr '127.0.0.1'
\toption netmask '255.0.0.0'

config device
\toption name 'br-lan'
\toption type 'bridge'
\tlist ports 'lan1'
\tlist ports 'lan2'

config interface 'lan'
\toption device 'br-lan'
\toption proto 'static'
\toption ipaddr '192.168.1.1'
\toption netmask '255.255.255.0'

config interface 'wan'
\toption device 'wan'
\toption proto 'dhcp'

config interface 'wan6'
\toption device 'wan'
\toption proto 'dhcpv6'
`;

/** The platform tier's router network (test/platform/root/etc/config/network; a test keeps them equal). */
export const NETWORK_VETH = `# Scratch network config of the platform router. The host kernel has no dummy or
# 802.1Q devices and netifd cannot create bridges on it (real-programs.md §1), so
# lan and wan sit on veth pairs that netifd creates inside the private netns.
config interface 'loopback'
\toption device 'lo'
\toption proto 'static'
\toption ipaddr '127.0.0.1'
\toption netmask '255.0.0.0'

config device
\toption type 'veth'
\toption name 'lan1'
\toption peer_name 'lan1p'

config device
\toption type 'veth'
\toption name 'wan'
\toption peer_name 'wanp'

config interface 'lan'
\toption device 'lan1'
\toption proto 'static'
\toption ipaddr '192.168.1.1'
\toption netmask '255.255.255.0'

config interface 'wan'
\toption device 'wan'
\toption proto 'static'
\toption ipaddr '192.0.2.2'
\toption netmask '255.255.255.0'
\toption gateway '192.0.2.1'
`;

const ZONES = `config zone
\toption name 'lan'
\tlist network 'lan'
\toption input 'ACCEPT'
\toption output 'ACCEPT'
\toption forward 'ACCEPT'

config zone
\toption name 'wan'
\tlist network 'wan'
\tlist network 'wan6'
\toption input 'REJECT'
\toption output 'ACCEPT'
\toption forward 'REJECT'
\toption masq '1'
\toption mtu_fix '1'

config forwarding
\toption src 'lan'
\toption dest 'wan'
`;

const MT7621: ScenarioSpec = {
  name: 'mt7621',
  description: 'MT7621 dual-core router (simulated): hardware offload supported by the switch',
  board: 'xiaomi,mi-router-4a-gigabit',
  model: 'Xiaomi Mi Router 4A Gigabit Edition',
  release: 'OpenWrt 25.12.1 r32373-2b8c8c0e4f',
  target: 'ramips/mt7621',
  arch: 'mipsel_24kc',
  kernel: '6.12.58',
  cores: 2,
  firewall: 'fw4',
  devices: [
    { name: 'eth0', hwTc: 'on' },
    { name: 'lan1', hwTc: 'on' },
    { name: 'lan2', hwTc: 'on' },
    { name: 'wan', hwTc: 'on' },
    { name: 'br-lan', lower: ['lan1', 'lan2'], hwTc: 'off [fixed]' },
  ],
  hwOffloadDevices: ['lan1', 'lan2', 'wan'],
  network: NETWORK_DSA,
  firewallZones: ZONES,
  mode: 'off',
  conntrackProc: true,
  conntrackCli: false,
  nft: true,
  ethtool: true,
  lineMbit: 900,
  cpuLimitMbit: 560,
  cost: { off: 16, software: 6.5, hardware: 0.4 },
  // MT7621's switch (mt7530) hangs off eth0 with MediaTek's tag (tag_mtk.c registers "mtk").
  dsa: { conduit: 'eth0', tagging: 'mtk', ports: ['lan1', 'lan2', 'wan'] },
};

function variant(base: ScenarioSpec, over: Partial<ScenarioSpec>): ScenarioSpec {
  return { ...base, ...over };
}

export const SCENARIOS: Record<string, ScenarioSpec> = {
  mt7621: MT7621,
  'mt7621-software': variant(MT7621, { name: 'mt7621-software', mode: 'software' }),
  'mt7621-hardware': variant(MT7621, { name: 'mt7621-hardware', mode: 'hardware' }),
  /** x86 with plain NICs: hardware requested, kernel refuses, fw4 falls back. */
  x86: variant(MT7621, {
    name: 'x86',
    description: 'x86 router without flow-offload hardware (simulated): hardware requests fall back to software',
    board: 'qemu-standard-pc-q35-ich9-2009',
    model: 'QEMU Standard PC (Q35 + ICH9, 2009)',
    target: 'x86/64',
    arch: 'x86_64',
    devices: [
      { name: 'eth0', hwTc: 'off [fixed]' },
      { name: 'eth1', hwTc: 'off [fixed]' },
      { name: 'br-lan', lower: ['eth0'], hwTc: 'off [fixed]' },
    ],
    hwOffloadDevices: [],
    network: NETWORK_DSA.replace("\tlist ports 'lan1'\n\tlist ports 'lan2'", "\tlist ports 'eth0'").replace("option device 'wan'\n\toption proto 'dhcp'", "option device 'eth1'\n\toption proto 'dhcp'").replace("option device 'wan'\n\toption proto 'dhcpv6'", "option device 'eth1'\n\toption proto 'dhcpv6'"),
    lineMbit: 1000,
    cpuLimitMbit: 2000,
    cost: { off: 4, software: 2, hardware: 2 },
  }),
  /**
   * The platform tier's router (test/platform): this machine kind's kernel, which has no
   * flowtables, with lan and wan on veth pairs. The conformance test runs it against the
   * real programs, so its facts are the measured ones (fixtures/platform).
   */
  'host-kernel': variant(MT7621, {
    name: 'host-kernel',
    description: 'x86 host kernel without flowtables (CONFIG_NF_FLOW_TABLE unset), lan and wan on veths (simulated)',
    board: 'qemu-standard-pc-q35-ich9-2009',
    model: 'QEMU Standard PC (Q35 + ICH9, 2009)',
    target: 'x86/64',
    arch: 'x86_64',
    devices: [
      { name: 'lan1', hwTc: 'off [fixed]' },
      { name: 'lan1p', hwTc: 'off [fixed]' },
      { name: 'wan', hwTc: 'off [fixed]' },
      { name: 'wanp', hwTc: 'off [fixed]' },
    ],
    hwOffloadDevices: [],
    network: NETWORK_VETH,
    flowtables: false,
    conntrackCli: true,
    lineMbit: 1000,
    cpuLimitMbit: 2000,
    cost: { off: 4, software: 2, hardware: 2 },
  }),
  /** PPPoE WAN: traffic on pppoe-wan, fw4 puts the underlying `wan` in the flowtable. */
  pppoe: variant(MT7621, {
    name: 'pppoe',
    description: 'MT7621 with a PPPoE WAN (simulated)',
    mode: 'software',
    devices: [...MT7621.devices, { name: 'pppoe-wan', hwTc: null }],
    network: NETWORK_DSA.replace("option device 'wan'\n\toption proto 'dhcp'", "option device 'wan'\n\toption proto 'pppoe'\n\toption username 'user@isp'\n\toption password 'secret'"),
  }),
  /**
   * An old-style bridge (`option type 'bridge'` + `option ifname`, as configs kept across
   * upgrades from 19.07 have it): netifd makes br-lan; the LAN is the bridge, not its first port.
   */
  'old-bridge': variant(MT7621, {
    name: 'old-bridge',
    description: 'MT7621 with an old-style bridge config: type bridge + ifname (simulated)',
    mode: 'software',
    network: NETWORK_DSA.replace("config device\n\toption name 'br-lan'\n\toption type 'bridge'\n\tlist ports 'lan1'\n\tlist ports 'lan2'\n\n", '').replace(
      "config interface 'lan'\n\toption device 'br-lan'",
      "config interface 'lan'\n\toption type 'bridge'\n\toption ifname 'lan1 lan2'",
    ),
  }),
  /**
   * PPPoE with wan6 as the `@wan` alias: the alias runs on pppoe-wan and netifd reports pppoe-wan as its
   * device, so fw4 lists pppoe-wan in the flowtable beside wan (openwrt/openwrt#10224).
   */
  'pppoe-alias': variant(MT7621, {
    name: 'pppoe-alias',
    description: 'MT7621 with a PPPoE WAN and wan6 on @wan (simulated)',
    mode: 'software',
    devices: [...MT7621.devices, { name: 'pppoe-wan', hwTc: null }],
    network: NETWORK_DSA.replace("option device 'wan'\n\toption proto 'dhcp'", "option device 'wan'\n\toption proto 'pppoe'\n\toption username 'user@isp'\n\toption password 'secret'\n\toption ipv6 'auto'").replace(
      "option device 'wan'\n\toption proto 'dhcpv6'",
      "option device '@wan'\n\toption proto 'dhcpv6'",
    ),
  }),
  /**
   * LAN on a VLAN of the DSA bridge (br-lan.1, `config bridge-vlan`), hardware offload: fw4 follows
   * VLAN → bridge → ports, so the hardware flowtable holds lan1, lan2 and wan.
   */
  'vlan-bridge-hw': variant(MT7621, {
    name: 'vlan-bridge-hw',
    description: 'MT7621, LAN on VLAN 1 of the DSA bridge (br-lan.1), hardware offload (simulated)',
    mode: 'hardware',
    devices: [...MT7621.devices, { name: 'br-lan.1', lower: ['br-lan'], hwTc: 'off [fixed]' }],
    network: NETWORK_DSA.replace(
      "config interface 'lan'\n\toption device 'br-lan'",
      "config bridge-vlan\n\toption device 'br-lan'\n\toption vlan '1'\n\tlist ports 'lan1:u*'\n\tlist ports 'lan2:u*'\n\nconfig interface 'lan'\n\toption device 'br-lan.1'",
    ),
  }),
  /** An LTE router: wan is a QMI modem (`option device '/dev/cdc-wdm0'`), its traffic on wwan0. */
  lte: variant(MT7621, {
    name: 'lte',
    description: 'MT7621 with an LTE modem (QMI) as WAN (simulated)',
    mode: 'software',
    devices: [...MT7621.devices.filter((d) => d.name !== 'wan'), { name: 'wwan0', hwTc: 'off [fixed]' }],
    hwOffloadDevices: ['lan1', 'lan2'],
    network: NETWORK_DSA.replace(
      "config interface 'wan'\n\toption device 'wan'\n\toption proto 'dhcp'\n\nconfig interface 'wan6'\n\toption device 'wan'\n\toption proto 'dhcpv6'\n",
      "config interface 'wan'\n\toption device '/dev/cdc-wdm0'\n\toption proto 'qmi'\n\toption apn 'internet'\n\toption pdptype 'ipv4v6'\n",
    ),
  }),
  /**
   * A flowtable the user adds to table inet fw4 through an include (/etc/nftables.d), here one
   * for bridged Wi-Fi traffic; fw4's own ft stays as it is.
   */
  'user-flowtable': variant(MT7621, {
    name: 'user-flowtable',
    description: 'MT7621 with a user flowtable from /etc/nftables.d (simulated)',
    mode: 'software',
    devices: [...MT7621.devices, { name: 'phy0-ap0', hwTc: 'off [fixed]' }],
    extraFiles: {
      'etc/nftables.d/20-bridge-flowtable.nft': '# bridged Wi-Fi flows\nflowtable ft_bridge {\n\thook ingress priority 0;\n\tdevices = { "lan1", "lan2", "phy0-ap0" };\n\tcounter;\n}\n',
    },
  }),
  'no-conntrack-proc': variant(MT7621, { name: 'no-conntrack-proc', mode: 'software', conntrackProc: false, conntrackCli: true }),
  'no-conntrack': variant(MT7621, { name: 'no-conntrack', mode: 'software', conntrackProc: false, conntrackCli: false }),
  fw3: variant(MT7621, { name: 'fw3', description: 'OpenWrt 21.02 with fw3/iptables (simulated)', firewall: 'fw3', nft: false, release: 'OpenWrt 21.02.7 r16847-f8282da11e', kernel: '5.4.238' }),
  sqm: variant(MT7621, {
    name: 'sqm',
    mode: 'software',
    extraConfigs: {
      sqm: "config queue 'eth1'\n\toption enabled '1'\n\toption interface 'wan'\n\toption download '85000'\n\toption upload '10000'\n\toption qdisc 'cake'\n\toption script 'piece_of_cake.qos'\n",
    },
  }),
  wireguard: variant(MT7621, {
    name: 'wireguard',
    mode: 'hardware',
    network: NETWORK_DSA + "\nconfig interface 'wg0'\n\toption proto 'wireguard'\n\toption private_key 'xxxx'\n\tlist addresses '10.9.0.2/24'\n",
  }),
  /** Markup in every text the router hands the panel: it must render as text (issue: inert rendering). */
  hostile: variant(MT7621, {
    name: 'hostile',
    description: 'MT7621 whose names carry HTML (simulated): every one must show as text',
    mode: 'software',
    model: '<script>window.__pwned="model"</script><img src=x onerror="window.__pwned=\'model-img\'">',
    board: '<img src=x onerror="window.__pwned=\'board\'">',
    devices: [...MT7621.devices.filter((d) => d.name !== 'wan'), { name: '<b>wan<b>', hwTc: 'on' }],
    network: NETWORK_DSA.replace("option device 'wan'\n\toption proto 'dhcp'", "option device '<b>wan<b>'\n\toption proto 'dhcp'"),
    fw4Warning: '<img src=x onerror="window.__pwned=\'warning\'"> check your <b>firewall</b>',
    flowSource: '<svg/onload=window.__pwned=7>',
  }),
  'nft-missing': variant(MT7621, { name: 'nft-missing', nft: false }),
  'old-nft': variant(MT7621, { name: 'old-nft', mode: 'software', nftUnquoted: true }),
};

export function firewallConfig(spec: ScenarioSpec): string {
  const off = spec.mode === 'off';
  return (
    'config defaults\n\toption syn_flood \'1\'\n\toption input \'REJECT\'\n\toption output \'ACCEPT\'\n\toption forward \'REJECT\'\n' +
    (off ? '' : "\toption flow_offloading '1'\n") +
    (spec.mode === 'hardware' ? "\toption flow_offloading_hw '1'\n" : '') +
    '\n' + spec.firewallZones
  );
}
