import { clock } from '../lib/format';
import { t, fmt } from '../lib/i18n';
import type { LiveState } from '../models/LiveModel';
import { Alert } from './Alert';

interface StaleNoticeProps {
  stale: LiveState['stale'];
  paused: boolean;
  /** LuCI's automatic refresh is paused (its header indicator). */
  luciPaused?: boolean;
}

/** Announces stale or paused live data; the region exists before anything is announced. */
export function StaleNotice({ stale, paused, luciPaused }: StaleNoticeProps) {
  return (
    <div role="status" aria-live="polite" data-lo="stale">
      {paused ? (
        <Alert tone="warning">{t('Live updates are paused until you log in again.')}</Alert>
      ) : luciPaused ? (
        <Alert tone="notice">{t('Live updates are paused because LuCI\'s automatic refresh is paused. The "Paused" indicator at the top of the page turns it back on.')}</Alert>
      ) : (
        stale && <Alert tone="warning">{fmt(t('The figures are stale since %s: %s Retrying every second.'), clock(new Date(stale.since)), stale.reason)}</Alert>
      )}
    </div>
  );
}
