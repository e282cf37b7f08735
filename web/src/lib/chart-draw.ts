/**
 * Draws the live chart on a 2D canvas context in CSS pixels (the caller sets
 * the device-pixel transform): a CPU pane (busy line over a softirq area,
 * 0–100 %) and a WAN throughput pane (received solid, sent dashed, scaled to
 * a nice maximum), a shared time axis over the history window, and mode-change
 * markers. Legends are drawn too, so a saved PNG explains itself.
 */
import type { History } from './history';
import { agoLabel, axisBits, maxOf, niceMax, timeTicks, viewSpan } from './scale';
import { localDigits } from './format';

export interface ChartColors {
  bg: string;
  text: string;
  grid: string;
  busy: string;
  soft: string;
  rx: string;
  tx: string;
  mark: string;
}

export interface ChartLabels {
  cpu: string;
  busy: string;
  softirq: string;
  wan: string;
  /** The unit of the throughput axis, e.g. `bit/s` (its ticks read 50M, 100M). */
  unit: string;
  rx: string;
  tx: string;
  now: string;
  waiting: string;
}

const PAD_L = 44;
const PAD_R = 8;
const LEGEND_H = 18;
const AXIS_H = 16;
const GAP = 10;
const FONT = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

interface Pane {
  top: number;
  height: number;
}

function hline(ctx: CanvasRenderingContext2D, x0: number, x1: number, y: number): void {
  const yy = Math.round(y) + 0.5;
  ctx.beginPath();
  ctx.moveTo(x0, yy);
  ctx.lineTo(x1, yy);
  ctx.stroke();
}

/** Stroke one series as a polyline that breaks at NaN. */
function path(ctx: CanvasRenderingContext2D, xs: number[], ys: number[], y: (v: number) => number): void {
  ctx.beginPath();
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    const v = ys[i] as number;
    if (!isFinite(v)) {
      pen = false;
      continue;
    }
    const px = xs[i] as number;
    const py = y(v);
    if (pen) ctx.lineTo(px, py);
    else ctx.moveTo(px, py);
    pen = true;
  }
  ctx.stroke();
}

/** Fill the area under a series down to `base`, one run at a time (NaN breaks it). */
function area(ctx: CanvasRenderingContext2D, xs: number[], ys: number[], y: (v: number) => number, base: number): void {
  let start = -1;
  const flush = (end: number): void => {
    if (start < 0) return;
    ctx.beginPath();
    ctx.moveTo(xs[start] as number, base);
    for (let i = start; i < end; i++) ctx.lineTo(xs[i] as number, y(ys[i] as number));
    ctx.lineTo(xs[end - 1] as number, base);
    ctx.closePath();
    ctx.fill();
    start = -1;
  };
  for (let i = 0; i < xs.length; i++) {
    if (isFinite(ys[i] as number)) {
      if (start < 0) start = i;
    } else flush(i);
  }
  flush(xs.length);
}

