import { useEffect, useRef } from 'preact/hooks';
import type { Ref } from 'preact';
import type { History } from '../lib/history';
import { drawChart, type ChartColors, type ChartLabels } from '../lib/chart-draw';

interface ChartProps {
  history: History;
  /** The history's version: a new value redraws. */
  version: number;
  labels: ChartLabels;
  /** Text alternative for screen readers (the figures above the chart carry the numbers). */
  summary: string;
  canvasRef: Ref<HTMLCanvasElement>;
}

const HEIGHT = 300;
const VARS: Record<keyof ChartColors, string> = {
  bg: '--lo-c-bg', text: '--lo-c-text', grid: '--lo-c-grid', busy: '--lo-c-busy', soft: '--lo-c-soft', rx: '--lo-c-rx', tx: '--lo-c-tx', mark: '--lo-c-mark',
};

/** Colours come from the panel's CSS variables, so the chart follows light and dark themes. */
function colors(el: Element): ChartColors {
  const cs = getComputedStyle(el);
  const out = {} as ChartColors;
  for (const k of Object.keys(VARS) as (keyof ChartColors)[]) out[k] = cs.getPropertyValue(VARS[k]).trim() || '#888';
  return out;
}

/** The live chart on a canvas sized to its box and the device pixel ratio (crisp on HiDPI). */
export function Chart({ history, version, labels, summary, canvasRef }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const own = useRef<HTMLCanvasElement | null>(null);
  const draw = (): void => {
    const cv = own.current;
    const el = box.current;
    if (!cv || !el) return;
    const w = Math.max(200, Math.floor(el.clientWidth));
    const dpr = Math.min(3, window.devicePixelRatio || 1);
    if (cv.width !== Math.round(w * dpr) || cv.height !== Math.round(HEIGHT * dpr)) {
      cv.width = Math.round(w * dpr);
      cv.height = Math.round(HEIGHT * dpr);
      cv.style.width = `${w}px`;
      cv.style.height = `${HEIGHT}px`;
    }
    const ctx = cv.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawChart(ctx, w, HEIGHT, history, colors(cv), labels);
  };
  useEffect(draw);
  useEffect(() => {
    if (typeof ResizeObserver === 'undefined' || !box.current) return;
    const ro = new ResizeObserver(() => draw());
    ro.observe(box.current);
    return () => ro.disconnect();
  }, []);
  void version;
  return (
    <div class="lo-chart" ref={box}>
      <canvas
        ref={(el) => {
          own.current = el;
          if (typeof canvasRef === 'function') canvasRef(el);
          else if (canvasRef) canvasRef.current = el;
        }}
        role="img"
        aria-label={summary}
        data-lo="chart"
      />
    </div>
  );
}
