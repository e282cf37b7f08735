import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countConntrack, countGrepMatches, parseConntrackLine, type ConntrackEntry } from '../../../rpcd/src/parse/conntrack';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/kernel/${name}`, import.meta.url), 'utf8');

/** Every entry of a listing: parseConntrackLine over its lines, non-entries dropped. */
const parseLines = (text: string): ConntrackEntry[] =>
  text.split('\n').map(parseConntrackLine).filter((e): e is ConntrackEntry => e !== null);

/** Counting the slow way, for comparison with countConntrack. */
function countByParsing(text: string): { total: number; offloaded: number; hw_offloaded: number } {
  const entries = parseLines(text);
  return {
    total: entries.length,
    offloaded: entries.filter((e) => e.offload === 'software').length,
    hw_offloaded: entries.filter((e) => e.offload === 'hardware').length,
  };
}

const FIXTURES = [
  'proc_net_nf_conntrack_offload.txt',
  'conntrack_L_offload.txt',
  'conntrack_L_offload.stderr',
  'conntrack_L_offload_extended.txt',
  'conntrack_L_offload_counter.txt',
  'conntrack_L_after.txt',
];

describe('parseConntrackLine on real captures', () => {
  it('reads an offloaded /proc/net/nf_conntrack line, which has no timeout and no TCP state', () => {
    const first = fixture('proc_net_nf_conntrack_offload.txt').split('\n')[0] as string;
    expect(parseConntrackLine(first)).toEqual({
      l3: 'ipv4',
      proto: 'tcp',
      protonum: 6,
      timeout: null,
      tcp_state: null,
      orig: { src: '192.168.1.2', dst: '10.0.2.2', sport: 38404, dport: 5201, packets: 2, bytes: 112 },
      reply: { src: '10.0.2.2', dst: '10.0.2.1', sport: 5201, dport: 38404, packets: 1, bytes: 60 },
      packets: 3,
      bytes: 172,
      flags: ['OFFLOAD'],
      offload: 'software',
      assured: false,
      unreplied: false,
      mark: 0,
      zone: 0,
    });
  });

  it('reads all four /proc entries (3 TCP + 1 UDP), all software-offloaded', () => {
    const entries = parseLines(fixture('proc_net_nf_conntrack_offload.txt'));
    expect(entries.map((e) => `${e.proto}:${e.orig.dport}:${e.offload}`)).toEqual([
      'tcp:5201:software', 'udp:5202:software', 'tcp:5202:software', 'tcp:5201:software',
    ]);
  });

  it('reads conntrack -L lines, which lack the l3 columns and the zone', () => {
    const entries = parseLines(fixture('conntrack_L_offload.txt'));
    expect(entries).toHaveLength(4);
    expect(entries[1]).toMatchObject({ l3: null, proto: 'udp', protonum: 17, timeout: null, zone: null, mark: 0, offload: 'software' });
  });

  it('reads conntrack -L -o extended lines with the l3 columns', () => {
    const entries = parseLines(fixture('conntrack_L_offload_extended.txt'));
    expect(entries.map((e) => e.l3)).toEqual(['ipv4', 'ipv4', 'ipv4', 'ipv4']);
    expect(entries[0]?.orig.sport).toBe(38404);
  });

  it('skips the summary line mixed into the first line of stdout and sums running counters', () => {
    const text = fixture('conntrack_L_offload_counter.txt');
    expect(parseConntrackLine(text.split('\n')[0] as string)).toBeNull();
    const entries = parseLines(text);
    expect(entries).toHaveLength(2);
    expect(entries[0]?.bytes).toBe(222650249 + 454176);
    expect(entries[0]?.packets).toBe(149193 + 8734);
  });

  it('reads flows back on the slow path: TIME_WAIT with timeout and [ASSURED], the UDP flow still offloaded', () => {
    const entries = parseLines(fixture('conntrack_L_after.txt'));
    expect(entries).toHaveLength(4);
    expect(entries[0]).toMatchObject({ timeout: 119, tcp_state: 'TIME_WAIT', assured: true, offload: 'none', flags: ['ASSURED'] });
    expect(entries[1]).toMatchObject({ proto: 'udp', timeout: null, offload: 'software' });
  });

  it('finds no entry in conntrack\'s stderr', () => {
    expect(parseLines(fixture('conntrack_L_offload.stderr'))).toEqual([]);
  });
});

describe('parseConntrackLine with hand-made lines', () => {
  it('reads [HW_OFFLOAD] (shape of openwrt/openwrt#17915) as hardware', () => {
    const e = parseConntrackLine('ipv4     2 udp      17 src=192.168.1.20 dst=203.0.113.9 sport=5000 dport=443 packets=31 bytes=4600 src=203.0.113.9 dst=100.64.0.2 sport=443 dport=5000 packets=31 bytes=11904 [HW_OFFLOAD] mark=0 zone=0 use=3');
    expect(e).toMatchObject({ offload: 'hardware', flags: ['HW_OFFLOAD'], bytes: 16504, timeout: null });
  });

  it('reads a timeout and a TCP state before the tuples', () => {
    const e = parseConntrackLine('ipv4     2 tcp      6 7440 ESTABLISHED src=192.168.1.10 dst=1.2.3.4 sport=50000 dport=443 packets=10 bytes=1200 src=1.2.3.4 dst=100.64.0.2 sport=443 dport=50000 packets=12 bytes=9000 [ASSURED] mark=0 zone=0 use=2');
    expect(e).toMatchObject({ timeout: 7440, tcp_state: 'ESTABLISHED', assured: true, offload: 'none', packets: 22, bytes: 10200 });
  });

  it('reads a TCP state without a timeout', () => {
    expect(parseConntrackLine('tcp      6 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 mark=0 use=1'))
      .toMatchObject({ timeout: null, tcp_state: 'ESTABLISHED', packets: 0, bytes: 0 });
  });

  it('reads [UNREPLIED] between the tuples', () => {
    const e = parseConntrackLine('ipv4     2 udp      17 29 src=192.168.1.2 dst=192.168.1.255 sport=137 dport=137 packets=3 bytes=234 [UNREPLIED] src=192.168.1.255 dst=192.168.1.2 sport=137 dport=137 packets=0 bytes=0 mark=0 zone=0 use=2');
    expect(e).toMatchObject({ unreplied: true, flags: ['UNREPLIED'], packets: 3, reply: { packets: 0 } });
  });

  it('gives ICMP null ports (it has type/code/id instead)', () => {
    const e = parseConntrackLine('icmp     1 29 src=192.168.1.2 dst=8.8.8.8 type=8 code=0 id=1234 packets=1 bytes=84 src=8.8.8.8 dst=192.168.1.2 type=0 code=0 id=1234 packets=1 bytes=84 mark=0 use=1');
    expect(e).toMatchObject({ proto: 'icmp', protonum: 1, timeout: 29, orig: { sport: null, dport: null }, bytes: 168 });
  });

  it('reads IPv6 addresses', () => {
    const e = parseConntrackLine('ipv6     10 tcp      6 src=fd00::2 dst=2001:db8::1 sport=40000 dport=443 packets=5 bytes=400 src=2001:db8::1 dst=fd00::2 sport=443 dport=40000 packets=4 bytes=3000 [OFFLOAD] mark=0 zone=0 use=3');
    expect(e).toMatchObject({ l3: 'ipv6', orig: { src: 'fd00::2', dst: '2001:db8::1' }, offload: 'software' });
  });

  it('has null counters when accounting is off', () => {
    const e = parseConntrackLine('udp      17 20 src=10.0.0.1 dst=10.0.0.2 sport=53 dport=53 src=10.0.0.2 dst=10.0.0.1 sport=53 dport=53 mark=0 use=1');
    expect(e?.orig.packets).toBeNull();
    expect(e?.bytes).toBe(0);
  });

  it('reads an entry that follows the summary line on the same line', () => {
    const e = parseConntrackLine('conntrack v1.4.7 (conntrack-tools): 1 flow entries have been shown.tcp      6 src=1.1.1.1 dst=2.2.2.2 sport=1 dport=2 src=2.2.2.2 dst=1.1.1.1 sport=2 dport=1 [OFFLOAD] mark=0 use=2');
    expect(e?.offload).toBe('software');
  });

  it('returns null for blank lines, the summary line, tool errors and garbage', () => {
    for (const bad of [
      '',
      '   ',
      'conntrack v1.4.7 (conntrack-tools): 5 flow entries have been shown.',
      'conntrack v1.4.7 (conntrack-tools): Operation not permitted',
      'hello world',
      'tcp 6',
      'tcp 999 src=1.1.1.1 dst=2.2.2.2',
      'tcp 6 src=1.1.1.1',
      '[OFFLOAD] [HW_OFFLOAD]',
      '\u0000\u0001\u0002',
    ]) {
      expect(parseConntrackLine(bad)).toBeNull();
    }
  });

  it('reads CRLF line endings and very long lines', () => {
    const line = 'tcp      6 src=1.1.1.1 dst=2.2.2.2 sport=1 dport=2 src=2.2.2.2 dst=1.1.1.1 sport=2 dport=1 [OFFLOAD] mark=0 use=2';
    expect(parseConntrackLine(line + '\r')).toEqual(parseConntrackLine(line));
    expect(parseLines(line + '\r\n' + line + '\r\n')).toHaveLength(2);
    const long = line + ' labels=' + 'x'.repeat(1_000_000);
    expect(parseConntrackLine(long)?.offload).toBe('software');
    expect(parseConntrackLine('tcp 6 ' + 'a=b '.repeat(200_000))).toBeNull();
  });
});

describe('countConntrack', () => {
  it('counts the real captures', () => {
    expect(countConntrack(fixture('proc_net_nf_conntrack_offload.txt'))).toEqual({ total: 4, offloaded: 4, hw_offloaded: 0 });
    expect(countConntrack(fixture('conntrack_L_offload_counter.txt'))).toEqual({ total: 2, offloaded: 2, hw_offloaded: 0 });
    expect(countConntrack(fixture('conntrack_L_after.txt'))).toEqual({ total: 4, offloaded: 1, hw_offloaded: 0 });
    expect(countConntrack(fixture('conntrack_L_offload.stderr'))).toEqual({ total: 0, offloaded: 0, hw_offloaded: 0 });
  });

  it.each(FIXTURES)('agrees with parseConntrackLine on %s', (name) => {
    const text = fixture(name);
    expect(countConntrack(text)).toEqual(countByParsing(text));
  });

  it('does not count [HW_OFFLOAD] as [OFFLOAD]', () => {
    const text = 'ipv4 2 udp 17 src=1.1.1.1 dst=2.2.2.2 sport=1 dport=2 src=2.2.2.2 dst=1.1.1.1 sport=2 dport=1 [HW_OFFLOAD] mark=0 zone=0 use=3\n';
    expect(countConntrack(text)).toEqual({ total: 1, offloaded: 0, hw_offloaded: 1 });
  });

  it('returns zeros for empty input and skips blank lines', () => {
    expect(countConntrack('')).toEqual({ total: 0, offloaded: 0, hw_offloaded: 0 });
    expect(countConntrack('\n\n\r\n')).toEqual({ total: 0, offloaded: 0, hw_offloaded: 0 });
  });

  it('counts an entry glued to the summary line once', () => {
    const text = 'conntrack v1.4.7 (conntrack-tools): 1 flow entries have been shown.tcp 6 src=1.1.1.1 dst=2.2.2.2 sport=1 dport=2 src=2.2.2.2 dst=1.1.1.1 sport=2 dport=1 [OFFLOAD] mark=0 use=2\n';
    expect(countConntrack(text)).toEqual({ total: 1, offloaded: 1, hw_offloaded: 0 });
    expect(countConntrack(text)).toEqual(countByParsing(text));
  });

  it('agrees with parseConntrackLine on a generated 10k-line table', () => {
    const text = generateTable(10_000);
    const fast = countConntrack(text);
    expect(fast).toEqual(countByParsing(text));
    expect(fast.total).toBe(10_000);
    expect(fast.offloaded).toBeGreaterThan(0);
    expect(fast.hw_offloaded).toBeGreaterThan(0);
  });

  it('counts a 64k-line table quickly', () => {
    const text = generateTable(65_536);
    const t0 = performance.now();
    const counts = countConntrack(text);
    const ms = performance.now() - t0;
    expect(counts.total).toBe(65_536);
    expect(ms).toBeLessThan(1000);
  });
});

/** A /proc-style table mixing software and hardware offload, assured, unreplied, IPv6 and ICMP entries. */
function generateTable(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = `10.${(i >> 8) & 255}.${i & 255}.2`;
    const port = 1024 + (i % 60000);
    switch (i % 7) {
      case 0:
        lines.push(`ipv4     2 tcp      6 src=${a} dst=203.0.113.5 sport=${port} dport=443 packets=5 bytes=500 src=203.0.113.5 dst=100.64.0.2 sport=443 dport=${port} packets=7 bytes=9000 [OFFLOAD] mark=0 zone=0 use=3`);
        break;
      case 1:
        lines.push(`ipv4     2 udp      17 src=${a} dst=203.0.113.5 sport=${port} dport=443 packets=5 bytes=500 src=203.0.113.5 dst=100.64.0.2 sport=443 dport=${port} packets=7 bytes=9000 [HW_OFFLOAD] mark=0 zone=0 use=3`);
        break;
      case 2:
        lines.push(`ipv4     2 tcp      6 7440 ESTABLISHED src=${a} dst=203.0.113.5 sport=${port} dport=80 packets=5 bytes=500 src=203.0.113.5 dst=100.64.0.2 sport=80 dport=${port} packets=7 bytes=9000 [ASSURED] mark=0 zone=0 use=2`);
        break;
      case 3:
        lines.push(`ipv4     2 udp      17 25 src=${a} dst=192.168.1.255 sport=${port} dport=137 packets=1 bytes=78 [UNREPLIED] src=192.168.1.255 dst=${a} sport=137 dport=${port} packets=0 bytes=0 mark=0 zone=0 use=2`);
        break;
      case 4:
        lines.push(`ipv6     10 tcp      6 src=fd00::${i.toString(16)} dst=2001:db8::1 sport=${port} dport=443 packets=3 bytes=300 src=2001:db8::1 dst=fd00::${i.toString(16)} sport=443 dport=${port} packets=4 bytes=4000 [OFFLOAD] mark=0 zone=0 use=3`);
        break;
      case 5:
        lines.push(`ipv4     2 icmp     1 29 src=${a} dst=8.8.8.8 type=8 code=0 id=${i} packets=1 bytes=84 src=8.8.8.8 dst=${a} type=0 code=0 id=${i} packets=1 bytes=84 mark=0 zone=0 use=2`);
        break;
      default:
        lines.push(`tcp      6 119 TIME_WAIT src=${a} dst=203.0.113.5 sport=${port} dport=22 packets=4 bytes=216 src=203.0.113.5 dst=100.64.0.2 sport=22 dport=${port} packets=2 bytes=112 [ASSURED] mark=0 use=1`);
    }
  }
  return 'conntrack v1.4.7 (conntrack-tools): ' + n + ' flow entries have been shown.\n' + lines.join('\n') + '\n';
}

describe('never throws', () => {
  it('on arbitrary strings and on a real capture with random text spliced in', () => {
    const base = fixture('proc_net_nf_conntrack_offload.txt');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.nat(), fc.nat(), (junk, a, b) => {
        const spliced = base.slice(0, a % (base.length + 1)) + junk + base.slice(b % (base.length + 1));
        for (const s of [junk, spliced]) {
          const c = countConntrack(s);
          expect(c.total).toBeGreaterThanOrEqual(0);
          parseLines(s);
          parseConntrackLine(s);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('countGrepMatches (grep -o -F of the two markers, entries from nf_conntrack_count)', () => {
  it('counts each marker line; the total is the kernel count, never below what is marked', () => {
    expect(countGrepMatches('[OFFLOAD]\n[HW_OFFLOAD]\n[OFFLOAD]\n', 10)).toEqual({ total: 10, offloaded: 2, hw_offloaded: 1 });
    expect(countGrepMatches('[OFFLOAD]\n[HW_OFFLOAD]\n', 1)).toEqual({ total: 2, offloaded: 1, hw_offloaded: 1 });
    expect(countGrepMatches('', 0)).toEqual({ total: 0, offloaded: 0, hw_offloaded: 0 });
  });
  it('other lines (a partial match, noise) count for nothing', () => {
    expect(countGrepMatches('OFFLOAD]\n[OFFLOAD] \n[HW_OFFLOAD\nuse=\n', 4)).toEqual({ total: 4, offloaded: 0, hw_offloaded: 0 });
    expect(countGrepMatches(undefined as unknown as string, 3)).toEqual({ total: 3, offloaded: 0, hw_offloaded: 0 });
  });
});

describe('grep counts equal the handler\'s own on the real kernel capture', () => {
  it.each([['busybox', ['/bin/busybox', 'grep']], ['GNU', ['/usr/bin/grep']]])('%s grep -o -F over proc_net_nf_conntrack_offload.txt', (_n, argv) => {
    const path = new URL('../../fixtures/kernel/proc_net_nf_conntrack_offload.txt', import.meta.url);
    const text = readFileSync(path, 'utf8');
    const r = spawnSync(argv[0] as string, [...argv.slice(1), '-o', '-F', '-e', '[HW_OFFLOAD]', '-e', '[OFFLOAD]', path.pathname], { encoding: 'utf8' });
    const own = countConntrack(text);
    expect(own.offloaded).toBeGreaterThan(0);
    expect(countGrepMatches(r.stdout, own.total)).toEqual(own);
  });
});
