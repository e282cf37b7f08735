import { useEffect, useRef } from 'preact/hooks';
import type { ReportModel } from '../models/ReportModel';
import { useStore } from '../lib/use-store';
import { t } from '../lib/i18n';
import { Alert } from './Alert';

interface ReportToolsProps {
  report: ReportModel;
}

/**
 * The report for forum helpers: a mask switch, a preview, Copy and Download `.md`, with a
 * selectable text area where the clipboard is unavailable.
 */
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
      <div class="lo-report-mask">
        <input type="checkbox" id="lo-report-mask" checked={s.mask} disabled={s.busy} aria-describedby="lo-report-mask-help" data-lo="report-mask" onChange={(e) => void report.setMask((e.currentTarget as HTMLInputElement).checked)} />
        <label for="lo-report-mask">{t('Mask addresses')}</label>
        <span id="lo-report-mask-help" class="lo-help">{t('Public IP addresses and MAC addresses are replaced by x; private addresses stay readable.')}</span>
      </div>
      <div class="lo-buttons">
        <button type="button" class="cbi-button cbi-button-neutral" disabled={s.busy} aria-expanded={s.preview !== null} aria-controls="lo-report-preview" onClick={() => (s.preview === null ? void report.showPreview() : report.hidePreview())}>
          {s.preview === null ? t('Preview report') : t('Hide preview')}
        </button>
        <button type="button" class="cbi-button cbi-button-action" disabled={s.busy} onClick={() => void report.copy()}>
          {s.busy ? t('Preparing the report…') : t('Copy report')}
        </button>
        <button type="button" class="cbi-button cbi-button-neutral" disabled={s.busy} onClick={() => void report.download()}>
          {t('Download .md')}
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
      {s.preview !== null && (
        <div class="lo-fallback lo-report-preview">
          <label for="lo-report-preview">{t('Report preview')}</label>
          <textarea id="lo-report-preview" class="cbi-input-textarea" readOnly rows={18} value={s.preview} data-lo="report-preview" />
        </div>
      )}
    </div>
  );
}
