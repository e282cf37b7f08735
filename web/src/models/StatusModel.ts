/**
 * The router's offload state and the mode switch: load/refresh `status`,
 * apply a mode with `set`, flush the flowtable with `flush`.
 */
import type { Mode, SetResult, StatusResult } from '../../../rpcd/src/api/contract';
import { applyOutcome, modeName, type Outcome } from '../lib/describe';
import { describeError } from '../lib/errors';
import { t, fmt } from '../lib/i18n';
import { Store } from './store';
import type { SessionModel } from './SessionModel';
import type { OffloadClient } from './types';

export interface StatusState {
  status: StatusResult | null;
  loading: boolean;
  /** Why the last status load failed (the previous status stays shown). */
  error: string | null;
  /** The choice in the radio group. */
  selected: Mode | null;
  /** The mode being applied right now. */
  applying: Mode | null;
  outcome: Outcome | null;
  flushing: boolean;
  flushOutcome: Outcome | null;
}

/** rpcd's exec timeout on OpenWrt is 30 s; wait longer so its ubus 7 answer arrives first. */
export const APPLY_TIMEOUT_MS = 65000;
export const STATUS_TIMEOUT_MS = 20000;

/**
 * The chart's mode-change label: the mode configured, and the mode running when
 * it differs (hardware applied on a router that falls back reads "Hardware (runs
 * Software)", never just "Software").
 */
export function markLabel(s: StatusResult): string {
  const conf = s.configured.mode;
  const run = s.effective.mode;
  return conf === run ? modeName(run) : fmt(t('%s (runs %s)'), modeName(conf), modeName(run));
}

/**
 * What an apply did. Under the hardware fallback the message only points to the
 * state card, which explains it once (with fw4's own text behind "Details").
 */
function outcomeOf(r: SetResult): Outcome {
  const out = applyOutcome(r);
  const eff = r.status.effective;
  if (eff.state !== 'hardware-fallback' && !(r.requested === 'hardware' && eff.mode === 'software')) return out;
  return {
    ...out,
    tone: 'warning',
    message: r.changed
      ? t('Hardware is now configured, but the router runs software offloading instead (see Current state).')
      : t('Hardware was already configured; the router runs software offloading instead (see Current state).'),
  };
}

export class StatusModel {
  readonly store = new Store<StatusState>({
    status: null, loading: false, error: null, selected: null, applying: null, outcome: null, flushing: false, flushOutcome: null,
  });

  constructor(
    private client: OffloadClient,
    private session: SessionModel,
    /** Told about every mode change, e.g. to mark the chart. */
    private onModeChange: (label: string) => void = () => {},
  ) {}

  /** Load or refresh `status`. @returns whether it worked */
  async load(): Promise<boolean> {
    this.store.set({ loading: true });
    try {
      const status = await this.client.call('status', {}, { timeoutMs: STATUS_TIMEOUT_MS });
      // Logged out while the call ran: the answer belongs to the session that is gone.
      if (this.session.store.get().phase === 'login') {
        this.store.set({ loading: false });
        return false;
      }
      this.session.succeeded('luci.offload.status');
      const s = this.store.get();
      this.store.set({ status, loading: false, error: null, selected: s.selected ?? status.configured.mode });
      this.session.confirm();
      return true;
    } catch (e) {
      const kind = await this.session.check('luci.offload.status', e);
      this.store.set({ loading: false, error: kind === 'expired' ? null : describeError(e) });
      return false;
    }
  }

  select(m: Mode): void {
    if (!this.store.get().applying) this.store.set({ selected: m });
  }

  /** Choose `m` and apply it (the fallback notice's "set the configuration to Software"). */
  async applyMode(m: Mode): Promise<void> {
    if (this.store.get().applying) return;
    this.select(m);
    await this.apply();
  }

  /** Apply the selected mode. */
  async apply(): Promise<void> {
    const s = this.store.get();
    const mode = s.selected;
    if (!mode || s.applying || !this.session.store.get().canWrite) return;
    this.store.set({ applying: mode, outcome: null, flushOutcome: null });
    try {
      const r = await this.client.call('set', { mode }, { timeoutMs: APPLY_TIMEOUT_MS });
      this.session.succeeded('luci.offload.set');
      this.store.set({ applying: null, status: r.status, error: null, outcome: outcomeOf(r), selected: r.status.configured.mode });
      // Only a reload changes what runs; "already active" (even under a fallback) is no change to mark.
      if (r.changed) this.onModeChange(markLabel(r.status));
    } catch (e) {
      const kind = await this.session.check('luci.offload.set', e);
      const msg = kind === 'expired'
        ? t('The session expired before the change was made. Log in again and apply once more.')
        : describeError(e);
      this.store.set({ applying: null, outcome: { tone: 'error', message: fmt(t('Could not apply %s: %s'), modeName(mode), msg), details: [] } });
      // Show what the router is really running now (and an interrupted apply, if any).
      if (kind !== 'expired') {
        const before = this.store.get().status?.effective.mode;
        const now = (await this.load()) ? this.store.get().status : null;
        if (now && before !== now.effective.mode) this.onModeChange(markLabel(now));
      }
    }
  }

  /** Forget the router's state (after a log-out): the page shows nothing of it until the next login. */
  clear(): void {
    this.store.set({ status: null, loading: false, error: null, selected: null, outcome: null, flushOutcome: null });
  }

  /** Recreate the flowtable so offloaded flows meet the current rules again. */
  async flush(): Promise<void> {
    if (this.store.get().flushing || this.store.get().applying) return;
    this.store.set({ flushing: true, flushOutcome: null });
    try {
      const r = await this.client.call('flush', {}, { timeoutMs: APPLY_TIMEOUT_MS });
      this.session.succeeded('luci.offload.flush');
      this.store.set({
        flushing: false,
        flushOutcome: { tone: r.warning ? 'warning' : 'success', message: r.detail, details: r.warning ? [fmt(t('Firewall warning: %s'), r.warning)] : [] },
      });
    } catch (e) {
      const kind = await this.session.check('luci.offload.flush', e);
      this.store.set({
        flushing: false,
        flushOutcome: { tone: 'error', message: kind === 'expired' ? t('The session expired. Log in again and retry.') : describeError(e), details: [] },
      });
    }
    void this.load();
  }
}
