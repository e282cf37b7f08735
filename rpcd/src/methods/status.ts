/** `status`: configured vs effective state, devices, module, capabilities, conflicts, system facts. */
import type { StatusResult, DeviceInfo, DeviceProblem, Capability, Conflict, Mode } from '../api/contract';
import { uciShow, configuredMode } from '../sys/config';
import { readRuleset, probeHardware } from '../sys/ruleset';
import { systemFacts, moduleState, deviceExists, lowerDevices, hwTcOffload } from '../sys/facts';
import { exists } from '../sys/fs';
import { readZones, zoneNetworks, type Zone, type ZoneNetwork } from '../calc/topology';
import { deriveState } from '../calc/state';
import { findConflicts } from '../calc/conflicts';
import { readLastWarning, readJournal } from '../sys/journal';
import type { UciSection } from '../parse/uci';

interface DeviceInput {
  zones: Zone[];
  nets: ZoneNetwork[];
  ftDevices: string[] | null;
  mode: Mode;
  present: (d: string) => boolean;
  lower: (d: string) => string[];
  hwtc: (d: string) => { on: boolean; fixed: boolean } | null;
}

/** Every device that matters, with what is wrong with it. */
export function analyseDevices(i: DeviceInput): DeviceInfo[] {
  const byDev = new Map<string, DeviceInfo>();
  const roleOf = new Map(i.zones.map((z) => [z.name, z.role] as const));
  const add = (device: string, zone: string | null): DeviceInfo => {
    let d = byDev.get(device);
    if (!d) {
      d = { device, role: 'other', zones: [], exists: i.present(device), in_flowtable: false, hw_tc_offload: null, hw_tc_offload_fixed: false, problems: [] };
      byDev.set(device, d);
    }
    if (zone && !d.zones.includes(zone)) {
      d.zones.push(zone);
      const r = roleOf.get(zone) ?? 'other';
      if (d.role === 'other') d.role = r;
    }
    return d;
  };
  const problem = (d: DeviceInfo, p: DeviceProblem): void => {
    if (!d.problems.includes(p)) d.problems.push(p);
  };
  const ft = i.ftDevices ? new Set(i.ftDevices) : null;
  const covered = (dev: string): boolean => {
    if (!ft) return false;
    if (ft.has(dev)) return true;
    const low = i.lower(dev);
    return low.length > 0 && low.every((l) => ft.has(l));
  };
  for (const n of i.nets) {
    if (n.physdev) {
      const d = add(n.physdev, n.zone);
      if (!d.exists) problem(d, 'not-present');
      d.in_flowtable = covered(n.physdev);
      if (ft && d.exists && !d.in_flowtable) problem(d, 'missing-from-flowtable');
    }
    if (n.l3dev && n.l3dev !== n.physdev) {
      const d = add(n.l3dev, n.zone);
      d.in_flowtable = covered(n.l3dev);
      // PPPoE: traffic runs on pppoe-wan, but fw4 lists the underlying device (firewall4#100).
      if (ft && !d.in_flowtable && n.l3dev.startsWith('ppp')) problem(d, 'pppoe-l3-device');
      if (!d.exists && !n.l3dev.startsWith('ppp')) problem(d, 'not-present');
    }
  }
  if (ft) {
    for (const dev of ft) {
      const known = byDev.get(dev);
      if (known) continue;
      // A bridge member is covered through its bridge.
      const parent = [...byDev.values()].find((d) => i.lower(d.device).includes(dev));
      const d = add(dev, null);
      d.in_flowtable = true;
      d.zones = parent ? [...parent.zones] : [];
      d.role = parent ? parent.role : 'other';
      if (!parent) problem(d, 'not-in-any-zone');
    }
  }
  for (const d of byDev.values()) {
    if (!d.exists) continue;
    const hw = i.hwtc(d.device);
    if (hw) {
      d.hw_tc_offload = hw.on;
      d.hw_tc_offload_fixed = hw.fixed;
      if (i.mode === 'hardware' && !hw.on && ft?.has(d.device)) problem(d, 'no-hw-tc-offload');
    }
  }
  return [...byDev.values()];
}

