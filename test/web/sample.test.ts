import { describe, expect, it } from 'vitest';
import { counterPaths, derivePoint, parseUptime, rolesOf, sampleFromFiles, sampleFromStats, type Sample } from '../../web/src/lib/sample';
import { procStat, statsFixture } from './fixtures';

const roles = { wan: 'wan', 'br-lan': 'lan' } as const;

function sample(t: number, cores: [number, number, number][], wan: [number, number], lan: [number, number]): Sample {
  const s = sampleFromFiles({
    uptime: `${t / 1000} 12.00\n`,
    stat: procStat(cores),
    conntrack: '144\n',
    counters: { wan: { rx: `${wan[0]}\n`, tx: `${wan[1]}\n` }, 'br-lan': { rx: `${lan[0]}\n`, tx: `${lan[1]}\n` } },
  });
  if (!s) throw new Error('no sample');
  return s;
}

describe('parseUptime', () => {
  it('reads the first number of /proc/uptime in ms', () => {
    expect(parseUptime('263916.93 480005.57\n')).toBe(263916930);
    expect(parseUptime('')).toBeNull();
    expect(parseUptime(null)).toBeNull();
    expect(parseUptime('abc 1\n')).toBeNull();
  });
});

describe('sampleFromFiles', () => {
  it('parses time, CPU, counters and the conntrack count with the shared parsers', () => {
    const s = sample(1000, [[30, 10, 70], [20, 5, 80]], [1000, 200], [300, 4000]);
    expect(s.t).toBe(1000);
    expect(s.cpu.cores).toHaveLength(2);
    expect(s.cpu.total.softirq).toBe(15);
    expect(s.dev.wan).toEqual({ rx: 1000, tx: 200 });
    expect(s.conntrack).toBe(144);
  });

  it('drops devices whose counters could not be read and gives null without time or CPU', () => {
    const s = sampleFromFiles({ uptime: '1.00 1\n', stat: procStat([[1, 1, 1]]), conntrack: null, counters: { wan: { rx: null, tx: '5\n' } } });
    expect(s?.dev).toEqual({});
    expect(s?.conntrack).toBeNull();
    expect(sampleFromFiles({ uptime: null, stat: procStat([[1, 1, 1]]), conntrack: null, counters: {} })).toBeNull();
    expect(sampleFromFiles({ uptime: '1.0 1', stat: 'garbage', conntrack: null, counters: {} })).toBeNull();
  });

  it('builds the counter paths from the device name', () => {
    expect(counterPaths('br-lan')).toEqual({ rx: '/sys/class/net/br-lan/statistics/rx_bytes', tx: '/sys/class/net/br-lan/statistics/tx_bytes' });
  });
});

describe('derivePoint', () => {
  it('gives CPU shares per core and bit rates per role and direction', () => {
    const a = sample(10_000, [[0, 0, 0], [0, 0, 0]], [0, 0], [0, 0]);
    const b = sample(12_000, [[60, 40, 40], [20, 0, 80]], [250_000_000, 12_500_000], [12_500_000, 250_000_000]);
    const p = derivePoint(a, b, roles);
    expect(p).not.toBeNull();
    expect(p?.t).toBe(12_000);
    expect(p?.busy).toBeCloseTo(40, 5); // 80 busy of 200 jiffies
    expect(p?.softirq).toBeCloseTo(20, 5);
    expect(p?.cores[0]).toEqual({ busy: 60, softirq: 40 });
    expect(p?.wanRx).toBe(1e9); // 250 MB in 2 s = 1 Gbit/s
    expect(p?.wanTx).toBe(50e6);
    expect(p?.lanTx).toBe(1e9);
  });

  it('is null when the later sample is not later', () => {
    const a = sample(10_000, [[1, 1, 1]], [0, 0], [0, 0]);
    expect(derivePoint(a, a, roles)).toBeNull();
  });

  it('gives null rates for a role without readings and skips counters that went backwards', () => {
    const a = sample(1000, [[1, 0, 1]], [1000, 1000], [0, 0]);
    const b = sample(2000, [[2, 0, 2]], [500, 2000], [0, 0]);
    const p = derivePoint(a, b, { wan: 'wan' });
    expect(p?.wanRx).toBeNull();
    expect(p?.wanTx).toBe(8000);
    expect(p?.lanRx).toBeNull();
  });

  it('sums several devices of one role', () => {
    const mk = (t: number, x: number): Sample => ({ t, cpu: { total: { user: t, nice: 0, system: 0, idle: t, iowait: 0, irq: 0, softirq: 0, steal: 0 }, cores: [] }, dev: { a: { rx: x, tx: 0 }, b: { rx: 2 * x, tx: 0 } }, conntrack: null });
    expect(derivePoint(mk(1000, 0), mk(2000, 100), { a: 'wan', b: 'wan' })?.wanRx).toBe(2400);
  });
});

describe('stats helpers', () => {
  it('samples from a stats answer and maps devices to roles', () => {
    const st = statsFixture(5000);
    const s = sampleFromStats(st);
    expect(s.t).toBe(5000);
    expect(s.dev.wan).toEqual({ rx: 1000, tx: 100 });
    expect(s.conntrack).toBe(144);
    expect(rolesOf([...st.devices, { ...st.devices[0]!, role: 'lan' }])).toEqual({ wan: 'wan', 'br-lan': 'lan' });
  });
});