function legend(ctx: CanvasRenderingContext2D, x: number, y: number, title: string, items: { text: string; color: string; dash?: number[]; fill?: boolean }[], text: string): void {
  ctx.fillStyle = text;
  ctx.textAlign = 'left';
  ctx.fillText(title, x, y);
  let cx = x + ctx.measureText(title).width + 10;
  for (const it of items) {
    ctx.strokeStyle = it.color;
    ctx.fillStyle = it.color;
    if (it.fill) {
      ctx.globalAlpha = 0.45;
      ctx.fillRect(cx, y - 5, 16, 8);
      ctx.globalAlpha = 1;
    } else {
      ctx.lineWidth = 2;
      ctx.setLineDash(it.dash ?? []);
      ctx.beginPath();
      ctx.moveTo(cx, y);
      ctx.lineTo(cx + 16, y);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    ctx.fillStyle = text;
    ctx.fillText(it.text, cx + 20, y);
    cx += 28 + ctx.measureText(it.text).width;
  }
}

/** Draw the whole chart into a `w` × `h` CSS-pixel area. */
export function drawChart(ctx: CanvasRenderingContext2D, w: number, h: number, hist: History, c: ChartColors, l: ChartLabels): void {
  ctx.save();
  ctx.fillStyle = c.bg;
  ctx.fillRect(0, 0, w, h);
  ctx.font = FONT;
  ctx.textBaseline = 'middle';
  const plotW = Math.max(10, w - PAD_L - PAD_R);
  const paneH = (h - 2 * LEGEND_H - AXIS_H - GAP) / 2;
  const cpu: Pane = { top: LEGEND_H, height: paneH };
  const net: Pane = { top: LEGEND_H * 2 + paneH + GAP, height: paneH };
  const end = hist.last;
  const view = viewSpan(hist.t[0] ?? end, end, hist.windowMs);
  const start = end - view;
  const xs = hist.t.map((t) => PAD_L + ((t - start) / view) * plotW);

  // Legends above each pane.
  legend(ctx, 4, cpu.top - LEGEND_H / 2, l.cpu, [
    { text: l.busy, color: c.busy },
    { text: l.softirq, color: c.soft, fill: true },
  ], c.text);
  legend(ctx, 4, net.top - LEGEND_H / 2, `${l.wan} (${l.unit})`, [
    { text: l.rx, color: c.rx },
    { text: l.tx, color: c.tx, dash: [5, 3] },
  ], c.text);

  // Grid and y labels.
  const rxTx = niceMax(maxOf(hist.cols.wanRx, hist.cols.wanTx), 1e6);
  ctx.lineWidth = 1;
  ctx.strokeStyle = c.grid;
  ctx.fillStyle = c.text;
  ctx.textAlign = 'right';
  for (const [pane, max, fmt] of [[cpu, 100, (v: number) => `${v}%`], [net, rxTx, (v: number) => localDigits(axisBits(v))]] as const) {
    for (const f of [0, 0.5, 1]) {
      const y = pane.top + pane.height * (1 - f);
      hline(ctx, PAD_L, PAD_L + plotW, y);
      ctx.fillText(fmt(max * f), PAD_L - 4, y);
    }
  }

  // Time axis: ticks back from now, as dense as the width allows.
  ctx.textAlign = 'center';
  const axisY = net.top + net.height + AXIS_H / 2 + 2;
  for (const o of timeTicks(view, plotW)) {
    const x = PAD_L + plotW - (o * plotW) / view;
    ctx.fillText(agoLabel(o, l.now), Math.min(Math.max(x, PAD_L + 14), PAD_L + plotW - 14), axisY);
  }

  if (hist.length < 2) {
    ctx.fillText(l.waiting, PAD_L + plotW / 2, cpu.top + cpu.height / 2);
    ctx.restore();
    return;
  }

  ctx.save();
  ctx.beginPath();
  ctx.rect(PAD_L, 0, plotW, h);
  ctx.clip();
  const yCpu = (v: number): number => cpu.top + cpu.height * (1 - Math.min(100, Math.max(0, v)) / 100);
  const yNet = (v: number): number => net.top + net.height * (1 - Math.min(1, Math.max(0, v / rxTx)));
  ctx.fillStyle = c.soft;
  ctx.globalAlpha = 0.45;
  area(ctx, xs, hist.cols.softirq, yCpu, cpu.top + cpu.height);
  ctx.globalAlpha = 1;
  ctx.lineJoin = 'round';
  ctx.lineWidth = 2;
  ctx.strokeStyle = c.busy;
  path(ctx, xs, hist.cols.busy, yCpu);
  ctx.strokeStyle = c.rx;
  path(ctx, xs, hist.cols.wanRx, yNet);
  ctx.strokeStyle = c.tx;
  ctx.setLineDash([5, 3]);
  path(ctx, xs, hist.cols.wanTx, yNet);
  ctx.setLineDash([]);

  // Mode changes: a dashed vertical line and its label.
  ctx.strokeStyle = c.mark;
  ctx.fillStyle = c.mark;
  ctx.lineWidth = 1;
  ctx.textAlign = 'left';
  for (const mk of hist.markers) {
    const x = Math.round(PAD_L + ((mk.t - start) / view) * plotW) + 0.5;
    ctx.setLineDash([3, 3]);
    ctx.beginPath();
    ctx.moveTo(x, cpu.top);
    ctx.lineTo(x, net.top + net.height);
    ctx.stroke();
    ctx.setLineDash([]);
    const tw = ctx.measureText(mk.label).width;
    ctx.fillText(mk.label, x + 4 + tw > PAD_L + plotW ? x - 4 - tw : x + 4, cpu.top + 8);
  }
  ctx.restore();
  ctx.restore();
}
