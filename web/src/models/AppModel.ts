/**
 * Wires the models for one mounted panel: session → status/live/flows/report.
 * Components get this object and subscribe to the stores they show.
 */
import { FlowsModel } from './FlowsModel';
import { LiveModel, type LiveOptions } from './LiveModel';
import { ReportModel, type ClipboardLike } from './ReportModel';
import { savingsFor } from './SavingsModel';
import { SessionModel, type SessionOptions } from './SessionModel';
import { StatusModel } from './StatusModel';
import type { DocumentLike, OffloadClient } from './types';

export interface AppModelOptions extends SessionOptions, LiveOptions {
  clipboard?: () => ClipboardLike | null;
  /** Page Visibility and LuCI's poll events; the page's document by default. */
  doc?: DocumentLike | null;
}

export class AppModel {
  readonly session: SessionModel;
  readonly status: StatusModel;
  readonly live: LiveModel;
  readonly flows: FlowsModel;
  readonly report: ReportModel;
  private offReady: () => void;
  private offDoc: () => void = () => {};

  constructor(readonly client: OffloadClient, readonly opts: AppModelOptions) {
    this.session = new SessionModel(client, opts);
    this.live = new LiveModel(client, this.session, opts);
    this.status = new StatusModel(client, this.session, (label) => this.live.mark(label));
    this.flows = new FlowsModel(client, this.session);
    // the CPU cost per GB this browser measured on the router (SavingsModel) goes into the report
    this.report = new ReportModel(client, this.session, opts.clipboard, undefined, () => savingsFor(this).reportLines());
    this.offReady = this.session.onReady((again) => {
      if (!again) this.live.start();
      // A restored session was confirmed by a status load that just worked.
      if (again || !this.status.store.get().status) void this.status.load();
      if (again && this.flows.store.get().open) void this.flows.load();
    });
  }

  /** Begin: LuCI loads at once; standalone reuses a kept session or waits for a login. */
  start(): void {
    this.watchDocument();
    if (!this.opts.standalone) {
      void this.status.load();
      this.live.start();
      return;
    }
    if (this.session.restore()) void this.status.load();
  }

  /**
   * Standalone log-out: end (or drop) the session, then forget what the page
   * showed, so the login form comes back and nothing of the router stays behind it.
   * The live loop stops by itself: it polls only while the session is ready.
   */
  async logout(): Promise<void> {
    await this.session.logout();
    if (this.session.store.get().phase !== 'login') return;
    this.status.clear();
    this.flows.store.set({ open: false, loading: false, error: null, result: null, loadedAt: null });
  }

  /** No polls while the tab is hidden; inside LuCI, pause with LuCI's poll loop. */
  private watchDocument(): void {
    const doc = this.opts.doc !== undefined ? this.opts.doc : typeof document !== 'undefined' ? document : null;
    if (!doc) return;
    const vis = (): void => this.live.setHidden(doc.hidden === true);
    const stop = (): void => this.live.setLuciPaused(true);
    const go = (): void => this.live.setLuciPaused(false);
    vis();
    doc.addEventListener('visibilitychange', vis);
    doc.addEventListener('poll-stop', stop);
    doc.addEventListener('poll-start', go);
    this.offDoc = () => {
      doc.removeEventListener('visibilitychange', vis);
      doc.removeEventListener('poll-stop', stop);
      doc.removeEventListener('poll-start', go);
    };
  }

  stop(): void {
    this.offReady();
    this.offDoc();
    this.live.stop();
  }
}
