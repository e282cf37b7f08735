/** `status`: configured vs effective state, devices, module, capabilities, conflicts, system facts. */
import type { StatusResult, Capability, Conflict, Mode, FlowEvidence, TopologySource, EngineView, Message } from '../api/contract';
import { msg } from '../calc/message';
import { uciShow, configuredMode } from '../sys/config';
import { readRuleset, probeHardware } from '../sys/ruleset';
import { systemFacts, moduleState, deviceExists, lowerDevices, hwTcOffload, sysfsDevtype } from '../sys/facts';
import { exists } from '../sys/fs';
import { interfaceDump, deviceStatus } from '../sys/netifd';
import type { NetifdDevice } from '../parse/netifd';
import { countTable, conntrackCount } from '../sys/conntrack';
import { readPpe } from '../sys/ppe';
import { readZones, zoneNetworks, zoneNetworksFromNetifd, flowtableDevices, type Zone, type ZoneNetwork, type LowerView } from '../calc/topology';
import { analyseDevices } from '../calc/devices';
import { hardwareProof, hardwareReason } from '../calc/hardware';
import { deriveState } from '../calc/state';
import { findConflicts } from '../calc/conflicts';
import { readLastWarning, readJournal } from '../sys/journal';
import type { UciSection } from '../parse/uci';

/** A capability, with its reason as text and as a translatable message. */
function capability(available: boolean, reason: Message | null): Capability {
  return { available, reason: reason?.text ?? null, reason_msg: reason };
}

function capabilities(firewall: string, moduleLoaded: boolean, moduleFile: boolean, hwProbe: { ok: boolean; error: string | null } | null): { software: Capability; hardware: Capability } {
  if (firewall !== 'fw4') {
    const reason = firewall === 'fw3' ? msg('fw3/iptables firewall: this app needs firewall4') : msg('firewall4 is not installed');
    return { software: capability(false, reason), hardware: capability(false, reason) };
  }
  const software = moduleLoaded || moduleFile ? capability(true, null) : capability(false, msg('kernel module nft_flow_offload is not available (install kmod-nft-offload)'));
  if (!software.available) return { software, hardware: capability(false, msg('needs software offloading first')) };
  const hardware = hwProbe === null
    ? capability(false, msg('no zone device to test'))
    : hwProbe.ok
      ? capability(true, null)
      : capability(false, msg('the kernel refused a hardware flowtable on these devices (%s); fw4 would fall back to software', hwProbe.error ?? 'no reason given'));
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
  const topo = zoneTopology(zones, net.sections);
  const nets = topo.nets;
  const warnings: string[] = [];
  if (fw.error) warnings.push(fw.error);
  if (net.error) warnings.push(net.error);
  if (topo.source === 'uci') warnings.push(`netifd could not be asked (${topo.error ?? 'no answer'}), so the zone devices are read from /etc/config/network; fw4 itself takes them only from netifd.`);
  if (configured.defaultsCount > 1) warnings.push(`The firewall config has ${configured.defaultsCount} defaults sections; fw4 uses the last one.`);

  const ruleset = system.firewall === 'fw4'
    ? rulesetRead ?? readRuleset()
    : { readable: false, error: null, nftMissing: false, flowtable: null, rule: false, text: '', others: [] };
  const mod = moduleState();
  const last = readLastWarning();
  const view = topo.view;
  const physdevs = [...new Set(nets.map((n) => n.physdev).filter((d): d is string => !!d && view.exists(d)))];
  const derived = deriveState({
    firewall: system.firewall,
    configured: configured.mode,
    configError: fw.error,
    ruleset,
    existingZoneDevices: physdevs.length,
    lastWarning: last?.text ?? null,
  });
  const flows = ruleset.readable ? flowEvidence() : null;
  // The engine's own table only when hardware offload runs: reading it costs up to a parse of every entry.
  const proof = hardwareProof(derived.state, flows, derived.state === 'hardware' ? engineView() : null);
  const effective = { ...derived, reason: hardwareReason(derived.reason, proof, flows) };

  const devices = analyseDevices({
    zones,
    nets,
    ft: ruleset.flowtable,
    extra: ruleset.others,
    mode: effective.mode,
    view,
    hwtc: hwTcOffload,
    offloadedFlows: flows ? flows.offloaded + flows.hw_offloaded : null,
  });

  // Hardware capability: the same nft -c probe fw4 runs, on the devices fw4 would use (bridges and VLANs lowered).
  let hwProbe: { ok: boolean; error: string | null } | null = null;
  if (system.firewall === 'fw4' && !ruleset.nftMissing && physdevs.length) {
    const lowered = flowtableDevices(nets, true, view);
    hwProbe = effective.state === 'hardware' ? { ok: true, error: null } : lowered.length ? probeHardware(lowered) : null;
  }
  const moduleFile = kernelModuleFile(system.kernel);
  const caps = capabilities(system.firewall, mod.nft_flow_offload, moduleFile, hwProbe);

  const journal = readJournal();
  if (journal) warnings.push(journal.detail);

  return {
    configured: { mode: configured.mode, flow_offloading: configured.flow_offloading, flow_offloading_hw: configured.flow_offloading_hw, error: fw.error },
    effective: { state: effective.state, mode: effective.mode, reason: effective.reason.text, reason_msg: effective.reason, flowtable: ruleset.flowtable, rule: ruleset.rule, other_flowtables: ruleset.others, flows, hardware: proof },
    devices,
    topology: { source: topo.source, error: topo.error },
    module: mod,
    capabilities: caps,
    conflicts: conflictsNow(configured.mode, net.sections),
    system,
    last_warning: last,
    warnings,
    interrupted: journal,
  };
}

