/** `diagnostics`: one Markdown report with what forum helpers ask for (offload-domain.md §7.2). */
import type { DiagnosticsArgs, DiagnosticsResult, StatusResult, StatsResult, FlowsResult } from '../api/contract';
import { maskText } from '../calc/mask';
import { formatBits } from '../calc/rates';

function yesNo(b: boolean | null): string {
  return b === null ? 'unknown' : b ? 'yes' : 'no';
}

function inFlowtable(d: StatusResult['devices'][number]): string {
  if (d.carried_by) return `through ${cell(d.carried_by)}`;
  if (!d.in_flowtable) return 'no';
  return d.flowtables.length === 1 && d.flowtables[0] === 'ft' ? 'yes' : `yes (${d.flowtables.map(cell).join(', ')})`;
}

/** What each device problem code in the report's table means and what to do (the panel says the same in the user's language). */
const PROBLEM_WORDS: Record<string, string> = {
  'missing-from-flowtable': 'carries zone traffic but is not in the flowtable, so its connections are not offloaded; reload the firewall (fw4 reload) after the device came up.',
  'not-present': 'does not exist on the router (interface down or renamed).',
  'pppoe-l3-device': 'PPPoE link not in the flowtable and no offloaded flow shows its traffic going through the underlying device; an IPv6 interface on @wan (option device \'@wan\') makes fw4 add the PPPoE device to the flowtable.',
  'not-in-any-zone': 'is in the flowtable but in no firewall zone.',
  'no-hw-tc-offload': 'the driver does not offer hw-tc-offload, so this device cannot offload in hardware.',
};

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
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

