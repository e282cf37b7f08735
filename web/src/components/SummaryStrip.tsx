import { bits, count, pct } from '../lib/format';
import { t, fmt } from '../lib/i18n';
import type { SummaryProblem } from '../lib/summary';

export interface SummaryStripProps {
  /** The running state in words, null until the state is read. */
  running: string | null;
  flows: { software: number | null; hardware: number | null; total: number | null } | null;
  cpu: { busy: number; softirq: number } | null;
  /** switch: counted by the WAN port's switch (hardware-offloaded traffic included), not the kernel. */
  wan: { rx: number | null; tx: number | null; switch?: boolean } | null;
  /** The problem to read first (null: all is well) and how many more there are. */
  problem: SummaryProblem | null;
  more: number;
}


/** Follow an in-page link without touching the URL (LuCI routes by path and hash). */
function go(e: Event, href: string): void {
  const el = document.getElementById(href.slice(1));
  if (!el) return;
  e.preventDefault();
  if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
  el.scrollIntoView?.({ block: 'start' });
  el.focus({ preventScroll: true });
}

/** One line a screenshot answers with: mode · offloaded flows · CPU · WAN; a warning with the first problem when there is one. */
export function SummaryStrip({ running, flows, cpu, wan, problem, more }: SummaryStripProps) {
  return (
    <div class={`lo-summary${problem ? ' alert-message warning lo-summary-warn' : ''}`} data-lo="summary" data-tone={problem ? 'warning' : 'ok'}>
      <p class="lo-summary-line">
        <span data-lo="summary-mode">
          <strong>{t('Running:')}</strong> {running ?? '–'}
        </span>
        <span data-lo="summary-flows">
          {fmt(t('Offloaded: %s software, %s hardware of %s flows'), count(flows?.software), count(flows?.hardware), count(flows?.total))}
        </span>
        <span data-lo="summary-cpu">{fmt(t('CPU %s busy, %s softirq'), pct(cpu?.busy), pct(cpu?.softirq))}</span>
        <span data-lo="summary-wan">{fmt(wan?.switch ? t('WAN %s down, %s up (switch counters)') : t('WAN %s down, %s up'), bits(wan?.rx), bits(wan?.tx))}</span>
      </p>
      {problem && (
        <p class="lo-summary-problem" data-lo="summary-problem">
          <strong>{t('Warning:')}</strong>{' '}
          <a href={problem.href} onClick={(e) => go(e, problem.href)}>
            {problem.text}
          </a>
          {more > 0 && ` ${fmt(t('(%d more on this page)'), more)}`}
        </p>
      )}
    </div>
  );
}