/**
 * The zone networks from netifd, as fw4 takes them; from the uci network config only when netifd
 * cannot be asked. Device facts are read once per device for this call.
 */
function zoneTopology(zones: Zone[], network: Parameters<typeof zoneNetworks>[1]): { nets: ZoneNetwork[]; source: TopologySource; error: string | null; view: LowerView } {
  const memo = <T>(f: (d: string) => T): ((d: string) => T) => {
    const m = new Map<string, T>();
    return (d) => {
      if (!m.has(d)) m.set(d, f(d));
      return m.get(d) as T;
    };
  };
  const dump = interfaceDump();
  let devtypes: Map<string, NetifdDevice> | null | undefined;
  // fw4 asks netifd (network.device status) — one call, and only when a device's type matters.
  const devices = (): Map<string, NetifdDevice> | null => {
    if (dump.ok && devtypes === undefined) {
      const r = deviceStatus();
      devtypes = r.ok ? r.value : null;
    }
    return devtypes ?? null;
  };
  const view: LowerView = {
    exists: memo(deviceExists),
    lower: memo(lowerDevices),
    devtype: memo((d) => devices()?.get(d)?.devtype ?? sysfsDevtype(d)),
    vlanPorts: memo((d) => {
      const m = /^(.+)\.(\d+)$/.exec(d);
      return m ? devices()?.get(m[1] as string)?.vlans.get(Number(m[2])) ?? null : null;
    }),
  };
  if (dump.ok) return { nets: zoneNetworksFromNetifd(zones, dump.value), source: 'netifd', error: null, view };
  return { nets: zoneNetworks(zones, network), source: 'uci', error: dump.error, view };
}

/** The hardware flow engine's table (MediaTek/Airoha PPE debugfs); null: no engine view on this target. */
function engineView(): EngineView | null {
  const v = readPpe();
  if (!v) return null;
  const c = v.counts;
  const error = v.sources.map((x) => x.error).find((e) => e) ?? null;
  return { name: v.engine, path: v.path, bound: c?.bound ?? 0, total: c?.total ?? 0, by_state: c ? { ...c.byState } : {}, error: c ? null : error ?? 'unreadable' };
}

/** The conntrack table counted once: the evidence of what is offloaded. */
function flowEvidence(): FlowEvidence | null {
  const t = countTable(conntrackCount().count);
  if (!t.ok) return null;
  const c = t.counts;
  return { total: c.total, offloaded: c.offloaded, hw_offloaded: c.hw_offloaded, source: c.source };
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
