/**
 * The slow path of `stats` (methods/stats.ts StatsSlowPath): what a call needs only when the role
 * cache is stale, hardware-offloaded flows exist, or the conntrack table is large or not a /proc
 * file. Compiled with the other methods, only when a call gets here (main.ts).
 */
import type { HwCounters, TopologySource } from '../api/contract';
import type { StatsSlowPath } from './stats';
import { uciFile } from '../sys/config';
import { countTable } from '../sys/conntrack';
import { readZones, zoneNetworks, zoneNetworksFromNetifd, roleDevices, wanPorts } from '../calc/topology';
import { interfaceDump, writeRolesCache, type CachedRoles } from '../sys/netifd';
import { sysfsDevtype, lowerDevices } from '../sys/facts';
import { portBytes, readMibReading, writeMibReading } from '../sys/switch-counters';
import { hwCounters } from '../calc/hardware';

function freshRoles(key: string, devices: string[]): { roles: CachedRoles; source: TopologySource } {
  const present = (d: string): boolean => devices.includes(d);
  const zones = readZones(uciFile('firewall'));
  // The kernel's DEVTYPE is what netifd reports as devtype: lowering needs no second netifd call.
  const view = { exists: present, devtype: sysfsDevtype, lower: lowerDevices };
  const dump = interfaceDump();
  if (!dump.ok) {
    const nets = zoneNetworks(zones, uciFile('network'));
    return { roles: { ...roleDevices(zones, nets), wanPorts: wanPorts(zones, nets, view) }, source: 'uci' };
  }
  const nets = zoneNetworksFromNetifd(zones, dump.value);
  const roles = { ...roleDevices(zones, nets), wanPorts: wanPorts(zones, nets, view) };
  writeRolesCache(key, roles);
  return { roles, source: 'netifd' };
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

export const statsSlow: StatsSlowPath = { freshRoles, hwCounters: wanHardwareCounters, countTable };
