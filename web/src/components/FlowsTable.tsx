import { useState } from 'preact/hooks';
import type { FlowsModel } from '../models/FlowsModel';
import { useStore } from '../lib/use-store';
import { formatBytes } from '../../../rpcd/src/calc/rates';
import { flowStateName } from '../lib/describe';
import { clock, count, endpoint } from '../lib/format';
import { t, fmt, say } from '../lib/i18n';
import { Alert } from './Alert';

interface FlowsTableProps {
  flows: FlowsModel;
}

/** The largest connections, whether each is offloaded and why not; loaded when opened. */
export function FlowsTable({ flows }: FlowsTableProps) {
  const s = useStore(flows.store);
  const r = s.result;
  // A view choice of this table only, not router state: kept in the component.
  const [notOffloaded, setNotOffloaded] = useState(false);
  const shown = r ? (notOffloaded ? r.flows.filter((f) => f.offload === 'none') : r.flows) : [];
  // Each cell carries its column's label for the theme's phone layout, which hides the header row (issue 12).
  const col = {
    proto: t('Protocol'), src: t('Source'), dst: t('Destination'), bytes: t('Transferred'), offload: t('Offload'), why: t('Why not offloaded'),
  };
  return (
    <div class="cbi-section lo-flows">
      <h3>
        <button type="button" class="lo-disclosure" aria-expanded={s.open} aria-controls="lo-flows-body" onClick={() => flows.toggle()}>
          <span class="lo-caret" aria-hidden="true">{s.open ? '▾' : '▸'}</span> {t('Top flows')}
        </button>
      </h3>
      {s.open && (
        <div id="lo-flows-body" aria-busy={s.loading}>
          <div class="lo-buttons">
            <button type="button" class="cbi-button cbi-button-action" disabled={s.loading} onClick={() => void flows.load()}>
              {s.loading ? t('Loading…') : t('Refresh')}
            </button>
            <span role="status" class="lo-note">
              {r && s.loadedAt !== null &&
                fmt(t('%s connections tracked, %s offloaded in software, %s in hardware (read at %s).'), count(r.total), count(r.offloaded), count(r.hw_offloaded), clock(new Date(s.loadedAt)))}
            </span>
          </div>
          {s.error && <Alert tone="error">{s.error}</Alert>}
          {r?.error && <Alert tone="warning">{r.error}</Alert>}
          {r && r.masked && <p class="lo-note">{t('Public addresses are masked.')}</p>}
          {r && r.flows.length > 0 && (
            <label class="lo-note lo-filter">
              <input type="checkbox" data-lo="flows-not-offloaded" checked={notOffloaded} onChange={(e) => setNotOffloaded((e.currentTarget as HTMLInputElement).checked)} />{' '}
              {t('Only connections that are not offloaded, with the reason')}
            </label>
          )}
          {r && r.flows.length === 0 && !r.error && <p>{t('No flows.')}</p>}
          {r && r.flows.length > 0 && shown.length === 0 && <p data-lo="flows-none-left">{t('Every connection listed is offloaded.')}</p>}
          {r && shown.length > 0 && (
            <div class="lo-scroll" tabIndex={0} role="region" aria-label={t('Top flows')}>
              <table class="table lo-table" data-lo="flows-table">
                <caption class="lo-sr">{t('Top flows')}</caption>
                <thead>
                  <tr class="tr table-titles">
                    {Object.entries(col).map(([k, label]) => (
                      <th key={k} class="th" scope="col">{label}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {shown.map((f, i) => (
                    <tr key={i} class={`tr lo-flow-${f.offload}`}>
                      <td class="td" data-title={col.proto}>{`${f.l3} ${f.proto}`}</td>
                      <td class="td lo-addr" data-title={col.src}>{endpoint(f.src, f.sport)}</td>
                      <td class="td lo-addr" data-title={col.dst}>{endpoint(f.dst, f.dport)}</td>
                      <td class="td" data-title={col.bytes}>{formatBytes(f.bytes)}</td>
                      <td class="td" data-title={col.offload}>{flowStateName(f.offload)}</td>
                      <td class="td" data-title={col.why}>{say(f.why_not_msg, f.why_not) || '–'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
