import { MODES, type Mode } from '../../../rpcd/src/api/contract';
import type { LiveModel } from '../models/LiveModel';
import type { SessionModel } from '../models/SessionModel';
import type { StatusModel } from '../models/StatusModel';
import { useStore } from '../lib/use-store';
import { modeAvailability, modeHelp, modeName } from '../lib/describe';
import { t, fmt, say } from '../lib/i18n';
import { Alert } from './Alert';

interface ModeSwitchProps {
  status: StatusModel;
  session: SessionModel;
  /** Its `lost` disables Apply and Flush while the router does not answer. */
  live: LiveModel;
}

/** Off / Software / Hardware as a radio group, the Apply button and the apply result in place. */
export function ModeSwitch({ status, session, live }: ModeSwitchProps) {
  const s = useStore(status.store);
  const sess = useStore(session.store);
  const offline = useStore(live.store).lost !== null;
  const st = s.status;
  const readonly = !sess.canWrite;
  const busy = s.applying !== null || s.flushing;
  const avail = (m: Mode) => (st ? modeAvailability(m, st) : { disabled: null, caution: null });
  const selectedBlocked = s.selected ? avail(s.selected).disabled : null;
  // Hardware where the kernel refuses it: the card says so in plain words; the kernel's own
  // text sits behind "Details" below — or, once the fallback runs, in the state card's notice.
  const hwRefused = st && !avail('hardware').disabled && avail('hardware').caution ? say(st.capabilities.hardware.reason_msg, st.capabilities.hardware.reason) : null;
  const fellBack = st?.effective.state === 'hardware-fallback';
  return (
    <div class="cbi-section lo-mode" aria-busy={busy}>
      <h3 id="lo-mode-h">{t('Offloading mode')}</h3>
      {readonly && sess.readonlyReason && (
        <p class="alert-message notice lo-readonly" id="lo-readonly">
          {sess.readonlyReason}
        </p>
      )}
      <fieldset class="lo-modes" disabled={readonly || busy || !st} aria-describedby={readonly ? 'lo-readonly' : undefined}>
        <legend class="lo-sr">{t('Offloading mode')}</legend>
        {MODES.map((m) => {
          const { disabled: why, caution } = avail(m);
          const note = why ? fmt(t('Unavailable: %s'), why) : caution && m === 'hardware' ? t('Not supported on this router: choosing it runs software offloading instead.') : caution;
          const configured = st?.configured.mode === m;
          return (
            <label key={m} class={`lo-mode-opt${s.selected === m ? ' lo-selected' : ''}${why ? ' lo-blocked' : ''}`} data-mode={m}>
              <input
                type="radio"
                name="lo-mode"
                value={m}
                checked={s.selected === m}
                disabled={why !== null}
                aria-describedby={`lo-help-${m}${note ? ` lo-why-${m}` : ''}`}
                onChange={() => status.select(m)}
              />
              <span class="lo-mode-text">
                <span class="lo-mode-name">
                  {modeName(m)}
                  {configured && <span class="lo-tag">{t('configured')}</span>}
                </span>
                <span class="lo-help" id={`lo-help-${m}`}>
                  {modeHelp(m)}
                </span>
                {note && (
                  <span class="lo-why" id={`lo-why-${m}`}>
                    {note}
                  </span>
                )}
              </span>
            </label>
          );
        })}
      </fieldset>
      {hwRefused && !fellBack && (
        <details class="lo-note" data-lo="hw-details">
          <summary>{t('Details')}</summary>
          <p class="lo-raw">{fmt(t('Hardware check: %s'), hwRefused)}</p>
        </details>
      )}
      <div class="lo-buttons">
        <button
          type="button"
          class="cbi-button cbi-button-apply"
          disabled={readonly || offline || !st || !s.selected || selectedBlocked !== null}
          // Not `disabled` while busy: the button keeps keyboard focus during the apply.
          aria-disabled={busy ? 'true' : undefined}
          aria-describedby={readonly ? 'lo-readonly' : offline ? 'lo-connection' : undefined}
          onClick={() => void status.apply()}
        >
          {s.applying ? fmt(t('Applying %s…'), modeName(s.applying)) : t('Apply')}
        </button>
        {!readonly && st && st.effective.mode !== 'off' && (
          <button type="button" class="cbi-button cbi-button-action" disabled={busy || offline} aria-describedby={offline ? 'lo-connection' : undefined} onClick={() => void status.flush()}>
            {s.flushing ? t('Flushing…') : t('Flush offloaded flows')}
          </button>
        )}
      </div>
      {!readonly && st && st.effective.mode !== 'off' && (
        <p class="lo-note" data-lo="flush-help">
          {t('Flush reloads the firewall and recreates the flowtable: connections stay open, and offloaded ones are checked against the current rules again.')}
        </p>
      )}
      <div class="lo-result" role="status" aria-live="polite" data-lo="apply-result" tabIndex={-1}>
        {s.applying && (
          <p class="alert-message notice lo-progress">
            <span class="spinning lo-spinner" aria-hidden="true" /> {fmt(t('Applying %s: writing the config and reloading the firewall…'), modeName(s.applying))}
          </p>
        )}
        {s.outcome && (
          <Alert tone={s.outcome.tone} details={s.outcome.details}>
            {s.outcome.message}
          </Alert>
        )}
        {s.flushOutcome && (
          <Alert tone={s.flushOutcome.tone} details={s.flushOutcome.details}>
            {s.flushOutcome.message}
          </Alert>
        )}
      </div>
    </div>
  );
}
