/**
 * Realistic /proc/net/nf_conntrack lines in the kernel's format (ct_seq_show):
 * offloaded entries carry no timeout column and no TCP state. Seedable, so
 * benchmarks and tests get the same table for the same seed.
 */
export type Offload = 'none' | 'software' | 'hardware';

/** mulberry32: a small deterministic PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FlowSpec {
  proto: 'tcp' | 'udp' | 'icmp';
  src: string;
  dst: string;
  sport: number;
  dport: number;
  /** Public address the router masquerades to (reply destination). */
  nat: string;
  origPackets: number;
  origBytes: number;
  replyPackets: number;
  replyBytes: number;
  tcpState: string;
  timeout: number;
  offload: Offload;
  unreplied: boolean;
  assured: boolean;
}

const L3 = (proto: string): string => (proto === 'tcp' ? 'tcp      6' : proto === 'udp' ? 'udp      17' : 'icmp     1');

/** One line exactly as /proc/net/nf_conntrack prints it. */
export function procLine(f: FlowSpec): string {
  const head = `ipv4     2 ${L3(f.proto)} `;
  const timeout = f.offload === 'none' ? `${f.timeout} ` : '';
  const state = f.proto === 'tcp' && f.offload === 'none' ? `${f.tcpState} ` : '';
  const orig = f.proto === 'icmp'
    ? `src=${f.src} dst=${f.dst} type=8 code=0 id=${f.sport} packets=${f.origPackets} bytes=${f.origBytes} `
    : `src=${f.src} dst=${f.dst} sport=${f.sport} dport=${f.dport} packets=${f.origPackets} bytes=${f.origBytes} `;
  const unrep = f.unreplied ? '[UNREPLIED] ' : '';
  const reply = f.proto === 'icmp'
    ? `src=${f.dst} dst=${f.nat} type=0 code=0 id=${f.sport} packets=${f.replyPackets} bytes=${f.replyBytes} `
    : `src=${f.dst} dst=${f.nat} sport=${f.dport} dport=${f.sport} packets=${f.replyPackets} bytes=${f.replyBytes} `;
  const flag = f.offload === 'hardware' ? '[HW_OFFLOAD] ' : f.offload === 'software' ? '[OFFLOAD] ' : f.assured ? '[ASSURED] ' : '';
  return `${head}${timeout}${state}${orig}${unrep}${reply}${flag}mark=0 zone=0 use=${f.offload === 'none' ? 2 : 3}`;
}

export interface TableOptions {
  seed: number;
  entries: number;
  /** Share of entries that are offloaded (0..1). */
  offloadedShare: number;
  /** Share of the offloaded ones marked [HW_OFFLOAD]. */
  hardwareShare: number;
}

/** A whole table: a mix of TCP (mostly established), UDP (DNS, QUIC) and a little ICMP. */
export function generateTable(o: TableOptions): string {
  const rnd = prng(o.seed);
  const lines: string[] = [];
  for (let i = 0; i < o.entries; i++) {
    const r = rnd();
    const proto = r < 0.62 ? 'tcp' : r < 0.97 ? 'udp' : 'icmp';
    const offloaded = proto !== 'icmp' && rnd() < o.offloadedShare / 0.97;
    const hw = offloaded && rnd() < o.hardwareShare;
    const host = `192.168.1.${2 + Math.floor(rnd() * 200)}`;
    const remote = `${[151, 142, 104, 172, 13, 52][Math.floor(rnd() * 6)]}.${Math.floor(rnd() * 255)}.${Math.floor(rnd() * 255)}.${1 + Math.floor(rnd() * 254)}`;
    const dport = proto === 'udp' ? (rnd() < 0.5 ? 53 : 443) : [443, 80, 22, 993][Math.floor(rnd() * 4)] as number;
    const pk = 1 + Math.floor(rnd() * 5000);
    const states = ['ESTABLISHED', 'ESTABLISHED', 'ESTABLISHED', 'TIME_WAIT', 'SYN_SENT', 'CLOSE_WAIT'];
    const tcpState = offloaded ? 'ESTABLISHED' : states[Math.floor(rnd() * states.length)] as string;
    const unreplied = !offloaded && (tcpState === 'SYN_SENT' || (proto === 'udp' && rnd() < 0.1));
    lines.push(
      procLine({
        proto, src: host, dst: remote, sport: 1024 + Math.floor(rnd() * 64000), dport, nat: '203.0.113.10',
        origPackets: pk, origBytes: pk * (60 + Math.floor(rnd() * 400)),
        replyPackets: unreplied ? 0 : pk * 2, replyBytes: unreplied ? 0 : pk * 2 * (60 + Math.floor(rnd() * 1400)),
        tcpState, timeout: proto === 'tcp' ? (tcpState === 'ESTABLISHED' ? 7440 : 120) : 60,
        offload: hw ? 'hardware' : offloaded ? 'software' : 'none', unreplied, assured: !unreplied,
      }),
    );
  }
  return lines.join('\n') + (lines.length ? '\n' : '');
}
