/** Typed API answers for panel tests, shaped like the simulator's mt7621 scenario. */
import type { CpuTimes, Mode, SetResult, StatsResult, StatusResult, FlowsResult } from '../../rpcd/src/api/contract';

export function statusFixture(over: Partial<StatusResult> = {}, mode: Mode = 'off'): StatusResult {
  const ft = mode === 'off' ? null : { family: 'inet', table: 'fw4', name: 'ft', devices: mode === 'hardware' ? ['lan1', 'lan2', 'wan'] : ['br-lan', 'wan'], hw: mode === 'hardware', counter: true };
  return {
    configured: { mode, flow_offloading: mode !== 'off', flow_offloading_hw: mode === 'hardware', error: null },
    effective: {
      state: mode,
      mode,
      reason: mode === 'off' ? 'Flow offloading is off: no flowtable in the running ruleset.' : `${mode === 'hardware' ? 'Hardware' : 'Software'} offloading is active on ${ft?.devices.join(', ')}.`,
      flowtable: ft,
      rule: mode !== 'off',
      other_flowtables: [],
      flows: mode === 'off' ? null : { total: 12, offloaded: mode === 'software' ? 8 : 2, hw_offloaded: mode === 'hardware' ? 6 : 0, source: 'proc' },
      hardware: mode === 'hardware' ? { verdict: 'in-hardware', engine: null } : null,
    },
    topology: { source: 'netifd', error: null },
    devices: [
      { device: 'br-lan', role: 'lan', zones: ['lan'], exists: true, in_flowtable: mode === 'software', flowtables: mode === 'software' ? ['ft'] : [], carried_by: null, hw_tc_offload: false, hw_tc_offload_fixed: true, problems: [] },
      { device: 'wan', role: 'wan', zones: ['wan'], exists: true, in_flowtable: mode !== 'off', flowtables: mode !== 'off' ? ['ft'] : [], carried_by: null, hw_tc_offload: true, hw_tc_offload_fixed: false, problems: [] },
    ],
    module: { nft_flow_offload: true, refcnt: 1 },
    capabilities: { software: { available: true, reason: null }, hardware: { available: true, reason: null } },
    conflicts: [],
    system: { board: 'xiaomi,mi-router-4a-gigabit', model: 'Xiaomi Mi Router 4A Gigabit Edition', release: 'OpenWrt 25.12.1', target: 'ramips/mt7621', arch: 'mipsel_24kc', kernel: '6.12.58', firewall: 'fw4' },
    last_warning: null,
    warnings: [],
    interrupted: null,
    ...over,
  };
}

export function setFixture(requested: Mode, over: Partial<SetResult> = {}, status?: StatusResult): SetResult {
  return { changed: true, previous: 'off', requested, warning: null, reload_ms: 340, recovered: null, status: status ?? statusFixture({}, requested), ...over };
}

export function cpu(busy: number, soft: number, idle: number): CpuTimes {
  return { user: busy - soft, nice: 0, system: 0, idle, iowait: 0, irq: 0, softirq: soft, steal: 0 };
}

export function statsFixture(t: number, over: Partial<StatsResult> = {}): StatsResult {
  return {
    uptime_ms: t,
    hz: 100,
    cpu: { total: cpu(200, 100, 1000), cores: [cpu(100, 50, 500), cpu(100, 50, 500)] },
    devices: [
      { device: 'wan', role: 'wan', rx_bytes: 1000, tx_bytes: 100, rx_packets: 1, tx_packets: 1 },
      { device: 'br-lan', role: 'lan', rx_bytes: 100, tx_bytes: 1000, rx_packets: 1, tx_packets: 1 },
    ],
    conntrack: { count: 144, max: 16384, offloaded: 6, hw_offloaded: 0, scanned: 144, source: 'proc', error: null },
    counters: { source: 'netdev', misses_hw: false, roles: 'netifd', hw: null },
    ...over,
  };
}

export function flowsFixture(): FlowsResult {
  return {
    flows: [
      { l3: 'ipv4', proto: 'tcp', src: '192.168.1.120', dst: '151.x.x.12', sport: 40000, dport: 443, bytes: 123456789, packets: 90000, tcp_state: 'ESTABLISHED', offload: 'software', why_not: null },
      { l3: 'ipv4', proto: 'udp', src: '192.168.1.121', dst: '9.9.9.9', sport: 5353, dport: 53, bytes: 300, packets: 2, tcp_state: null, offload: 'none', why_not: 'DNS to the router is not forwarded' },
    ],
    total: 144,
    offloaded: 1,
    hw_offloaded: 0,
    source: 'proc',
    error: null,
    masked: true,
  };
}

/** The texts `file.read` returns for one poll. */
export function procStat(cores: [number, number, number][]): string {
  const sum = cores.reduce((a, c) => [a[0] + c[0], a[1] + c[1], a[2] + c[2]], [0, 0, 0]);
  const line = (label: string, [busy, soft, idle]: number[]): string => `${label} ${(busy ?? 0) - (soft ?? 0)} 0 0 ${idle} 0 0 ${soft} 0 0 0`;
  return [line('cpu ', sum), ...cores.map((c, i) => line(`cpu${i}`, c))].join('\n') + '\nintr 1 2 3\n';
}
