import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CpuTimes } from '../../../rpcd/src/api/contract';
import { cpuBusy } from '../../../rpcd/src/calc/cpu';
import { parseProcStat } from '../../../rpcd/src/parse/proc-stat';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/kernel/${name}`, import.meta.url), 'utf8');

const times = (over: Partial<CpuTimes>): CpuTimes => ({ user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0, ...over });

describe('cpuBusy', () => {
  it('computes the load of the real offload run from two /proc/stat captures', () => {
    const a = parseProcStat(fixture('proc_stat_before.txt')).total as CpuTimes;
    const b = parseProcStat(fixture('proc_stat_after.txt')).total as CpuTimes;
    const r = cpuBusy(a, b);
    expect(r).toMatchObject({ total: 1578, busy: 1488, softirq: 375, system: 954, user: 159, irq: 0, iowait: 0, steal: 0 });
    expect(r.busyPct).toBeCloseTo((1488 / 1578) * 100, 10);
    expect(r.softirqPct).toBeCloseTo(23.76, 2);
  });

  it('counts nice as user and leaves idle and iowait out of busy', () => {
    const r = cpuBusy(times({}), times({ user: 10, nice: 10, system: 10, idle: 40, iowait: 10, irq: 5, softirq: 10, steal: 5 }));
    expect(r).toEqual({
      total: 100, busy: 50, softirq: 10, irq: 5, system: 10, user: 20, iowait: 10, steal: 5,
      busyPct: 50, softirqPct: 10, userPct: 20, systemPct: 10, irqPct: 5,
    });
  });

  it('gives zeros for a zero interval', () => {
    const a = times({ user: 5, idle: 5 });
    expect(cpuBusy(a, a)).toMatchObject({ total: 0, busy: 0, busyPct: 0, softirqPct: 0 });
  });

  it('gives zeros when a counter went backwards', () => {
    expect(cpuBusy(times({ user: 100, idle: 100 }), times({ user: 50, idle: 500 }))).toMatchObject({ total: 0, busyPct: 0 });
  });

  it('gives zeros for non-numeric input', () => {
    const bad = { ...times({}), user: Number.NaN };
    expect(cpuBusy(bad, times({ user: 1 })).busyPct).toBe(0);
  });
});
