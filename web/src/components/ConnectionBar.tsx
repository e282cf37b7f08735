import { clock } from '../lib/format';
import { t, fmt } from '../lib/i18n';
import type { LiveState } from '../models/LiveModel';
import { Alert } from './Alert';

interface ConnectionBarProps {
  lost: LiveState['lost'];
}

/** Page-level: the router stopped answering (since when), and that changes wait; the region exists before anything is announced. */
export function ConnectionBar({ lost }: ConnectionBarProps) {
  return (
    <div role="status" aria-live="polite" data-lo="connection" id="lo-connection">
      {lost && (
        <Alert tone="warning">{fmt(t('Connection to the router lost since %s. Retrying every second; Apply and Flush wait until it answers.'), clock(new Date(lost.since)))}</Alert>
      )}
    </div>
  );
}
