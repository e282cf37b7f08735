import { useEffect, useRef } from 'preact/hooks';
import type { ReportModel } from '../models/ReportModel';
import { useStore } from '../lib/use-store';
import { t } from '../lib/i18n';
import { Alert } from './Alert';

interface ReportToolsProps {
  report: ReportModel;
}

/** "Copy report" for forum helpers, with a selectable text area where the clipboard is unavailable. */
export function ReportTools({ report }: ReportToolsProps) {
  const s = useStore(report.store);
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (s.fallbackText !== null && area.current) {
      area.current.focus();
      area.current.select();
    }
  }, [s.fallbackText]);
  return (
    <div class="cbi-section lo-report">
      <h3>{t('Diagnostics')}</h3>
      <p>{t('A Markdown report with the configuration, the running flowtable, devices and flow counts, for asking for help in the OpenWrt forum.')}</p>
      <div class="lo-buttons">
        <button type="button" class="cbi-button cbi-button-action" disabled={s.busy} onClick={() => void report.copy()}>
          {s.busy ? t('Preparing the report…') : t('Copy report')}
        </button>
      </div>
      <div role="status" aria-live="polite" data-lo="report-status">
        {s.message && <Alert tone={s.message.tone}>{s.message.text}</Alert>}
      </div>
      {s.fallbackText !== null && (
        <div class="lo-fallback">
          <label for="lo-report-text">{t('Diagnostics report')}</label>
          <textarea id="lo-report-text" ref={area} class="cbi-input-textarea" readOnly rows={12} value={s.fallbackText} data-lo="report-text" />
          <button type="button" class="cbi-button cbi-button-neutral" onClick={() => report.dismiss()}>
            {t('Close')}
          </button>
        </div>
      )}
    </div>
  );
}
