/** `diagnostics`: one Markdown report with what forum helpers ask for (offload-domain.md §7.2, issue 16 #5). */
import { cpuBusy } from '../calc/cpu';
import type { DiagnosticsArgs, DiagnosticsResult, StatusResult, StatsResult, FlowsResult, DeviceProblem, HardwareVerdict } from '../api/contract';
import { APP_VERSION } from '../api/contract';
import { maskText } from '../calc/mask';
import { formatBits, formatBytes, counterRate } from '../calc/rates';
import { interfaceDump, type NetifdRead } from '../sys/netifd';
import { readCounters, sleepMs, nowMs, loadedModules, dsaSwitches, type CounterReading, type DsaSwitch } from '../sys/report-facts';
import { offloadModules, type ProcModule } from '../parse/proc-modules';
import type { NetifdInterface } from '../parse/netifd';

/** The live figures are measured over at least this long (the report's own work counts towards it). */
const LIVE_WINDOW_MS = 1000;

function yesNo(b: boolean | null): string {
  return b === null ? 'unknown' : b ? 'yes' : 'no';
}

function inFlowtable(d: StatusResult['devices'][number]): string {
  if (d.carried_by) return `through ${cell(d.carried_by)}`;
  if (!d.in_flowtable) return 'no';
  return d.flowtables.length === 1 && d.flowtables[0] === 'ft' ? 'yes' : `yes (${d.flowtables.map(cell).join(', ')})`;
}

/** What each device problem code in the report's table means and what to do (the panel says the same in the user's language). */
export const PROBLEM_WORDS: Record<DeviceProblem, string> = {
  'missing-from-flowtable': 'carries zone traffic but is not in the flowtable, so its connections are not offloaded; reload the firewall (fw4 reload) after the device came up.',
  'not-present': 'does not exist on the router (interface down or renamed).',
  'pppoe-l3-device': 'PPPoE link not in the flowtable and no offloaded flow shows its traffic going through the underlying device; an IPv6 interface on @wan (option device \'@wan\') makes fw4 add the PPPoE device to the flowtable.',
  'not-in-any-zone': 'is in the flowtable but in no firewall zone.',
  'no-hw-tc-offload': 'the driver does not offer hw-tc-offload, so this device cannot offload in hardware.',
};

const VERDICT_WORDS: Record<HardwareVerdict, string> = {
  'in-hardware': 'flows are in the hardware engine ([HW_OFFLOAD] in the conntrack table)',
  'none-in-hardware': 'flows are offloaded, but none of them in hardware (flags offload alone is no proof)',
  'no-offloaded-flows': 'no flow is offloaded yet, so nothing shows whether the hardware carries them',
  unknown: 'unknown: the conntrack table could not be read',
};

const SOURCE_WORDS: Record<FlowsResult['source'], string> = {
  proc: 'read from /proc/net/nf_conntrack',
  'conntrack-cli': 'read with conntrack -L',
  none: 'the conntrack table is not readable',
  skipped: 'not counted',
};

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

