/**
 * The simulator's demand is steady (issue 16 #2), so a before/after comparison in the demo
 * measures the mode, not the traffic drifting; and the CPU cost per GB, measured from its kernel
 * files the way the panel measures it, depends on the mode as the scenario models it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Mode } from '../../rpcd/src/api/contract';
import { parseProcStat } from '../../rpcd/src/parse/proc-stat';
import { cpuBusy } from '../../rpcd/src/calc/cpu';
import { scenarioRoot, type TestRoot } from '../helpers/scenario';
import { modeFigure, stepWindow, type Accumulator, type Window } from '../../web/src/lib/savings';

const roots: TestRoot[] = [];
afterEach(() => roots.splice(0).forEach((r) => r.cleanup()));

/** Run a scenario for `secs` one-second steps; the demand each second and the windows the panel would count. */
function run(name: string, secs: number): { down: number[]; wins: Window[]; mode: Mode } {
  const r = scenarioRoot(name);
  roots.push(r);
  const file = (p: string): string => readFileSync(join(r.root, p), 'utf8');
  const mode = r.model.runningMode();
  // Under hardware offload the netdev counters miss the traffic: the switch's MIB counts it (as stats reads it).
  const wanBytes = (): number => mode === 'hardware'
    ? Number(/RxBytes: (\d+)/.exec(file('sim/ethtool/wan.S'))?.[1]) + Number(/TxBytes: (\d+)/.exec(file('sim/ethtool/wan.S'))?.[1])
    : Number(file('sys/class/net/wan/statistics/rx_bytes')) + Number(file('sys/class/net/wan/statistics/tx_bytes'));
  const read = () => ({ t: Math.round(Number(file('proc/uptime').split(' ')[0]) * 1000), cpu: parseProcStat(file('proc/stat'))!, bytes: wanBytes() });
  const t0 = Date.now();
  let prev = read();
  let acc: Accumulator | null = null;
  const down: number[] = [];
  const wins: Window[] = [];
  for (let i = 1; i <= secs; i++) {
    r.model.refresh(t0 + i * 1000);
    down.push(r.model.rates.downMbit);
    const cur = read();
    const c = cpuBusy(prev.cpu.total!, cur.cpu.total!);
    const s = stepWindow(acc, { t: cur.t, mode, busy: c.busyPct, softirq: c.softirqPct, cores: cur.cpu.cores.length, bps: ((cur.bytes - prev.bytes) * 8 * 1000) / (cur.t - prev.t) });
    acc = s.acc;
    if (s.window) wins.push(s.window);
    prev = cur;
  }
  return { down, wins, mode };
}

describe('simulated demand', () => {
  it('is steady: over 160 s (longer than the old curve\'s 150 s swell) within ±3 % of its mean, below the CPU limit of off', () => {
    const { down } = run('mt7621', 160);
    const mean = down.reduce((a, b) => a + b, 0) / down.length;
    expect(mean).toBeGreaterThan(300);
    expect(mean).toBeLessThan(560);
    for (const d of down) expect(Math.abs(d / mean - 1)).toBeLessThan(0.03);
  });

  it('costs CPU per GB by mode: software about −55 % of off, hardware almost none; every window counts', () => {
    const f = Object.fromEntries((['mt7621', 'mt7621-software', 'mt7621-hardware'] as const).map((s) => {
      const { wins, mode } = run(s, 61);
      expect(wins).toHaveLength(6);
      return [mode, modeFigure(mode, wins)!];
    })) as Record<Mode, NonNullable<ReturnType<typeof modeFigure>>>;
    expect(f.off.mbit).toBeCloseTo(f.software.mbit, -1);
    expect(f.software.busy / f.off.busy - 1).toBeGreaterThan(-0.65);
    expect(f.software.busy / f.off.busy - 1).toBeLessThan(-0.45);
    expect(f.hardware.busy).toBeLessThan(f.software.busy / 3);
    // The windows agree with each other: the spread is a few percent of the figure.
    expect((f.off.busyHi - f.off.busyLo) / f.off.busy).toBeLessThan(0.05);
  });
});