function capabilities(firewall: string, moduleLoaded: boolean, moduleFile: boolean, hwProbe: { ok: boolean; error: string | null } | null): { software: Capability; hardware: Capability } {
  if (firewall !== 'fw4') {
    const reason = firewall === 'fw3' ? 'fw3/iptables firewall: this app needs firewall4' : 'firewall4 is not installed';
    return { software: { available: false, reason }, hardware: { available: false, reason } };
  }
  const software: Capability = moduleLoaded || moduleFile
    ? { available: true, reason: null }
    : { available: false, reason: 'kernel module nft_flow_offload is not available (install kmod-nft-offload)' };
  if (!software.available) return { software, hardware: { available: false, reason: 'needs software offloading first' } };
  const hardware: Capability = hwProbe === null
    ? { available: false, reason: 'no zone device to test' }
    : hwProbe.ok
      ? { available: true, reason: null }
      : { available: false, reason: `the kernel refused a hardware flowtable on these devices (${hwProbe.error ?? 'no reason given'}); fw4 would fall back to software` };
  return { software, hardware };
}

/**
 * @param rulesetRead the running ruleset when the caller already has it (diagnostics), so
 *   `nft list` runs once per call.
 */
export function status(rulesetRead?: ReturnType<typeof readRuleset>): StatusResult {
  const system = systemFacts();
  const fw = uciShow('firewall');
  const net = uciShow('network');
  const configured = configuredMode(fw.sections);
  const zones = readZones(fw.sections);
  const nets = zoneNetworks(zones, net.sections);
  const warnings: string[] = [];
  if (fw.error) warnings.push(fw.error);
  if (net.error) warnings.push(net.error);
  if (configured.defaultsCount > 1) warnings.push(`The firewall config has ${configured.defaultsCount} defaults sections; fw4 uses the last one.`);

  const ruleset = system.firewall === 'fw4'
    ? rulesetRead ?? readRuleset()
    : { readable: false, error: null, nftMissing: false, flowtable: null, rule: false, text: '' };
  const mod = moduleState();
  const last = readLastWarning();
  // Bridge/VLAN members from sysfs, read once per device for this call.
  const lowerCache = new Map<string, string[]>();
  const lower = (d: string): string[] => {
    let l = lowerCache.get(d);
    if (!l) lowerCache.set(d, (l = lowerDevices(d)));
    return l;
  };
  const physdevs = [...new Set(nets.map((n) => n.physdev).filter((d): d is string => !!d && deviceExists(d)))];
  const effective = deriveState({
    firewall: system.firewall,
    configured: configured.mode,
    configError: fw.error,
    ruleset,
    existingZoneDevices: physdevs.length,
    lastWarning: last?.text ?? null,
  });

  const devices = analyseDevices({
    zones,
    nets,
    ftDevices: ruleset.flowtable?.devices ?? null,
    mode: effective.mode,
    present: deviceExists,
    lower,
    hwtc: hwTcOffload,
  });

  // Hardware capability: the same nft -c probe fw4 runs, on the devices fw4 would use.
  let hwProbe: { ok: boolean; error: string | null } | null = null;
  if (system.firewall === 'fw4' && !ruleset.nftMissing && physdevs.length) {
    const lowered = [...new Set(physdevs.flatMap((d) => (lower(d).length ? lower(d) : [d])))].sort();
    hwProbe = effective.state === 'hardware' ? { ok: true, error: null } : probeHardware(lowered);
  }
  const moduleFile = kernelModuleFile(system.kernel);
  const caps = capabilities(system.firewall, mod.nft_flow_offload, moduleFile, hwProbe);

  const journal = readJournal();
  if (journal) warnings.push(journal.detail);

  return {
    configured: { mode: configured.mode, flow_offloading: configured.flow_offloading, flow_offloading_hw: configured.flow_offloading_hw, error: fw.error },
    effective: { state: effective.state, mode: effective.mode, reason: effective.reason, flowtable: ruleset.flowtable, rule: ruleset.rule },
    devices,
    module: mod,
    capabilities: caps,
    conflicts: conflictsNow(configured.mode, net.sections),
    system,
    last_warning: last,
    warnings,
    interrupted: journal,
  };
}

function kernelModuleFile(kernel: string | null): boolean {
  return kernel !== null && exists(`/lib/modules/${kernel}/nft_flow_offload.ko`);
}

function conflictsNow(mode: Mode, network: UciSection[]): Conflict[] {
  const show = (cfg: string): UciSection[] => (exists(`/etc/config/${cfg}`) ? uciShow(cfg).sections : []);
  return findConflicts({
    mode,
    sqm: show('sqm'),
    qosify: exists('/etc/config/qosify') ? show('qosify') : null,
    qosifyRunning: exists('/sys/fs/bpf/qosify_data') || exists('/sys/fs/bpf/qosify'),
    nftQos: show('nft-qos'),
    network,
  });
}
