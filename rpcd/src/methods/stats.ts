/**
 * `stats`: one call per poll. Reads files only — no process is started, except
 * `ethtool -S` on the WAN ports while hardware-offloaded flows exist and grep
 * over a conntrack table of 2048 entries or more — so its cost stays near the
 * floor of starting QuickJS. Counting offloaded flows
 * scans the conntrack table; the panel asks for it at a slower cadence.
 *
 * What only some calls need — asking netifd when the role cache is stale, the switch counters,
 * grep or `conntrack -L` — is behind `StatsSlowPath` (methods/stats-slow.ts): main.ts compiles
 * this module with the handler and that one only when a call needs it, because QuickJS compiles
 * every line of a module before running it and that compile was most of a call's cost (issue 17:
 * the module `stats` compiled was 20 KB; empty qjs 2.1 ms CPU, `list` on it 4.7 ms).
 */
import type { StatsArgs, StatsResult, DeviceCounters, ConntrackCounts } from '../api/contract';
import * as os from 'os';
import { readText } from '../sys/fs';
import { conntrackCount, countSmallTable, type TableCounts } from '../sys/conntrack';
import { parseProcStat } from '../parse/proc-stat';
import { parseNetDev, parseDefaultRouteDevices } from '../parse/net-dev';
import { fileStamp, readRolesCache, type CachedRoles } from '../sys/netifd';
import type { TopologySource, HwCounters } from '../api/contract';

const ZERO = { user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0 };

/** The parts of `stats` that start processes or need the topology code (methods/stats-slow.ts). */
export interface StatsSlowPath {
  /** The role devices from netifd (uci when netifd does not answer), stored under `key`. */
  freshRoles(key: string, devices: string[]): { roles: CachedRoles; source: TopologySource };
  /** The WAN ports' switch counters and rates (ethtool -S), null when none has byte counters. */
  hwCounters(ports: string[], atMs: number): HwCounters | null;
  /** The conntrack table counted when countSmallTable cannot (grep, conntrack -L, unreadable). */
  countTable(count: number | null): { ok: true; counts: TableCounts } | { ok: false; error: string };
}

/**
 * WAN and LAN devices: the L3 devices of the zones' networks as netifd reports them (fw4's own
 * source); the uci configs only when netifd cannot be asked; the default route when the zones name
 * none that exist. netifd is asked only when the firewall or network config or the set of devices
 * changed since the last answer (a file in /var/run keyed by those), never on every poll.
 * @param devices the devices that exist now (from /proc/net/dev, already read by the caller)
 */
export function resolveRoles(devices: string[], slow: StatsSlowPath): { wan: string[]; lan: string[]; wanPorts: string[]; source: TopologySource } {
  const key = `${fileStamp('/etc/config/firewall')}|${fileStamp('/etc/config/network')}|${[...devices].sort().join(',')}`;
  const present = (d: string): boolean => devices.includes(d);
  const cached = readRolesCache(key);
  const { roles: r, source } = cached ? { roles: cached, source: 'netifd' as const } : slow.freshRoles(key, devices);
  let wan = r.wan.filter(present);
  const lan = r.lan.filter(present);
  if (wan.length === 0) wan = parseDefaultRouteDevices(readText('/proc/net/route') ?? '').filter((d) => present(d) && !lan.includes(d));
  return { wan, lan, wanPorts: r.wanPorts.filter(present), source };
}

export function stats(args: StatsArgs, slow: StatsSlowPath): StatsResult {
  const uptime = Number.parseFloat((readText('/proc/uptime') ?? '').split(' ')[0] ?? '');
  const cpu = parseProcStat(readText('/proc/stat') ?? '');
  const netdev = parseNetDev(readText('/proc/net/dev') ?? '');
  const roles = resolveRoles(Object.keys(netdev), slow);
  const devices: DeviceCounters[] = [];
  for (const role of ['wan', 'lan'] as const) {
    for (const device of roles[role]) {
      const c = netdev[device];
      if (c) devices.push({ device, role, rx_bytes: c.rx_bytes, tx_bytes: c.tx_bytes, rx_packets: c.rx_packets, tx_packets: c.tx_packets });
    }
  }
  const { count, max } = conntrackCount();
  let conntrack: ConntrackCounts = { count, max, offloaded: null, hw_offloaded: null, scanned: null, source: 'skipped', error: null };
  if (args.flows !== false) {
    const small = countSmallTable(count);
    const t = small ? { ok: true as const, counts: small } : slow.countTable(count);
    if (!t.ok) conntrack = { ...conntrack, source: 'none', error: t.error };
    else {
      const c = t.counts;
      conntrack = { ...conntrack, offloaded: c.offloaded, hw_offloaded: c.hw_offloaded, scanned: c.total, source: c.source };
      if (conntrack.count === null) conntrack.count = c.total;
    }
  }
  // CLOCK_MONOTONIC (os.now) counts from boot like /proc/uptime: never the wall clock, which
  // jumps when NTP sets it and made the panel drop every later sample (issue 14).
  const uptimeMs = Number.isFinite(uptime) ? Math.round(uptime * 1000) : Math.round(os.now());
  const missesHw = (conntrack.hw_offloaded ?? 0) > 0;
  return {
    uptime_ms: uptimeMs,
    hz: 100,
    cpu: { total: cpu.total ?? ZERO, cores: cpu.cores },
    devices,
    conntrack,
    // Hardware-forwarded packets never reach the kernel's device counters (real-programs.md §5).
    counters: { source: 'netdev', misses_hw: missesHw, roles: roles.source, hw: missesHw ? slow.hwCounters(roles.wanPorts, uptimeMs) : null },
  };
}
