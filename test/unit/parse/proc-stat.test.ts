import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCpuLine, parseProcStat } from '../../../rpcd/src/parse/proc-stat';

const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/kernel/${name}`, import.meta.url), 'utf8');

describe('parseProcStat on real captures', () => {
  it('reads the aggregate line and both cores of a 2-CPU guest', () => {
    const { total, cores } = parseProcStat(fixture('proc_stat_before.txt'));
    expect(total).toEqual({ user: 1439, nice: 0, system: 17613, idle: 7877, iowait: 0, irq: 0, softirq: 6143, steal: 0 });
    expect(cores).toHaveLength(2);
    expect(cores[0]).toEqual({ user: 810, nice: 0, system: 8443, idle: 4185, iowait: 0, irq: 0, softirq: 2907, steal: 0 });
    expect(cores[1]?.softirq).toBe(3236);
  });

  it('ignores the intr, ctxt and softirq lines (the softirq line is not a cpu line)', () => {
    const { total } = parseProcStat(fixture('proc_stat_after.txt'));
    expect(total?.softirq).toBe(6518);
    expect(total?.user).toBe(1598);
  });

  it('reads the same values when a short read cuts the file inside the intr line', () => {
    const text = fixture('proc_stat_after.txt');
    const full = parseProcStat(text);
    expect(parseProcStat(text.slice(0, 300))).toEqual(full);
  });
});

describe('parseProcStat edge cases', () => {
  it('returns no total and no cores for empty input and garbage', () => {
    expect(parseProcStat('')).toEqual({ total: null, cores: [] });
    expect(parseProcStat('hello\nworld')).toEqual({ total: null, cores: [] });
    expect(parseProcStat('cpu\ncpux 1 2 3 4\ncpu0 a b c')).toEqual({ total: null, cores: [] });
  });

  it('fills missing columns of old kernels with 0', () => {
    const { total } = parseProcStat('cpu  1 2 3 4\n');
    expect(total).toEqual({ user: 1, nice: 2, system: 3, idle: 4, iowait: 0, irq: 0, softirq: 0, steal: 0 });
  });

  it('drops a cut trailing cpu line with fewer than 4 numbers but keeps a longer one', () => {
    const head = 'cpu  10 0 10 10 0 0 5 0\ncpu0 5 0 5 5 0 0 2 0\n';
    expect(parseProcStat(head + 'cpu1 5 0 5').cores).toHaveLength(1);
    const kept = parseProcStat(head + 'cpu1 5 0 5 5 0 0 3');
    expect(kept.cores).toHaveLength(2);
    expect(kept.cores[1]?.softirq).toBe(3);
  });

  it('orders cores by number, skipping offline CPUs without holes', () => {
    const { cores } = parseProcStat('cpu 4 0 0 4\ncpu3 3 0 0 0\ncpu0 0 0 0 0\ncpu10 10 0 0 0\n');
    expect(cores.map((c) => c.user)).toEqual([0, 3, 10]);
  });

  it('keeps the first of two lines for the same CPU', () => {
    const { cores, total } = parseProcStat('cpu 1 1 1 1\ncpu 2 2 2 2\ncpu0 1 1 1 1\ncpu0 9 9 9 9\n');
    expect(total?.user).toBe(1);
    expect(cores).toEqual([{ user: 1, nice: 1, system: 1, idle: 1, iowait: 0, irq: 0, softirq: 0, steal: 0 }]);
  });

  it('reads CRLF line endings', () => {
    const { total, cores } = parseProcStat('cpu  1 2 3 4 5 6 7 8\r\ncpu0 1 2 3 4 5 6 7 8\r\n');
    expect(total?.steal).toBe(8);
    expect(cores).toHaveLength(1);
  });

  it('survives a very long line', () => {
    const long = 'intr ' + '0 '.repeat(200_000) + '\ncpu 1 2 3 4\n';
    expect(parseProcStat(long).total?.idle).toBe(4);
  });

  it('ignores guest columns beyond steal', () => {
    expect(parseCpuLine('cpu0 1 2 3 4 5 6 7 8 9 10')).toEqual({
      id: 0,
      columns: 10,
      times: { user: 1, nice: 2, system: 3, idle: 4, iowait: 5, irq: 6, softirq: 7, steal: 8 },
    });
  });
});

describe('never throws', () => {
  it('on arbitrary strings and on a real capture with random text spliced in', () => {
    const base = fixture('proc_stat_after.txt');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.nat(), fc.nat(), (junk, a, b) => {
        const spliced = base.slice(0, a % (base.length + 1)) + junk + base.slice(b % (base.length + 1));
        for (const s of [junk, spliced]) {
          parseProcStat(s);
          for (const line of s.split('\n')) parseCpuLine(line);
        }
      }),
      { numRuns: 300 },
    );
  });
});
