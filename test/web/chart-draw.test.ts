/** The chart's canvas drawing, through a context that records what is written (issue 16 #4: units on the axes). */
import { describe, expect, it } from 'vitest';
import { drawChart, type ChartLabels } from '../../web/src/lib/chart-draw';
import { History } from '../../web/src/lib/history';
import type { Point } from '../../web/src/lib/sample';

/** A CanvasRenderingContext2D stand-in: every fillText call is kept, everything else does nothing. */
function recorder(): { ctx: CanvasRenderingContext2D; texts: string[] } {
  const texts: string[] = [];
  const ctx = new Proxy({} as Record<string | symbol, unknown>, {
    get: (o, k) => {
      if (k === 'fillText') return (s: string) => void texts.push(s);
      if (k === 'measureText') return (s: string) => ({ width: s.length * 6 });
      return k in o ? o[k] : () => undefined;
    },
    set: (o, k, v) => ((o[k] = v), true),
  });
  return { ctx: ctx as unknown as CanvasRenderingContext2D, texts };
}

const labels: ChartLabels = { cpu: 'CPU', busy: 'busy', softirq: 'softirq', wan: 'WAN', unit: 'bit/s', rx: 'received', tx: 'sent', now: 'now', waiting: 'Collecting data…' };
const colors = { bg: '#fff', text: '#000', grid: '#ccc', busy: '#f00', soft: '#f88', rx: '#00f', tx: '#0f0', mark: '#888' };
const pt = (t: number): Point => ({ t, busy: 40, softirq: 10, cores: [], wanRx: 80e6, wanTx: 4e6, lanRx: 4e6, lanTx: 80e6 });

describe('drawChart', () => {
  it('the throughput pane names its unit beside WAN, the ticks carry M/k, the CPU ticks carry %', () => {
    const h = new History();
    for (let i = 0; i < 30; i++) h.push(pt(10_000 + i * 1000));
    const { ctx, texts } = recorder();
    drawChart(ctx, 600, 260, h, colors, labels);
    expect(texts).toContain('WAN (bit/s)');
    expect(texts).toContain('CPU');
    expect(texts).toEqual(expect.arrayContaining(['0%', '50%', '100%']));
    expect(texts.some((s) => /^\d+(\.\d)?M$/.test(s))).toBe(true);
  });
});
