/**
 * The live view's history: columnar series over a fixed time window, plus
 * markers (mode changes). Samples must arrive in time order; a point that is
 * not newer than the last one is dropped, so late answers of overlapping polls
 * cannot corrupt the series. A long silence inserts a gap so lines break
 * instead of bridging it. Times are the chart's: router uptime plus an offset
 * the live model raises when the router restarts, so they never go back.
 */
import type { Point } from './sample';

/** Five minutes of history. */
export const HISTORY_MS = 5 * 60 * 1000;

/** The series the chart draws, in one column each (NaN = gap or unknown). */
export const SERIES = ['busy', 'softirq', 'wanRx', 'wanTx', 'lanRx', 'lanTx'] as const;
export type SeriesKey = (typeof SERIES)[number];

export interface Marker {
  t: number;
  label: string;
}

export class History {
  /** Chart time (ms, router uptime plus the restart offset) of each column entry. */
  t: number[] = [];
  cols: Record<SeriesKey, number[]> = { busy: [], softirq: [], wanRx: [], wanTx: [], lanRx: [], lanTx: [] };
  markers: Marker[] = [];
  /** Bumped on every change, for cheap redraw checks. */
  version = 0;

  constructor(readonly windowMs = HISTORY_MS, readonly gapMs = 3500) {}

  get length(): number {
    return this.t.length;
  }

  /** Time of the newest entry, or -Infinity. */
  get last(): number {
    return this.t.length ? (this.t[this.t.length - 1] as number) : -Infinity;
  }

  /**
   * Append a point.
   * @returns false (and changes nothing) when the point is not newer than the last one
   */
  push(p: Point): boolean {
    if (!(p.t > this.last)) return false;
    if (this.t.length && p.t - this.last > this.gapMs) this.append(this.last + 1, null);
    this.append(p.t, p);
    this.trim(p.t - this.windowMs);
    this.version++;
    return true;
  }

  /** Add a marker at time `t` (normally the newest sample's). */
  mark(t: number, label: string): void {
    this.markers.push({ t, label });
    this.trim(this.last - this.windowMs);
    this.version++;
  }

  /**
   * A break in the series at time `t` (a gap entry) with a marker saying why,
   * e.g. a router restart: the lines stop there and start again after it.
   */
  split(t: number, label: string): void {
    if (t > this.last) this.append(t, null);
    this.mark(t, label);
  }

  private append(t: number, p: Point | null): void {
    this.t.push(t);
    for (const k of SERIES) {
      const v = p ? p[k] : null;
      this.cols[k].push(v === null || v === undefined ? NaN : v);
    }
  }

  private trim(from: number): void {
    let n = 0;
    while (n < this.t.length && (this.t[n] as number) < from) n++;
    if (n) {
      this.t.splice(0, n);
      for (const k of SERIES) this.cols[k].splice(0, n);
    }
    this.markers = this.markers.filter((m) => m.t >= from);
  }
}
