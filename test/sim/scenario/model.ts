/**
 * The simulated router's live kernel files. Every refresh advances the clock:
 * traffic follows a steady demand capped by what the running offload mode lets
 * the CPU forward, CPU jiffies follow the forwarding cost of that mode, and the
 * conntrack table marks eligible flows [OFFLOAD] or [HW_OFFLOAD]. The running
 * mode is read from the ruleset the nft stand-in holds, so the model reacts to
 * the same `fw4 reload` the handler runs.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Mode } from '../../../rpcd/src/api/contract';
import { flowtables, sendsToFlowtable } from '../tools/nft-text';
import { procLine, prng, type FlowSpec } from './conntrack-gen';
import type { ScenarioSpec } from './scenarios';

const COLS = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;
type Cpu = Record<(typeof COLS)[number], number>;
interface Counters { rx_bytes: number; rx_packets: number; tx_bytes: number; tx_packets: number }

interface SimFlow extends FlowSpec {
  /** Share of the download this flow carries (heavy flows), 0 for idle ones. */
  share: number;
  local: boolean;
}

export class RouterModel {
  private last: number;
  private readonly t0: number;
  private uptime = 3 * 86400 + 4711.37;
  private cpus: Cpu[];
  private dev = new Map<string, Counters>();
  /** The switch ports' own MIB counters (`ethtool -S`): every frame, hardware-forwarded ones too. */
  private mib = new Map<string, Counters>();
  private flows: SimFlow[] = [];
  /** Latest rates, for tests and the benchmark. */
  rates = { downMbit: 0, upMbit: 0, mode: 'off' as Mode };

  constructor(private root: string, private spec: ScenarioSpec, now = Date.now()) {
    this.last = now;
    this.t0 = now;
    const rnd = prng(7);
    this.cpus = Array.from({ length: spec.cores }, () => ({
      user: 210000 + Math.floor(rnd() * 5000), nice: 0, system: 130000 + Math.floor(rnd() * 5000), idle: 24000000, iowait: 900,
      irq: 0, softirq: 900000 + Math.floor(rnd() * 50000), steal: 0,
    }));
    for (const d of spec.devices) this.dev.set(d.name, { rx_bytes: 0, rx_packets: 0, tx_bytes: 0, tx_packets: 0 });
    this.dev.set('lo', { rx_bytes: 1843211, rx_packets: 15022, tx_bytes: 1843211, tx_packets: 15022 });
    this.seedCounters(rnd);
    for (const d of spec.hwOffloadDevices) {
      const c = this.dev.get(d);
      if (c) this.mib.set(d, { ...c });
    }
    this.flows = this.makeFlows(rnd);
    this.markFlows(this.runningMode());
    this.write();
  }

  private seedCounters(rnd: () => number): void {
    for (const [, c] of this.dev) {
      c.rx_bytes += Math.floor(rnd() * 4e10);
      c.tx_bytes += Math.floor(rnd() * 3e9);
      c.rx_packets = Math.floor(c.rx_bytes / 1200);
      c.tx_packets = Math.floor(c.tx_bytes / 400);
    }
  }

