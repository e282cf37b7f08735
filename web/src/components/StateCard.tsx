import type { StatusResult } from '../../../rpcd/src/api/contract';
import type { LiveModel } from '../models/LiveModel';
import type { SessionModel } from '../models/SessionModel';
import type { StatusModel } from '../models/StatusModel';
import { useStore } from '../lib/use-store';
import { modeName, stateName, stateTone } from '../lib/describe';
import { engineText, flowEvidenceText, flowtableLine, hardwareVerdictText, topologyNote, verdictTone } from '../lib/evidence';
import { t, fmt, say } from '../lib/i18n';
import { Alert } from './Alert';
import { DeviceTable } from './DeviceTable';
import { FallbackNotice } from './FallbackNotice';

interface StateCardProps {
  status: StatusModel;
  /** Whether this user may change the mode (the fallback's Software button). */
  session: SessionModel;
  /** Its `lost` disables that button while the router does not answer. */
  live: LiveModel;
}

/** fw4's own warning and the kernel's refusal, for the fallback's "Details" (fw4's sentence once). */
function fallbackDetails(st: StatusResult): string[] {
  const out = [st.last_warning ? fmt(t('fw4 (%s): %s'), new Date(st.last_warning.at).toLocaleString(), st.last_warning.text) : say(st.effective.reason_msg, st.effective.reason)];
  if (st.capabilities.hardware.reason) out.push(fmt(t('Hardware check: %s'), say(st.capabilities.hardware.reason_msg, st.capabilities.hardware.reason)));
  return out;
}

