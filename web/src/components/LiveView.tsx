import { useRef } from 'preact/hooks';
import type { LiveModel } from '../models/LiveModel';
import type { SessionModel } from '../models/SessionModel';
import { useStore } from '../lib/use-store';
import { bits, count, pct } from '../lib/format';
import { countersText, hwCountersText } from '../lib/evidence';
import { t, fmt } from '../lib/i18n';
import { Alert } from './Alert';
import { Chart } from './Chart';
import { CpuCores } from './CpuCores';
import { StaleNotice } from './StaleNotice';

interface LiveViewProps {
  live: LiveModel;
  session: SessionModel;
}


/** Save the canvas as a PNG through a temporary download link. */
function savePng(cv: HTMLCanvasElement | null): void {
  if (!cv) return;
  const name = `offload-live-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}.png`;
  const go = (href: string, done?: () => void): void => {
    const a = document.createElement('a');
    a.href = href;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    if (done) setTimeout(done, 1000);
  };
  cv.toBlob((b) => {
    if (!b) return go(cv.toDataURL('image/png'));
    const url = URL.createObjectURL(b);
    go(url, () => URL.revokeObjectURL(url));
  }, 'image/png');
}

interface FigureProps {
  label: string;
  value: string;
  sub: string;
  id: string;
  /** Machine-readable values (for tests and tools), empty when unknown. */
  raw?: number | null | undefined;
  subRaw?: number | null | undefined;
}

const num = (v: number | null | undefined): string => (v === null || v === undefined ? '' : String(+v.toFixed(2)));

function Figure({ label, value, sub, id, raw, subRaw }: FigureProps) {
  return (
    <div class="lo-figure">
      <dt>{label}</dt>
      <dd data-lo={id} data-value={num(raw)}>{value}</dd>
      <dd class="lo-sub" data-lo={`${id}-sub`} data-value={num(subRaw)}>{sub}</dd>
    </div>
  );
}

/** CPU, throughput and flow counts, updated every second, with five minutes of history. */
export function LiveView({ live, session }: LiveViewProps) {
  const s = useStore(live.store);
  const sess = useStore(session.store);
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const p = s.latest;
  const f = s.flows;
  const wanDevs = s.devices.filter((d) => d.role === 'wan').map((d) => d.device).join(', ');
  const lanDevs = s.devices.filter((d) => d.role === 'lan').map((d) => d.device).join(', ');
  // Packets the hardware engine forwards never reach the kernel counters the figures and the chart read.
  const missesHw = s.counters?.misses_hw === true;
  const uncounted = t('Hardware-offloaded traffic is not counted here.');
  const summary = (p
    ? fmt(t('Live chart of the last five minutes. Now: CPU %s busy, %s softirq; WAN %s received, %s sent.'), pct(p.busy), pct(p.softirq), bits(p.wanRx), bits(p.wanTx))
    : t('Live chart: collecting data.')) + (missesHw ? ` ${uncounted}` : '');
  return (
    <div class="cbi-section lo-liveview" id="lo-live">
      <h3>{t('Live load')}</h3>
      <StaleNotice stale={s.stale} paused={sess.phase === 'expired'} luciPaused={s.paused === 'luci'} />
      <dl class={`lo-figures${s.stale ? ' lo-is-stale' : ''}`}>
        <Figure id="cpu-busy" label={t('CPU busy (all cores)')} value={pct(p?.busy)} raw={p?.busy} subRaw={p?.softirq} sub={fmt(t('softirq %s'), pct(p?.softirq))} />
        <Figure id="wan-rx" label={wanDevs ? fmt(t('WAN received (%s)'), wanDevs) : t('WAN received')} value={bits(p?.wanRx)} raw={p?.wanRx} subRaw={p?.wanTx} sub={fmt(t('sent %s'), bits(p?.wanTx))} />
        <Figure id="lan-rx" label={lanDevs ? fmt(t('LAN received (%s)'), lanDevs) : t('LAN received')} value={bits(p?.lanRx)} raw={p?.lanRx} subRaw={p?.lanTx} sub={fmt(t('sent %s'), bits(p?.lanTx))} />
        <Figure
          id="flows"
          label={t('Offloaded flows')}
          raw={f?.offloaded}
          subRaw={s.conntrack ?? f?.count}
          value={f && f.offloaded !== null ? fmt(t('%s software, %s hardware'), count(f.offloaded), count(f.hw_offloaded)) : '–'}
          sub={fmt(t('of %s tracked (max %s)'), count(s.conntrack ?? f?.count), count(f?.max))}
        />
      </dl>
      <CpuCores cores={p?.cores ?? []} />
      {s.countersError && <p class="lo-note">{s.countersError}</p>}
      {s.flowsError && <p class="lo-note">{fmt(t('Flow counts are not available: %s'), s.flowsError)}</p>}
      {s.source === 'stats' && (
        <p class="lo-note">{t('This user may not read the counter files directly, so the panel asks luci.offload for statistics every second instead.')}</p>
      )}
      {missesHw && (
        <div data-lo="counters-hw">
          <Alert tone="notice">
            {uncounted} {t('The hardware engine forwards it without the kernel, so the throughput figures and the chart show only the traffic the CPU handles.')}
            {s.counters?.hw && <span data-lo="counters-mib"> {hwCountersText(s.counters.hw)}</span>}
          </Alert>
        </div>
      )}
      <Chart
        history={live.history}
        version={s.version}
        canvasRef={canvas}
        summary={summary}
        labels={{
          cpu: t('CPU'), busy: t('busy'), softirq: t('softirq'), wan: t('WAN'), unit: t('bit/s'), rx: t('received'), tx: t('sent'), now: t('now'), waiting: t('Collecting data…'),
        }}
      />
      {s.counters && <p class="lo-note" data-lo="counters">{countersText(s.source, s.counters)}</p>}
      <div class="lo-buttons">
        <button type="button" class="cbi-button cbi-button-neutral" onClick={() => savePng(canvas.current)}>
          {t('Save chart as PNG')}
        </button>
      </div>
    </div>
  );
}