  private makeFlows(rnd: () => number): SimFlow[] {
    const flows: SimFlow[] = [];
    const nat = '203.0.113.10';
    const host = (): string => `192.168.1.${100 + Math.floor(rnd() * 60)}`;
    const remote = (): string => `${[151, 142, 104, 172, 13][Math.floor(rnd() * 5)]}.${Math.floor(rnd() * 255)}.${Math.floor(rnd() * 255)}.${1 + Math.floor(rnd() * 250)}`;
    const base = (proto: FlowSpec['proto'], dport: number): SimFlow => ({
      proto, src: host(), dst: remote(), sport: 30000 + Math.floor(rnd() * 30000), dport, nat,
      origPackets: 10, origBytes: 1200, replyPackets: 12, replyBytes: 9000, tcpState: 'ESTABLISHED', timeout: 7440,
      offload: 'none', unreplied: false, assured: true, share: 0, local: false,
    });
    const shares = [0.34, 0.22, 0.16, 0.12, 0.09, 0.07];
    for (const s of shares) flows.push({ ...base('tcp', 443), share: s });
    const quic = base('udp', 443);
    flows.push({ ...quic, timeout: 178, share: 0 });
    for (let i = 0; i < 90; i++) flows.push({ ...base('tcp', [443, 443, 80, 993][i % 4] as number), replyBytes: 4000 + Math.floor(rnd() * 90000) });
    for (let i = 0; i < 24; i++) flows.push({ ...base('udp', 53), dst: '9.9.9.9', timeout: 40, replyBytes: 180, origBytes: 74, origPackets: 1, replyPackets: 1 });
    for (let i = 0; i < 12; i++) flows.push({ ...base('tcp', 443), tcpState: 'TIME_WAIT', timeout: 90 });
    for (let i = 0; i < 3; i++) flows.push({ ...base('tcp', 443), tcpState: 'SYN_SENT', timeout: 110, unreplied: true, assured: false, replyPackets: 0, replyBytes: 0 });
    flows.push({ ...base('icmp', 0), dst: '1.1.1.1', timeout: 29, assured: false });
    for (let i = 0; i < 6; i++) flows.push({ ...base('udp', 53), dst: '192.168.1.1', nat: '192.168.1.1', timeout: 32, local: true, origBytes: 70, replyBytes: 160 });
    flows.push({ ...base('tcp', 22), dst: '192.168.1.1', nat: '192.168.1.1', local: true, replyBytes: 31000 });
    if (this.spec.flowSource) flows.push({ ...base('tcp', 443), src: this.spec.flowSource, share: 0.05 });
    return flows;
  }

  /** The mode the running ruleset really offloads with. */
  runningMode(): Mode {
    if (this.spec.firewall !== 'fw4') return 'off';
    let text = '';
    try {
      text = readFileSync(join(this.root, 'sim/nft/ruleset.nft'), 'utf8');
    } catch {
      return 'off';
    }
    const ft = flowtables(text).find((f) => f.name === 'ft' && f.table === 'fw4');
    if (!ft || !ft.devices.length || !sendsToFlowtable(text)) return 'off';
    return ft.hw ? 'hardware' : 'software';
  }

  /** The demand the `/__sim/demand` test hook set (Mbit/s), or null for the steady one. */
  demandMbit: number | null = null;

  /**
   * Demand in Mbit/s at time t (seconds since start): steady at half the line rate with a 2 % ripple,
   * below the CPU limit of off, so that what changes between modes is the CPU it costs, not the
   * traffic (issue 16: a demand drifting on its own read as "hardware halved my speed").
   */
  private demand(t: number): number {
    if (this.demandMbit !== null) return this.demandMbit;
    return this.spec.lineMbit * 0.5 * (1 + 0.02 * Math.sin((2 * Math.PI * t) / 13));
  }

