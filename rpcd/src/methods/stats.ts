/**
 * `stats`: one call per poll. Reads files only — no process is started, except
 * `ethtool -S` on the WAN ports while hardware-offloaded flows exist and grep
 * over a conntrack table of 2048 entries or more — so its cost stays near the
 * floor of starting QuickJS. Counting offloaded flows
 * scans the conntrack table; the panel asks for it at a slower cadence.
 */
import type { StatsArgs, StatsResult, DeviceCounters, ConntrackCounts } from '../api/contract';
import * as os from 'os';
import { readText } from '../sys/fs';
import { uciFile } from '../sys/config';
import { countTable, conntrackCount } from '../sys/conntrack';
import { parseProcStat } from '../parse/proc-stat';
import { parseNetDev, parseDefaultRouteDevices } from '../parse/net-dev';
import { readZones, zoneNetworks, zoneNetworksFromNetifd, roleDevices, wanPorts } from '../calc/topology';
import { interfaceDump, fileStamp, readRolesCache, writeRolesCache, type CachedRoles } from '../sys/netifd';
import { sysfsDevtype, lowerDevices } from '../sys/facts';
import { portBytes, readMibReading, writeMibReading } from '../sys/switch-counters';
import { hwCounters } from '../calc/hardware';
import type { TopologySource, HwCounters } from '../api/contract';

const ZERO = { user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0 };

/**
 * WAN and LAN devices: the L3 devices of the zones' networks as netifd reports them (fw4's own
 * source); the uci configs only when netifd cannot be asked; the default route when the zones name
 * none that exist. netifd is asked only when the firewall or network config or the set of devices
 * changed since the last answer (a file in /var/run keyed by those), never on every poll.
 * @param devices the devices that exist now (from /proc/net/dev, already read by the caller)
 */
export function resolveRoles(devices: string[]): { wan: string[]; lan: string[]; wanPorts: string[]; source: TopologySource } {
  const key = `${fileStamp('/etc/config/firewall')}|${fileStamp('/etc/config/network')}|${[...devices].sort().join(',')}`;
  const present = (d: string): boolean => devices.includes(d);
  const finish = (r: CachedRoles, source: TopologySource) => {
    let wan = r.wan.filter(present);
    const lan = r.lan.filter(present);
    if (wan.length === 0) wan = parseDefaultRouteDevices(readText('/proc/net/route') ?? '').filter((d) => present(d) && !lan.includes(d));
    return { wan, lan, wanPorts: r.wanPorts.filter(present), source };
  };
  const cached = readRolesCache(key);
  if (cached) return finish(cached, 'netifd');
  const zones = readZones(uciFile('firewall'));
  // The kernel's DEVTYPE is what netifd reports as devtype: lowering needs no second netifd call.
  const view = { exists: present, devtype: sysfsDevtype, lower: lowerDevices };
  const dump = interfaceDump();
  if (!dump.ok) {
    const nets = zoneNetworks(zones, uciFile('network'));
    return finish({ ...roleDevices(zones, nets), wanPorts: wanPorts(zones, nets, view) }, 'uci');
  }
  const nets = zoneNetworksFromNetifd(zones, dump.value);
  const roles = { ...roleDevices(zones, nets), wanPorts: wanPorts(zones, nets, view) };
  writeRolesCache(key, roles);
  return finish(roles, 'netifd');
}

/**
 * The WAN ports' switch counters, read only while hardware-offloaded flows exist (one `ethtool -S`
 * per port, every stats call with a flow count: every 5 s from the panel); rates from the previous
 * reading kept in /var/run. Null when no port has switch byte counters.
 */
function wanHardwareCounters(ports: string[], atMs: number): HwCounters | null {
  let rx = 0;
  let tx = 0;
  let names: string | null = null;
  const read: string[] = [];
  for (const p of ports) {
    const b = portBytes(p);
    if (!b || (names !== null && b.counters !== names)) continue;
    names = b.counters;
    rx += b.rx_bytes;
    tx += b.tx_bytes;
    read.push(p);
  }
  if (names === null) return null;
  const cur = { ports: read, counters: names, rx_bytes: rx, tx_bytes: tx, at_ms: atMs };
  const out = hwCounters(cur, readMibReading());
  writeMibReading(cur);
  return out;
}

export function stats(args: StatsArgs): StatsResult {
  const uptime = Number.parseFloat((readText('/proc/uptime') ?? '').split(' ')[0] ?? '');
  const cpu = parseProcStat(readText('/proc/stat') ?? '');
  const netdev = parseNetDev(readText('/proc/net/dev') ?? '');
  const roles = resolveRoles(Object.keys(netdev));
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
    const t = countTable(count);
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
    counters: { source: 'netdev', misses_hw: missesHw, roles: roles.source, hw: missesHw ? wanHardwareCounters(roles.wanPorts, uptimeMs) : null },
  };
}