/** 25586785 → 25,586,785 */
function grouped(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function hwTc(v: { on: boolean; fixed: boolean } | null): string {
  return v === null ? 'unknown' : `${v.on ? 'on' : 'off'}${v.fixed ? ' [fixed]' : ''}`;
}

/** A collapsible part for the forum; the blank lines let the Markdown inside render. */
function details(r: string[], summary: string, body: string[]): void {
  r.push('', `<details><summary>${summary}</summary>`, '', ...body, '', '</details>');
}

/** The flowtable block and offload rule lines from an `nft list table` text. */
export function rulesetExcerpt(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let depth = -1;
  for (const line of lines) {
    if (depth < 0 && /^\s*flowtable\s+\S+\s*\{/.test(line)) depth = 0;
    if (depth >= 0) {
      out.push(line.replace(/\s+$/, ''));
      depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
      if (depth <= 0) depth = -1;
      continue;
    }
    if (/\bflow (add|offload) @/.test(line)) out.push(line.replace(/\s+$/, ''));
  }
  return out.join('\n');
}

/** CPU and WAN throughput between two readings taken while the report was made. */
export interface LiveFigures {
  seconds: number;
  busyPct: number;
  softirqPct: number;
  /** Summed over the WAN devices, bit/s; null when a device's counter is missing or went backwards. */
  rxBps: number | null;
  txBps: number | null;
}

/** Null when no time or no CPU time passed between the readings (nothing to report). Pure. */
export function liveFigures(a: CounterReading, b: CounterReading, wan: string[]): LiveFigures | null {
  const dt = a.uptime_ms !== null && b.uptime_ms !== null ? b.uptime_ms - a.uptime_ms : 0;
  if (!(dt > 0) || !a.cpu || !b.cpu) return null;
  // the panel's own CPU arithmetic (a column going backwards gives no figure, not a negative one)
  const cpu = cpuBusy(a.cpu, b.cpu);
  if (!(cpu.total > 0)) return null;
  const sum = (k: 'rx_bytes' | 'tx_bytes'): number | null => {
    let bps = 0;
    for (const d of wan) {
      const r = a.netdev[d] && b.netdev[d] ? counterRate(a.netdev[d][k], b.netdev[d][k], dt) : null;
      if (r === null) return null;
      bps += r * 8;
    }
    return wan.length ? bps : null;
  };
  return { seconds: dt / 1000, busyPct: cpu.busyPct, softirqPct: cpu.softirqPct, rxBps: sum('rx_bytes'), txBps: sum('tx_bytes') };
}

/** Facts only the report shows; each is left out of the report when not given. */
export interface ReportExtras {
  /** netifd's `network.interface dump`, for the WAN interfaces' protocols. */
  interfaces?: NetifdRead<NetifdInterface[]>;
  live?: LiveFigures | null;
  /** /proc/modules, or null when unreadable. */
  modules?: ProcModule[] | null;
  dsa?: DsaSwitch[];
}

function wanLine(s: StatusResult, r: NetifdRead<NetifdInterface[]>): string {
  if (!r.ok) return `unknown (netifd could not be asked: ${cell(r.error)})`;
  const wan = new Set(s.devices.filter((d) => d.role === 'wan').map((d) => d.device));
  const ifs = r.value.filter((i) => (i.l3_device !== null && wan.has(i.l3_device)) || (i.device !== null && wan.has(i.device)));
  if (!ifs.length) return 'no interface on a WAN zone device in netifd';
  return ifs.map((i) => `${cell(i.name)}: ${cell(i.proto ?? 'unknown protocol')} on ${cell(i.l3_device ?? i.device ?? 'no device')}${i.up ? '' : ' (down)'}`).join('; ');
}

function liveLine(l: LiveFigures | null, missesHw: boolean): string {
  if (!l) return '- At report time: not measured (the counters did not advance during the report)';
  const wan = l.rxBps !== null && l.txBps !== null ? `WAN ${formatBits(l.rxBps)} down, ${formatBits(l.txBps)} up${missesHw ? ' (without what the hardware forwards)' : ''}` : 'WAN throughput unknown';
  return `- At report time (over ${l.seconds.toFixed(1)} s): CPU ${l.busyPct.toFixed(1)} % busy, softirq ${l.softirqPct.toFixed(1)} %; ${wan}`;
}

function modulesLine(mods: ProcModule[] | null): string {
  const head = '- Offload kernel modules (/proc/modules): ';
  if (mods === null) return `${head}unknown (/proc/modules is not readable)`;
  const list = offloadModules(mods);
  if (!list.length) return `${head}none loaded as modules (built into the kernel, or not loaded)`;
  return head + list.map((m) => `${cell(m.name)}${m.users.length ? ` (used by ${m.users.map(cell).join(', ')})` : ''}${m.state !== 'Live' ? ` [${m.state}]` : ''}`).join(', ');
}

/** Build the report. Pure: every figure comes in as an argument. */
export function renderReport(s: StatusResult, st: StatsResult, f: FlowsResult, rulesetText: string, now: number, mask: boolean, extra: ReportExtras = {}): string {
  const m = (t: string): string => (mask ? maskText(t) : t);
  const sys = s.system;
  const r: string[] = [];
  r.push(`### Flow offloading report (luci-app-offload ${APP_VERSION})`, '');
  r.push(`- Generated: ${new Date(now).toISOString()}`);
  r.push(`- Device: ${sys.model ?? 'unknown model'} (${sys.board ?? 'unknown board'})`);
  r.push(`- Firmware: ${sys.release ?? 'unknown'}; target ${sys.target ?? 'unknown'}; arch ${sys.arch ?? 'unknown'}; kernel ${sys.kernel ?? 'unknown'}`);
  r.push(`- Firewall: ${sys.firewall}`);
  if (extra.interfaces) r.push(`- WAN: ${wanLine(s, extra.interfaces)}`);
  if (extra.live !== undefined) r.push(liveLine(extra.live, st.counters.misses_hw));
  r.push('', '#### State');
  r.push(`- Configured: **${s.configured.mode}** (flow_offloading=${s.configured.flow_offloading ? 1 : 0}, flow_offloading_hw=${s.configured.flow_offloading_hw ? 1 : 0})`);
  r.push(`- Effective: **${s.effective.state}** — ${m(s.effective.reason)}`);
  r.push(`- Offload rule in chain forward: ${yesNo(s.effective.rule)}`);
  r.push(`- Module nft_flow_offload: ${s.module.nft_flow_offload ? `loaded${s.module.refcnt !== null ? ` (refcnt ${s.module.refcnt})` : ''}` : 'not loaded'}`);
  if (extra.modules !== undefined) r.push(modulesLine(extra.modules));
  r.push(`- Software offload: ${s.capabilities.software.available ? 'available' : `unavailable (${s.capabilities.software.reason})`}`);
  r.push(`- Hardware offload: ${s.capabilities.hardware.available ? 'available' : `unavailable (${s.capabilities.hardware.reason})`}`);
  if (s.effective.hardware) {
    const e = s.effective.hardware.engine;
    r.push(`- Hardware proof: ${VERDICT_WORDS[s.effective.hardware.verdict]}; hardware engine: ${e ? `${e.name} (${e.path}): ${e.error ? `unreadable (${cell(e.error)})` : `${e.bound} bound of ${e.total} entries`}` : 'no engine view on this target'}`);
  }
  r.push(`- Last fw4 warning: ${s.last_warning ? `${m(s.last_warning.text)} (${new Date(s.last_warning.at).toISOString()})` : 'none captured'}`);
  if (s.interrupted) r.push(`- Interrupted change: ${s.interrupted.detail}`);
  const excerpt = rulesetExcerpt(rulesetText);
  const ft = ['```', excerpt ? m(excerpt) : '(no flowtable in the running ruleset)', '```'];
  if (s.effective.other_flowtables.length) {
    ft.push(`- Other flowtables in table inet fw4: ${s.effective.other_flowtables.map((t) => `${cell(t.name)} (${t.devices.map(cell).join(', ') || 'no devices'}${t.hw ? ', flags offload' : ''})`).join('; ')}`);
  }
  details(r, 'Flowtable (nft list table inet fw4)', ft);
  r.push('', '#### Devices');
  r.push(`- Zone devices from: ${s.topology.source === 'netifd' ? 'netifd (as fw4 reads them)' : `the uci network config (netifd could not be asked: ${cell(s.topology.error ?? 'no answer')})`}`);
  if (s.devices.length) {
    r.push('', '| device | role | zones | exists | in flowtable | hw-tc-offload | problems |', '|---|---|---|---|---|---|---|');
    for (const d of s.devices) {
      r.push(`| ${cell(d.device)} | ${d.role} | ${cell(d.zones.join(', ') || '-')} | ${yesNo(d.exists)} | ${inFlowtable(d)} | ${hwTc(d.hw_tc_offload === null ? null : { on: d.hw_tc_offload, fixed: d.hw_tc_offload_fixed })} | ${d.problems.join(', ') || '-'} |`);
    }
    const seen = [...new Set(s.devices.flatMap((d) => d.problems))];
    if (seen.length) r.push('');
    for (const p of seen) {
      const on = s.devices.filter((d) => d.problems.includes(p)).map((d) => cell(d.device)).sort();
      r.push(`- ${p}: ${PROBLEM_WORDS[p] ?? p} (${on.join(', ')})`);
    }
  } else r.push('(no zone devices found)');
  const dsa = (extra.dsa ?? []).filter((x) => x.ports.length);
  if (dsa.length) {
    details(r, 'Switch ports (DSA)', dsa.map((x) => `- ${cell(x.conduit)} (DSA conduit${x.tagging ? `, tagging ${cell(x.tagging)}` : ''}): ${x.ports.map((p) => `${cell(p.name)} hw-tc-offload ${hwTc(p.hw_tc_offload)}`).join('; ')}`));
  }
  r.push('', '#### Flows');
  const ct = st.conntrack;
  r.push(`- Conntrack: ${ct.count ?? 'unknown'} of max ${ct.max ?? 'unknown'} connections`);
  r.push(`- Offloaded: ${f.offloaded} in software, ${f.hw_offloaded} in hardware, of ${f.total} connections (${SOURCE_WORDS[f.source] ?? f.source})${f.error ? ` — ${f.error}` : ''}`);
  const top = f.flows.slice(0, 5);
  if (top.length) {
    const rows = ['| proto | source | destination | bytes | offload | why not |', '|---|---|---|---|---|---|'];
    for (const x of top) {
      rows.push(`| ${x.proto} | ${cell(m(x.src))}${x.sport !== null ? `:${x.sport}` : ''} | ${cell(m(x.dst))}${x.dport !== null ? `:${x.dport}` : ''} | ${formatBytes(x.bytes)} | ${x.offload} | ${cell(x.why_not ?? '-')} |`);
    }
    details(r, 'Top flows', rows);
  }
  r.push('', '#### Conflicts');
  if (s.conflicts.length) for (const c of s.conflicts) r.push(`- ${c.id}: ${c.text} ${c.advice}`);
  else r.push('- none found');
  const t = st.cpu.total;
  const all = t.user + t.nice + t.system + t.idle + t.iowait + t.irq + t.softirq + t.steal;
  const pct = (n: number): string => (all > 0 ? ((100 * n) / all).toFixed(1) : '0.0');
  const counters = [`- CPU since boot (${st.cpu.cores.length} cores): softirq ${pct(t.softirq)} %, system ${pct(t.system)} %, user ${pct(t.user)} %, idle ${pct(t.idle)} %`];
  for (const d of st.devices) {
    counters.push(`- ${cell(d.device)} (${d.role.toUpperCase()}): received ${formatBytes(d.rx_bytes)} (${grouped(d.rx_packets)} packets), sent ${formatBytes(d.tx_bytes)} (${grouped(d.tx_packets)} packets) since boot`);
  }
  if (st.counters.misses_hw) counters.push('- Hardware-offloaded traffic is not counted in these device counters (the engine forwards it without the kernel).');
  const hw = st.counters.hw;
  if (hw) {
    const rate = hw.rx_bps !== null && hw.tx_bps !== null && hw.interval_ms !== null ? `, ${formatBits(hw.rx_bps)} down / ${formatBits(hw.tx_bps)} up over ${(hw.interval_ms / 1000).toFixed(0)} s` : '';
    counters.push(`- WAN port switch counters (ethtool -S ${cell(hw.ports.join(', '))}, ${cell(hw.counters)}): received ${formatBytes(hw.rx_bytes)}, sent ${formatBytes(hw.tx_bytes)}${rate}`);
  } else if (st.counters.misses_hw) counters.push('- No switch counters of the WAN port could be read (ethtool -S): the hardware-forwarded traffic is not measured here.');
  details(r, 'Counters', counters);
  if (s.warnings.length) {
    r.push('', '#### Warnings');
    for (const w of s.warnings) r.push(`- ${m(w)}`);
  }
  r.push('', mask ? '_Public addresses and MAC addresses are masked._' : '_Addresses are not masked._');
  return r.join('\n') + '\n';
}

export function diagnostics(args: DiagnosticsArgs, gather: () => { status: StatusResult; stats: StatsResult; flows: FlowsResult; ruleset: string }): DiagnosticsResult {
  // The live figures: one reading before the report's work and one at least LIVE_WINDOW_MS later.
  const before = readCounters();
  const t0 = nowMs();
  const g = gather();
  const extra: ReportExtras = { interfaces: interfaceDump(), modules: loadedModules(), dsa: dsaSwitches() };
  sleepMs(LIVE_WINDOW_MS - (nowMs() - t0));
  const wan = g.stats.devices.filter((d) => d.role === 'wan').map((d) => d.device);
  extra.live = liveFigures(before, readCounters(), wan);
  const now = Date.now();
  return { markdown: renderReport(g.status, g.stats, g.flows, g.ruleset, now, args.mask ?? true, extra), generated_at: now };
}