  /** Advance the model to `now` and rewrite the kernel files. Cheap when called often. */
  refresh(now = Date.now()): void {
    const dt = (now - this.last) / 1000;
    if (dt < 0.05) return;
    this.last = now;
    this.uptime += dt;
    const mode = this.runningMode();
    const t = (now - this.t0) / 1000;
    const limit = mode === 'off' ? this.spec.cpuLimitMbit : mode === 'software' ? this.spec.cpuLimitMbit * 2.3 : Infinity;
    const down = Math.min(this.demand(t), limit);
    const up = down * 0.06;
    this.rates = { downMbit: down, upMbit: up, mode };

    const downB = (down * 1e6 * dt) / 8;
    const upB = (up * 1e6 * dt) / 8;
    const wan = this.wanDevice();
    const lan = this.dev.has('br-lan') ? 'br-lan' : null;
    // Flows the hardware forwards never reach the kernel: its netdev counters see only the few
    // packets before a flow is bound (real-programs.md §5); the switch's MIB counts them all.
    const seen = mode === 'hardware' ? 0.02 : 1;
    const bump = (c: Counters | undefined, rx: number, tx: number): void => {
      if (!c) return;
      c.rx_bytes += Math.round(rx);
      c.tx_bytes += Math.round(tx);
      c.rx_packets += Math.round(rx / 1380);
      c.tx_packets += Math.round(tx / 520);
    };
    const add = (name: string | null, rx: number, tx: number): void => {
      if (!name) return;
      bump(this.dev.get(name), rx * seen, tx * seen);
      bump(this.mib.get(name), rx, tx);
    };
    add(wan, downB, upB);
    add(lan, upB, downB);
    for (const d of this.spec.devices) {
      if (d.lower && d.name === lan) for (const l of d.lower) add(l, upB / d.lower.length, downB / d.lower.length);
    }

    // CPU: forwarding cost of the running mode, spread over cores as packet steering does.
    const fwd = ((down + up) / 100) * this.spec.cost[mode];
    const split = this.cpus.length > 1 ? [0.64, 0.36] : [1];
    const jiffies = 100 * dt;
    this.cpus.forEach((c, i) => {
      const load = Math.min(97, fwd * (split[i] ?? 0) + 2.5 + Math.sin(t / 7 + i) * 0.8);
      const fw = Math.max(0, load - 3.3);
      const user = 1.6 + (i === 0 ? 0.4 : 0.2);
      c.softirq += (jiffies * fw * 0.86) / 100;
      c.system += (jiffies * (fw * 0.1 + 0.9)) / 100;
      c.irq += (jiffies * fw * 0.04) / 100;
      c.user += (jiffies * user) / 100;
      c.idle += Math.max(0, (jiffies * (100 - load - 0.3)) / 100);
      c.iowait += (jiffies * 0.02) / 100;
    });

    // Flows: heavy ones carry the download; eligible ones are offloaded in the running mode.
    for (const f of this.flows) {
      if (f.share > 0) {
        f.replyBytes += Math.round(downB * f.share);
        f.replyPackets += Math.round((downB * f.share) / 1380);
        f.origBytes += Math.round(upB * f.share);
        f.origPackets += Math.round((upB * f.share) / 80);
      }
    }
    this.markFlows(mode);
    this.write();
  }

  /** Established TCP/UDP flows through the router are offloaded in the running mode; local and half-open ones never. */
  private markFlows(mode: Mode): void {
    for (const f of this.flows) {
      const eligible = (f.proto === 'tcp' || f.proto === 'udp') && !f.unreplied && !f.local && f.tcpState === 'ESTABLISHED' && f.dport !== 53;
      f.offload = eligible && mode !== 'off' ? (mode === 'hardware' ? 'hardware' : 'software') : 'none';
    }
  }

  private wanDevice(): string | null {
    if (this.dev.has('pppoe-wan')) return 'pppoe-wan';
    if (this.dev.has('wan')) return 'wan';
    return this.dev.has('eth1') ? 'eth1' : null;
  }

  private put(rel: string, text: string): void {
    const p = join(this.root, rel);
    mkdirSync(dirname(p), { recursive: true });
    const tmp = `${p}.tmp-${process.pid}`;
    writeFileSync(tmp, text);
    try {
      renameSync(tmp, p);
    } catch {
      // A drill replaced the file (e.g. by a directory to make it unreadable): leave it so.
      rmSync(tmp, { force: true });
    }
  }

