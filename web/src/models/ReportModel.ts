/**
 * "Copy report": the handler's diagnostics Markdown to the clipboard, or — where
 * the Clipboard API is missing (plain HTTP) or refuses — into a selectable text area.
 */
import { describeError } from '../lib/errors';
import { t } from '../lib/i18n';
import { Store } from './store';
import type { SessionModel } from './SessionModel';
import type { OffloadClient } from './types';

export interface ReportState {
  busy: boolean;
  /** Shown in place after a copy attempt. */
  message: { tone: 'success' | 'error' | 'notice'; text: string } | null;
  /** The report, when it must be copied by hand. */
  fallbackText: string | null;
}

export interface ClipboardLike {
  writeText(s: string): Promise<void>;
}

/** The Clipboard API, when the page may use it (secure contexts only). */
export function systemClipboard(): ClipboardLike | null {
  const nav = typeof navigator !== 'undefined' ? navigator : null;
  if (!nav?.clipboard?.writeText || (typeof window !== 'undefined' && window.isSecureContext === false)) return null;
  return nav.clipboard;
}

export class ReportModel {
  readonly store = new Store<ReportState>({ busy: false, message: null, fallbackText: null });

  constructor(
    private client: OffloadClient,
    private session: SessionModel,
    private clipboard: () => ClipboardLike | null = systemClipboard,
  ) {}

  async copy(): Promise<void> {
    if (this.store.get().busy) return;
    this.store.set({ busy: true, message: null, fallbackText: null });
    let markdown: string;
    try {
      const r = await this.client.call('diagnostics', { mask: true }, { timeoutMs: 30000 });
      this.session.succeeded('luci.offload.diagnostics');
      markdown = r.markdown;
    } catch (e) {
      const kind = await this.session.check('luci.offload.diagnostics', e);
      this.store.set({ busy: false, message: { tone: 'error', text: kind === 'expired' ? t('The session expired. Log in again and retry.') : describeError(e) } });
      return;
    }
    const cb = this.clipboard();
    if (cb) {
      try {
        await cb.writeText(markdown);
        this.store.set({ busy: false, message: { tone: 'success', text: t('Report copied to the clipboard. Public addresses are masked.') } });
        return;
      } catch {
        /* refused (permissions, focus): fall through to the manual copy */
      }
    }
    this.store.set({
      busy: false,
      fallbackText: markdown,
      message: { tone: 'notice', text: t('The browser does not allow copying here. The report is selected below: press Ctrl+C (or ⌘+C) to copy it.') },
    });
  }

  dismiss(): void {
    this.store.set({ fallbackText: null, message: null });
  }
}
