import { describe, expect, it } from 'vitest';
import { History, HISTORY_MS } from '../../web/src/lib/history';
import type { Point } from '../../web/src/lib/sample';

const pt = (t: number, busy = 10): Point => ({ t, busy, softirq: busy / 2, cores: [], wanRx: busy * 1e6, wanTx: null, lanRx: 1, lanTx: 2 });

describe('History', () => {
  it('keeps columns in step and unknown values as NaN', () => {
    const h = new History();
    expect(h.push(pt(1000))).toBe(true);
    expect(h.push(pt(2000, 20))).toBe(true);
    expect(h.t).toEqual([1000, 2000]);
    expect(h.cols.busy).toEqual([10, 20]);
    expect(h.cols.wanTx.every(Number.isNaN)).toBe(true);
    expect(h.version).toBe(2);
  });

  it('drops points that are not newer than the last one (late answers)', () => {
    const h = new History();
    h.push(pt(3000));
    expect(h.push(pt(2000))).toBe(false);
    expect(h.push(pt(3000))).toBe(false);
    expect(h.t).toEqual([3000]);
    expect(h.version).toBe(1);
  });

  it('inserts a gap after a silence so the line breaks', () => {
    const h = new History(HISTORY_MS, 3500);
    h.push(pt(1000));
    h.push(pt(10_000));
    expect(h.length).toBe(3);
    expect(Number.isNaN(h.cols.busy[1])).toBe(true);
  });

  it('keeps five minutes and trims markers with the data', () => {
    const h = new History();
    h.push(pt(1000));
    h.mark(1000, 'Software');
    for (let t = 2000; t <= 1000 + HISTORY_MS + 2000; t += 1000) h.push(pt(t));
    expect(h.t[0]).toBeGreaterThanOrEqual(h.last - HISTORY_MS);
    expect(h.length).toBe(HISTORY_MS / 1000 + 1);
    expect(h.markers).toEqual([]);
    h.mark(h.last, 'Off');
    expect(h.markers).toEqual([{ t: h.last, label: 'Off' }]);
  });
});