/** Build the report. Pure: every figure comes in as an argument. */
export function renderReport(s: StatusResult, st: StatsResult, f: FlowsResult, rulesetText: string, now: number, mask: boolean): string {
  const m = (t: string): string => (mask ? maskText(t) : t);
  const sys = s.system;
  const r: string[] = [];
  r.push('### Flow offloading report (luci-app-offload)', '');
  r.push(`- Generated: ${new Date(now).toISOString()}`);
  r.push(`- Device: ${sys.model ?? 'unknown model'} (${sys.board ?? 'unknown board'})`);
  r.push(`- Firmware: ${sys.release ?? 'unknown'}; target ${sys.target ?? 'unknown'}; arch ${sys.arch ?? 'unknown'}; kernel ${sys.kernel ?? 'unknown'}`);
  r.push(`- Firewall: ${sys.firewall}`);
  r.push('', '#### State');
  r.push(`- Configured: **${s.configured.mode}** (flow_offloading=${s.configured.flow_offloading ? 1 : 0}, flow_offloading_hw=${s.configured.flow_offloading_hw ? 1 : 0})`);
  r.push(`- Effective: **${s.effective.state}** — ${m(s.effective.reason)}`);
  r.push(`- Offload rule in chain forward: ${yesNo(s.effective.rule)}`);
  r.push(`- Module nft_flow_offload: ${s.module.nft_flow_offload ? `loaded${s.module.refcnt !== null ? ` (refcnt ${s.module.refcnt})` : ''}` : 'not loaded'}`);
  r.push(`- Software offload: ${s.capabilities.software.available ? 'available' : `unavailable (${s.capabilities.software.reason})`}`);
  r.push(`- Hardware offload: ${s.capabilities.hardware.available ? 'available' : `unavailable (${s.capabilities.hardware.reason})`}`);
  r.push(`- Last fw4 warning: ${s.last_warning ? `${m(s.last_warning.text)} (${new Date(s.last_warning.at).toISOString()})` : 'none captured'}`);
  if (s.interrupted) r.push(`- Interrupted change: ${s.interrupted.detail}`);
  r.push('', '#### Flowtable (nft list table inet fw4)');
  const excerpt = rulesetExcerpt(rulesetText);
  r.push('```', excerpt ? m(excerpt) : '(no flowtable in the running ruleset)', '```');
  if (s.effective.other_flowtables.length) {
    r.push(`- Other flowtables in table inet fw4: ${s.effective.other_flowtables.map((t) => `${cell(t.name)} (${t.devices.map(cell).join(', ') || 'no devices'}${t.hw ? ', flags offload' : ''})`).join('; ')}`);
  }
  if (s.effective.hardware) {
    const e = s.effective.hardware.engine;
    r.push(`- Hardware proof: ${s.effective.hardware.verdict}; hardware engine: ${e ? `${e.name} (${e.path}): ${e.error ? `unreadable (${cell(e.error)})` : `${e.bound} bound of ${e.total} entries`}` : 'no engine view on this target'}`);
  }
  r.push('', '#### Devices');
  r.push(`- Zone devices from: ${s.topology.source === 'netifd' ? 'netifd (as fw4 reads them)' : `the uci network config (netifd could not be asked: ${cell(s.topology.error ?? 'no answer')})`}`);
  if (s.devices.length) {
    r.push('| device | role | zones | exists | in flowtable | hw-tc-offload | problems |', '|---|---|---|---|---|---|---|');
    for (const d of s.devices) {
      r.push(
        `| ${cell(d.device)} | ${d.role} | ${cell(d.zones.join(', ') || '-')} | ${yesNo(d.exists)} | ${inFlowtable(d)} | ` +
          `${d.hw_tc_offload === null ? 'unknown' : `${d.hw_tc_offload ? 'on' : 'off'}${d.hw_tc_offload_fixed ? ' [fixed]' : ''}`} | ${d.problems.join(', ') || '-'} |`,
      );
    }
    const seen = [...new Set(s.devices.flatMap((d) => d.problems))];
    for (const p of seen) r.push(`- ${p}: ${PROBLEM_WORDS[p] ?? p}`);
  } else r.push('(no zone devices found)');
  r.push('', '#### Flows');
  const ct = st.conntrack;
  r.push(`- Conntrack: ${ct.count ?? 'unknown'} of max ${ct.max ?? 'unknown'}`);
  r.push(`- Offloaded: ${f.offloaded} software, ${f.hw_offloaded} hardware, of ${f.total} listed (${f.source})${f.error ? ` — ${f.error}` : ''}`);
  const top = f.flows.slice(0, 5);
  if (top.length) {
    r.push('', '| proto | source | destination | bytes | offload | why not |', '|---|---|---|---|---|---|');
    for (const x of top) {
      r.push(`| ${x.proto} | ${cell(m(x.src))}${x.sport !== null ? `:${x.sport}` : ''} | ${cell(m(x.dst))}${x.dport !== null ? `:${x.dport}` : ''} | ${x.bytes} | ${x.offload} | ${cell(x.why_not ?? '-')} |`);
    }
  }
  r.push('', '#### Conflicts');
  if (s.conflicts.length) for (const c of s.conflicts) r.push(`- ${c.id}: ${c.text} ${c.advice}`);
  else r.push('- none found');
  r.push('', '#### Counters');
  const t = st.cpu.total;
  const all = t.user + t.nice + t.system + t.idle + t.iowait + t.irq + t.softirq + t.steal;
  const pct = (n: number): string => (all > 0 ? ((100 * n) / all).toFixed(1) : '0.0');
  r.push(`- CPU since boot (${st.cpu.cores.length} cores): softirq ${pct(t.softirq)} %, system ${pct(t.system)} %, user ${pct(t.user)} %, idle ${pct(t.idle)} %`);
  for (const d of st.devices) r.push(`- ${d.role} ${d.device}: rx ${d.rx_bytes} B / ${d.rx_packets} pkts, tx ${d.tx_bytes} B / ${d.tx_packets} pkts`);
  if (st.counters.misses_hw) r.push('- Hardware-offloaded traffic is not counted in these device counters (the engine forwards it without the kernel).');
  const hw = st.counters.hw;
  if (hw) {
    const rate = hw.rx_bps !== null && hw.tx_bps !== null && hw.interval_ms !== null ? `, ${formatBits(hw.rx_bps)} down / ${formatBits(hw.tx_bps)} up over ${(hw.interval_ms / 1000).toFixed(0)} s` : '';
    r.push(`- WAN port switch counters (ethtool -S ${cell(hw.ports.join(', '))}, ${cell(hw.counters)}): rx ${hw.rx_bytes} B, tx ${hw.tx_bytes} B${rate}`);
  } else if (st.counters.misses_hw) r.push('- No switch counters of the WAN port could be read (ethtool -S): the hardware-forwarded traffic is not measured here.');
  if (s.warnings.length) {
    r.push('', '#### Warnings');
    for (const w of s.warnings) r.push(`- ${m(w)}`);
  }
  r.push('', mask ? '_Public addresses and MAC addresses are masked._' : '_Addresses are not masked._');
  return r.join('\n') + '\n';
}

export function diagnostics(args: DiagnosticsArgs, gather: () => { status: StatusResult; stats: StatsResult; flows: FlowsResult; ruleset: string }): DiagnosticsResult {
  const g = gather();
  const now = Date.now();
  return { markdown: renderReport(g.status, g.stats, g.flows, g.ruleset, now, args.mask ?? true), generated_at: now };
}
