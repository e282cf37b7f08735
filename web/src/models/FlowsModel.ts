/** The collapsible top-flows table: loaded when opened, refreshable. */
import type { FlowsResult } from '../../../rpcd/src/api/contract';
import { describeError } from '../lib/errors';
import { t } from '../lib/i18n';
import { Store } from './store';
import type { SessionModel } from './SessionModel';
import type { OffloadClient } from './types';

export interface FlowsState {
  open: boolean;
  loading: boolean;
  error: string | null;
  result: FlowsResult | null;
  /** Wall-clock time of the last successful load. */
  loadedAt: number | null;
}

export const FLOWS_LIMIT = 50;

export class FlowsModel {
  readonly store = new Store<FlowsState>({ open: false, loading: false, error: null, result: null, loadedAt: null });

  constructor(private client: OffloadClient, private session: SessionModel) {}

  toggle(): void {
    const open = !this.store.get().open;
    this.store.set({ open });
    if (open && !this.store.get().result) void this.load();
  }

  async load(): Promise<void> {
    if (this.store.get().loading) return;
    this.store.set({ loading: true, error: null });
    try {
      const result = await this.client.call('flows', { limit: FLOWS_LIMIT }, { timeoutMs: 20000 });
      this.session.succeeded('luci.offload.flows');
      this.store.set({ loading: false, result, loadedAt: Date.now() });
    } catch (e) {
      const kind = await this.session.check('luci.offload.flows', e);
      this.store.set({ loading: false, error: kind === 'expired' ? t('The session expired. Log in again and refresh.') : describeError(e) });
    }
  }
}
