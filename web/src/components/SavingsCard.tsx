import type { Mode } from '../../../rpcd/src/api/contract';
import type { AbState } from '../models/SavingsModel';
import { modeName } from '../lib/describe';
import { t, fmt } from '../lib/i18n';
import { MIN_WINDOWS, change, sig3, type Comparison, type ModeFigure } from '../lib/savings';
import { localDigits } from '../lib/format';

/** Three significant digits with the page's decimal sign. */
const n3 = (v: number): string => localDigits(sig3(v));

export interface SavingsCardProps {
  /** Figures of the modes with enough windows. */
  figures: ModeFigure[];
  comparisons: Comparison[];
  /** Windows counted so far per mode. */
  counts: Record<Mode, number>;
  ab: AbState;
  /** What the A/B would switch to, or null when it cannot run (read-only user, nothing to compare with, applying). */
  other: Mode | null;
  /** The running mode's name for the A/B's first step. */
  current: Mode | null;
  /** Seconds the A/B measures each mode (about). */
  abSeconds: number;
  readonly: boolean;
  onAsk(): void;
  onStart(): void;
  onCancel(): void;
  onDismiss(): void;
  onForget(): void;
}

/** "off: X, software: Y → −Z % CPU per GB at ~N Mbit/s (k windows)" with its spread. */
function Compare({ c }: { c: Comparison }) {
  return (
    <p data-lo="savings-compare">
      <strong>
        {fmt(t('%s: %s, %s: %s → %s CPU per GB at ~%s Mbit/s (%d and %d windows)'), modeName(c.from.mode), n3(c.from.busy), modeName(c.to.mode), n3(c.to.busy), change(c.busyChange), String(Math.round(c.mbit)), c.from.windows, c.to.windows)}
      </strong>
      <br />
      <span class="lo-note">
        {fmt(t('Busy CPU-seconds per GB through WAN; spread of the windows %s–%s and %s–%s. Softirq alone: %s.'), n3(c.from.busyLo), n3(c.from.busyHi), n3(c.to.busyLo), n3(c.to.busyHi), change(c.softirqChange))}
      </span>
    </p>
  );
}

const button = (label: string, onClick: () => void, lo: string, kind = 'action', disabled = false) => (
  <button type="button" class={`cbi-button cbi-button-${kind}`} data-lo={lo} disabled={disabled} onClick={onClick}>
    {label}
  </button>
);

/** The guided A/B: consent, progress, result. */
function Ab({ ab, other, current, abSeconds, readonly, onAsk, onStart, onCancel, onDismiss }: SavingsCardProps) {
  const o = ab.original;
  let body;
  if (ab.phase === 'idle') {
    body = readonly
      ? <p class="lo-note">{t('Only a user who may change the mode can run the comparison.')}</p>
      : other && button(fmt(t('Compare with %s…'), modeName(other)), onAsk, 'savings-ask', 'action');
  } else if (ab.phase === 'confirm') {
    body = (
      <>
        <p data-lo="savings-consent">
          {current && other
            ? fmt(t('The panel will measure %s for about %d s while your traffic runs, switch to %s, measure it for about %d s, and switch back to %s. The firewall reloads twice. Keep a download running: if the traffic stops or you cancel, it switches back to %s at once.'), modeName(current), abSeconds, modeName(other), abSeconds, modeName(current), modeName(current))
            : t('The comparison cannot run now.')}
        </p>
        <div class="lo-buttons">
          {button(t('Start the comparison'), onStart, 'savings-start', 'apply', !other)}
          {button(t('Cancel'), onDismiss, 'savings-dismiss', 'neutral')}
        </div>
      </>
    );
  } else if (ab.phase === 'measure' || ab.phase === 'switch' || ab.phase === 'restore') {
    const what = ab.phase === 'measure' && ab.measuring
      ? fmt(t('Measuring %s: %d of %d windows…'), modeName(ab.measuring), ab.got, MIN_WINDOWS)
      : ab.phase === 'switch' && ab.other
        ? fmt(t('Switching to %s…'), modeName(ab.other))
        : fmt(t('Switching back to %s…'), o ? modeName(o) : '');
    body = (
      <>
        <p role="status">
          <span class="spinning lo-spinner" aria-hidden="true" /> {what}
        </p>
        {ab.phase !== 'restore' && o && button(fmt(t('Cancel and switch back to %s'), modeName(o)), onCancel, 'savings-cancel', 'reset')}
      </>
    );
  } else {
    body = (
      <>
        {ab.result && <Compare c={ab.result} />}
        {ab.reason && <p>{fmt(t('The comparison stopped: %s'), ab.reason)}</p>}
        {o && (
          <p data-lo="savings-restored" data-value={String(ab.restored)}>
            {ab.restored ? fmt(t('%s is running again.'), modeName(o)) : fmt(t('Could not switch back to %s: choose it above and apply.'), modeName(o))}
          </p>
        )}
        {button(t('Close'), onDismiss, 'savings-dismiss', 'neutral')}
      </>
    );
  }
  return (
    <div data-lo="savings-ab" data-phase={ab.phase}>
      {body}
    </div>
  );
}

/** What offload saved here: the CPU cost per traffic measured per mode, their comparison, the guided A/B. */
export function SavingsCard(p: SavingsCardProps) {
  const counted = (['off', 'software', 'hardware'] as const).map((m) => `${modeName(m)} ${p.counts[m]}`).join(', ');
  return (
    <div class="cbi-section lo-savings" id="lo-savings" data-lo="savings">
      <h3>{t('What offload saved here')}</h3>
      <p class="lo-note">
        {t('Measured on this router’s own traffic: CPU time per GB through WAN in each mode, over 10 s windows that carried at least 25 MB. Kept in this browser.')}
      </p>
      {p.comparisons.length
        ? p.comparisons.map((c) => <Compare key={c.to.mode} c={c} />)
        : <p data-lo="savings-none">{fmt(t('Not enough traffic yet: a mode needs %d windows of 10 s with at least 25 MB through WAN, and two modes are compared. Counted so far: %s.'), MIN_WINDOWS, counted)}</p>}
      {p.figures.length > 0 && (
        <ul class="lo-note" data-lo="savings-modes">
          {p.figures.map((f) => (
            <li key={f.mode}>
              {fmt(t('%s: %s busy and %s softirq CPU-seconds per GB at ~%s Mbit/s (%d windows)'), modeName(f.mode), n3(f.busy), n3(f.softirq), String(Math.round(f.mbit)), f.windows)}
            </li>
          ))}
        </ul>
      )}
      <Ab {...p} />
      {p.ab.phase === 'idle' && p.figures.length > 0 && <div class="lo-buttons">{button(t('Forget these figures'), p.onForget, 'savings-forget', 'neutral')}</div>}
    </div>
  );
}
