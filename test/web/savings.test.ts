/** What offload saved here (issue 16 #2): the pure arithmetic of CPU cost per traffic. */
import { describe, expect, it } from 'vitest';
import {
  MIN_WINDOW_BYTES, WINDOW_MS, compareModes, modeFigure, parseSaved, savingsReportLines, serializeSaved, stepWindow, throughputOf,
  type Accumulator, type StepInput, type Window,
} from '../../web/src/lib/savings';

/** Feed `n` one-second points at `mbit` Mbit/s and `busy`/`soft` % of a 2-core CPU; returns the closed windows and quiet closes. */
function feed(n: number, o: Partial<StepInput> & { mbit: number; t0?: number; acc?: Accumulator | null }) {
  let acc: Accumulator | null = o.acc ?? null;
  const wins: Window[] = [];
  let quiet = 0;
  for (let i = 0; i < n; i++) {
    const r = stepWindow(acc, { t: (o.t0 ?? 1_000_000) + i * 1000, mode: o.mode === undefined ? 'off' : o.mode, busy: o.busy ?? 40, softirq: o.softirq ?? 30, cores: o.cores ?? 2, bps: o.bps === undefined ? o.mbit * 1e6 : o.bps });
    acc = r.acc;
    if (r.window) wins.push(r.window);
    if (r.quiet) quiet++;
  }
  return { acc, wins, quiet };
}

describe('stepWindow', () => {
  it('closes a window every 10 s of contiguous points and counts CPU-seconds and bytes (the first point only starts it)', () => {
    const { wins } = feed(21, { mbit: 400 });
    expect(wins).toHaveLength(2);
    const w = wins[0] as Window;
    expect(w.ms).toBe(WINDOW_MS);
    expect(w.bytes).toBeCloseTo(10 * 50e6, 0); // 400 Mbit/s = 50 MB/s
    expect(w.busy).toBeCloseTo(10 * 0.4 * 2, 6); // 40 % of 2 cores for 10 s
    expect(w.softirq).toBeCloseTo(10 * 0.3 * 2, 6);
    expect(w.mode).toBe('off');
  });

  it('a window with too little traffic is not counted but reported as quiet', () => {
    const slow = (MIN_WINDOW_BYTES * 8) / (WINDOW_MS / 1000) / 1e6 - 1; // just below the threshold in Mbit/s
    const r = feed(11, { mbit: slow });
    expect(r.wins).toHaveLength(0);
    expect(r.quiet).toBe(1);
    expect(feed(11, { mbit: slow + 2 }).wins).toHaveLength(1);
  });

  it('an unknown mode or throughput, a gap, a restart (time going back) and a mode change discard the partial window', () => {
    let { acc } = feed(6, { mbit: 400 });
    expect(acc?.ms).toBe(5000);
    expect(stepWindow(acc, { t: 1_006_000, mode: null, busy: 1, softirq: 1, cores: 2, bps: 1e8 }).acc).toBeNull();
    expect(stepWindow(acc, { t: 1_006_000, mode: 'off', busy: 1, softirq: 1, cores: 2, bps: null }).acc).toBeNull();
    expect(stepWindow(acc, { t: 1_012_000, mode: 'off', busy: 1, softirq: 1, cores: 2, bps: 1e8 }).acc?.ms).toBe(0); // 7 s gap
    expect(stepWindow(acc, { t: 3_000, mode: 'off', busy: 1, softirq: 1, cores: 2, bps: 1e8 }).acc?.ms).toBe(0); // uptime went back
    expect(stepWindow(acc, { t: 1_006_000, mode: 'software', busy: 1, softirq: 1, cores: 2, bps: 1e8 }).acc).toMatchObject({ ms: 0, mode: 'software' });
    // Across a restart no window closes, however much traffic the two halves carried.
    ({ acc } = feed(8, { mbit: 900 }));
    const after = feed(8, { mbit: 900, t0: 2000, acc });
    expect(after.wins).toHaveLength(0);
  });
});

describe('throughputOf', () => {
  const hw = { source: 'switch-mib' as const, ports: ['wan'], counters: 'RxBytes/TxBytes', rx_bytes: 0, tx_bytes: 0, rx_bps: 8e8, tx_bps: 4e7, interval_ms: 5000 };
  it('the WAN netdev rates, or the switch counters while hardware flows bypass the netdev counters, else unknown', () => {
    expect(throughputOf({ wanRx: 4e8, wanTx: 2e7 }, { misses_hw: false, hw: null })).toBe(4.2e8);
    expect(throughputOf({ wanRx: 4e8, wanTx: null }, { misses_hw: false, hw: null })).toBeNull();
    expect(throughputOf({ wanRx: 1e6, wanTx: 1e5 }, { misses_hw: true, hw })).toBe(8.4e8);
    expect(throughputOf({ wanRx: 1e6, wanTx: 1e5 }, { misses_hw: true, hw: { ...hw, rx_bps: null } })).toBeNull();
    expect(throughputOf({ wanRx: 1e6, wanTx: 1e5 }, { misses_hw: true, hw: null })).toBeNull();
    expect(throughputOf({ wanRx: 4e8, wanTx: 2e7 }, null)).toBe(4.2e8);
  });
});