/** What is configured, what really runs and why, devices, module, conflicts, warnings. */
export function StateCard({ status, session, live }: StateCardProps) {
  const s = useStore(status.store);
  const sess = useStore(session.store);
  const offline = useStore(live.store).lost !== null;
  const st = s.status;
  const topo = st ? topologyNote(st.topology) : null;
  const fallback = st?.effective.state === 'hardware-fallback';
  // fw3 or no nft: the running ruleset was not read, so the running mode is not known (the handler says 'off').
  const unknown = st?.effective.state === 'unsupported' || st?.effective.state === 'unknown';
  const fix = (): void => {
    void status.applyMode('software').then(() => document.querySelector<HTMLElement>('[data-lo=apply-result]')?.focus());
  };
  return (
    <div class="cbi-section lo-state" aria-busy={s.loading}>
      <h3>{t('Current state')}</h3>
      {s.error && (
        <div class="alert-message error" role="alert">
          <p>
            <strong>{t('Error:')}</strong> {fmt(t('The state could not be read: %s'), s.error)}
          </p>
          <button type="button" class="cbi-button cbi-button-action" onClick={() => void status.load()}>
            {t('Retry')}
          </button>
        </div>
      )}
      {!st && !s.error && <p class="spinning">{t('Reading the router state…')}</p>}
      {st && (
        <>
          <div class={`alert-message ${stateTone(st.effective.state)}`} data-lo="effective" data-state={st.effective.state}>
            <p>
              <strong>{fmt(t('Running: %s.'), stateName(st.effective.state))}</strong> {!fallback && say(st.effective.reason_msg, st.effective.reason)}
            </p>
            {fallback && (
              <FallbackNotice
                details={fallbackDetails(st)}
                fix={sess.canWrite ? { onClick: fix, disabled: offline, busy: s.applying !== null || s.flushing, describedBy: offline ? 'lo-connection' : undefined } : null}
              />
            )}
          </div>
          {st.effective.hardware && (
            <div class={`alert-message ${verdictTone(st.effective.hardware.verdict)}`} data-lo="hardware" data-verdict={st.effective.hardware.verdict}>
              <p>
                <strong>{t('Hardware proof:')}</strong> {hardwareVerdictText(st.effective.hardware.verdict, st.effective.flows)}
              </p>
              <p data-lo="engine">{engineText(st.effective.hardware.engine)}</p>
            </div>
          )}
          <table class="table lo-kv">
            <tbody>
              <tr class="tr">
                <th class="td" scope="row">{t('Configured mode')}</th>
                <td class="td" data-lo="configured">
                  {modeName(st.configured.mode)}
                  {st.configured.error && ` — ${st.configured.error}`}
                </td>
              </tr>
              <tr class="tr">
                <th class="td" scope="row">{t('Running mode')}</th>
                <td class="td" data-lo="running">
                  {unknown ? t('Unknown') : modeName(st.effective.mode)}
                  {!unknown && st.configured.mode !== st.effective.mode && ` — ${t('differs from the configuration')}`}
                </td>
              </tr>
              <tr class="tr">
                <th class="td" scope="row">{t('Flowtable')}</th>
                <td class="td" data-lo="flowtable">
                  {unknown ? t('Unknown') : st.effective.flowtable ? flowtableLine(st.effective.flowtable) : t('None')}
                  {st.effective.flowtable && !st.effective.rule && ` — ${t('no forward rule uses it')}`}
                </td>
              </tr>
              {st.effective.other_flowtables.length > 0 && (
                <tr class="tr">
                  <th class="td" scope="row">{t('User flowtables')}</th>
                  <td class="td" data-lo="other-flowtables">
                    {st.effective.other_flowtables.map((ft) => (
                      <span key={ft.name} class="lo-line">{flowtableLine(ft)}</span>
                    ))}
                    <span class="lo-line lo-note">{t('Added to table inet fw4 outside the firewall configuration; this panel does not change them.')}</span>
                  </td>
                </tr>
              )}
              {st.effective.flows && (
                <tr class="tr">
                  <th class="td" scope="row">{t('Offloaded connections')}</th>
                  <td class="td" data-lo="flow-evidence">{flowEvidenceText(st.effective.flows)}</td>
                </tr>
              )}
              <tr class="tr">
                <th class="td" scope="row">{t('Kernel module')}</th>
                <td class="td">
                  {st.module.nft_flow_offload
                    ? fmt(t('nft_flow_offload loaded (reference count %s)'), st.module.refcnt ?? '?')
                    : unknown
                      ? t('nft_flow_offload not loaded')
                      : t('nft_flow_offload not loaded: install kmod-nft-offload')}
                </td>
              </tr>
              <tr class="tr">
                <th class="td" scope="row">{t('Router')}</th>
                <td class="td">
                  {[st.system.model, st.system.release, st.system.kernel && `Linux ${st.system.kernel}`].filter(Boolean).join(' · ') || '–'}
                </td>
              </tr>
            </tbody>
          </table>
          {st.interrupted && (
            <Alert tone="warning">
              {fmt(t('An earlier change from %s to %s did not finish (%s): %s'), modeName(st.interrupted.previous), modeName(st.interrupted.requested), new Date(st.interrupted.at).toLocaleString(), st.interrupted.detail)}
            </Alert>
          )}
          {st.conflicts.map((c) => (
            <div key={c.id} class={`alert-message ${c.severity === 'warning' ? 'warning' : 'notice'}`} data-conflict={c.id}>
              <p>
                <strong>{c.severity === 'warning' ? t('Warning:') : t('Note:')}</strong> {c.text}
              </p>
              <p>
                <strong>{t('What to do:')}</strong> {c.advice}
              </p>
            </div>
          ))}
          {st.warnings.map((w) => (
            <Alert key={w} tone="warning">
              {w}
            </Alert>
          ))}
          {st.last_warning && !fallback && (
            <Alert tone="notice">{fmt(t('Last firewall warning (%s): %s'), new Date(st.last_warning.at).toLocaleString(), st.last_warning.text)}</Alert>
          )}
          <h4>{t('Devices')}</h4>
          {topo && (
            <div data-lo="topology">
              <Alert tone="notice">{topo}</Alert>
            </div>
          )}
          <DeviceTable devices={st.devices} fw4Flowtable={st.effective.flowtable?.name ?? null} rulesetUnknown={unknown} />
        </>
      )}
    </div>
  );
}