  private write(): void {
    const j = (n: number): number => Math.floor(n);
    const total = COLS.map((k) => j(this.cpus.reduce((s, c) => s + c[k], 0)));
    const lines = [`cpu  ${total.join(' ')} 0 0`];
    this.cpus.forEach((c, i) => lines.push(`cpu${i} ${COLS.map((k) => j(c[k])).join(' ')} 0 0`));
    const up = j(this.uptime);
    lines.push(`intr ${up * 2100} 0 0 ${up * 800}`, `ctxt ${up * 3100}`, 'btime 1795290000', `processes ${40000 + up}`, 'procs_running 2', 'procs_blocked 0', `softirq ${up * 1900} 0 ${up * 300} 1 ${up * 900} ${up * 600} 0 2 ${up * 50} 0 ${up * 40}`);
    this.put('proc/stat', lines.join('\n') + '\n');
    const idle = this.cpus.reduce((s, c) => s + c.idle, 0) / 100;
    this.put('proc/uptime', `${this.uptime.toFixed(2)} ${idle.toFixed(2)}\n`);

    const head = 'Inter-|   Receive                                                |  Transmit\n face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';
    const rows: string[] = [];
    for (const [name, c] of this.dev) {
      rows.push(`${name.padStart(6)}: ${String(c.rx_bytes).padStart(7)} ${String(c.rx_packets).padStart(7)}    0    0    0     0          0         0 ${String(c.tx_bytes).padStart(8)} ${String(c.tx_packets).padStart(7)}    0    0    0     0       0          0`);
      if (name === 'lo') continue;
      for (const k of ['rx_bytes', 'tx_bytes', 'rx_packets', 'tx_packets'] as const) this.put(`sys/class/net/${name}/statistics/${k}`, `${c[k]}\n`);
    }
    this.put('proc/net/dev', head + rows.join('\n') + '\n');
    for (const [name, m] of this.mib) this.put(`sim/ethtool/${name}.S`, mibListing(this.dev.get(name) as Counters, m));

    const table = this.flows.map(procLine).join('\n') + '\n';
    if (this.spec.conntrackProc) this.put('proc/net/nf_conntrack', table);
    else if (this.spec.conntrackCli) this.put('sim/conntrack.txt', table);
    this.put('proc/sys/net/netfilter/nf_conntrack_count', `${this.flows.length}\n`);
  }
}

/** `ethtool -S` of an mt7530 DSA port as the driver prints it (test/fixtures/ethtool-s): DSA's software counters, then the MIB. */
function mibListing(sw: Counters, m: Counters): string {
  const mibNames = ['TxDrop', 'TxCrcErr', 'TxUnicast', 'TxMulticast', 'TxBroadcast', 'TxCollision', 'TxSingleCollision', 'TxMultipleCollision', 'TxDeferred', 'TxLateCollision', 'TxExcessiveCollistion', 'TxPause', 'TxPktSz64', 'TxPktSz65To127', 'TxPktSz128To255', 'TxPktSz256To511', 'TxPktSz512To1023', 'Tx1024ToMax'];
  const rxNames = ['RxDrop', 'RxFiltering', 'RxUnicast', 'RxMulticast', 'RxBroadcast', 'RxAlignErr', 'RxCrcErr', 'RxUnderSizeErr', 'RxFragErr', 'RxOverSzErr', 'RxJabberErr', 'RxPause', 'RxPktSz64', 'RxPktSz65To127', 'RxPktSz128To255', 'RxPktSz256To511', 'RxPktSz512To1023', 'RxPktSz1024ToMax'];
  const v = (n: string): number => (n === 'TxUnicast' ? m.tx_packets : n === 'RxUnicast' ? m.rx_packets : 0);
  const line = (n: string, x: number): string => `     ${n}: ${x}`;
  return [
    'NIC statistics:',
    line('tx_packets', sw.tx_packets), line('tx_bytes', sw.tx_bytes), line('rx_packets', sw.rx_packets), line('rx_bytes', sw.rx_bytes),
    ...mibNames.map((n) => line(n, v(n))), line('TxBytes', m.tx_bytes),
    ...rxNames.map((n) => line(n, v(n))), line('RxBytes', m.rx_bytes), line('RxCtrlDrop', 0), line('RxIngressDrop', 0), line('RxArlDrop', 0),
  ].join('\n') + '\n';
}