const win = (mode: Window['mode'], busyPerGb: number, softPerGb: number, mbit = 400): Window => {
  const bytes = (mbit * 1e6 * 10) / 8;
  return { mode, ms: 10000, bytes, busy: (busyPerGb * bytes) / 1e9, softirq: (softPerGb * bytes) / 1e9 };
};

describe('modeFigure and compareModes', () => {
  it('a mode needs three windows; its figure is total CPU over total GB with the spread of the windows', () => {
    expect(modeFigure('off', [win('off', 10, 8), win('off', 12, 9)])).toBeNull();
    const f = modeFigure('off', [win('off', 10, 8), win('off', 12, 9), win('off', 14, 10)]);
    expect(f?.windows).toBe(3);
    expect(f?.busy).toBeCloseTo(12, 6);
    expect(f?.softirq).toBeCloseTo(9, 6);
    expect(f?.busyLo).toBeCloseTo(10.4, 6); // 10th percentile
    expect(f?.busyHi).toBeCloseTo(13.6, 6);
    expect(f?.mbit).toBeCloseTo(400, 6);
  });

  it('compares each offload mode with off, or software with hardware when off has no figure', () => {
    const off = modeFigure('off', [win('off', 12, 9), win('off', 12, 9), win('off', 12, 9)])!;
    const sw = modeFigure('software', [win('software', 6, 4.5, 420), win('software', 6, 4.5, 420), win('software', 6, 4.5, 420)])!;
    const hw = modeFigure('hardware', [win('hardware', 1, 0.5), win('hardware', 1, 0.5), win('hardware', 1, 0.5)])!;
    const c = compareModes({ off, software: sw });
    expect(c).toHaveLength(1);
    expect(c[0]?.from.mode).toBe('off');
    expect(c[0]?.to.mode).toBe('software');
    expect(c[0]?.busyChange).toBeCloseTo(-50, 6);
    expect(c[0]?.softirqChange).toBeCloseTo(-50, 6);
    expect(c[0]?.mbit).toBeCloseTo(410, 6);
    expect(compareModes({ off, software: sw, hardware: hw }).map((x) => x.to.mode)).toEqual(['software', 'hardware']);
    expect(compareModes({ software: sw, hardware: hw }).map((x) => `${x.from.mode}>${x.to.mode}`)).toEqual(['software>hardware']);
    expect(compareModes({ software: sw })).toEqual([]);
  });
});

describe('storage', () => {
  it('round-trips the windows per mode, keeps the newest, and ignores foreign or broken data', () => {
    const saved = { off: [win('off', 12, 9)], software: [win('software', 6, 4)], hardware: [] };
    const back = parseSaved(serializeSaved(saved));
    expect(back.off[0]?.bytes).toBeCloseTo(saved.off[0]!.bytes, -3);
    expect(back.software[0]?.busy).toBeCloseTo(saved.software[0]!.busy, 3);
    expect(back.software[0]?.mode).toBe('software');
    expect(parseSaved('{"v":0}')).toEqual({ off: [], software: [], hardware: [] });
    expect(parseSaved('not json')).toEqual({ off: [], software: [], hardware: [] });
    expect(parseSaved(null)).toEqual({ off: [], software: [], hardware: [] });
    expect(parseSaved('{"v":1,"w":{"off":[[1,"x",2,3]]}}').off).toEqual([]);
    const many = { off: Array.from({ length: 100 }, (_v, i) => win('off', i + 1, 1)), software: [], hardware: [] };
    const kept = parseSaved(serializeSaved(many)).off;
    expect(kept.length).toBe(60);
    expect(kept[59]!.busy / (kept[59]!.bytes / 1e9)).toBeCloseTo(100, 2);
  });
});

describe('savingsReportLines', () => {
  it('lists every mode with a figure and each comparison, or says there is not enough traffic yet', () => {
    const three = (m: Window['mode'], b: number, s: number) => [win(m, b, s), win(m, b, s), win(m, b, s)];
    const lines = savingsReportLines({ off: three('off', 12, 9), software: three('software', 6, 4.5), hardware: [] });
    expect(lines).toEqual([
      '### CPU cost per traffic, measured in this browser',
      '',
      '| mode | busy CPU-s/GB | softirq CPU-s/GB | ~Mbit/s | windows |',
      '|---|---|---|---|---|',
      '| off | 12.0 (12.0–12.0) | 9.00 (9.00–9.00) | 400 | 3 |',
      '| software | 6.00 (6.00–6.00) | 4.50 (4.50–4.50) | 400 | 3 |',
      '',
      '- software vs off: busy CPU per GB −50 %, softirq per GB −50 % at ~400 Mbit/s',
      '',
      'Windows of 10 s with at least 25 MB through WAN; spread is the 10th–90th percentile of the windows.',
    ]);
    expect(savingsReportLines({ off: [], software: [], hardware: [] })).toEqual([
      '### CPU cost per traffic, measured in this browser',
      '',
      'Not enough traffic yet (needs 3 windows of 10 s with at least 25 MB through WAN in a mode).',
    ]);
  });
});
