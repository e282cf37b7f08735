/**
 * The diagnostics report for forum helpers (issue 16 #5): a preview, Copy, Download `.md` and a
 * "mask addresses" switch (the handler's `diagnostics {mask}`, on by default). Copy writes to the
 * clipboard, or — where the Clipboard API is missing (plain HTTP) or refuses — fills a selectable
 * text area. With the preview open, Copy and Download take exactly the text shown.
 */
import { describeError } from '../lib/errors';
import { fmt, t } from '../lib/i18n';
import { Store } from './store';
import type { SessionModel } from './SessionModel';
import type { OffloadClient } from './types';

export interface ReportState {
  busy: boolean;
  /** Shown in place after a copy or download. */
  message: { tone: 'success' | 'error' | 'notice'; text: string } | null;
  /** The report, when it must be copied by hand. */
  fallbackText: string | null;
  /** The report shown in the preview, or null while it is closed. */
  preview: string | null;
  /** Ask for public and MAC addresses masked. */
  mask: boolean;
}

export interface ClipboardLike {
  writeText(s: string): Promise<void>;
}

/** Hands a text file to the user (a download in the browser). */
export type SaveFile = (name: string, text: string) => void;

/** The Clipboard API, when the page may use it (secure contexts only). */
export function systemClipboard(): ClipboardLike | null {
  const nav = typeof navigator !== 'undefined' ? navigator : null;
  if (!nav?.clipboard?.writeText || (typeof window !== 'undefined' && window.isSecureContext === false)) return null;
  return nav.clipboard;
}

/** A download through an object URL and a transient `<a download>`. */
export function browserSave(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/markdown;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoked later: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** `offload-report-YYYY-MM-DD-HHMM.md`, the report's time in UTC (the report gives UTC too). */
export function reportFileName(at: number): string {
  const iso = new Date(at).toISOString();
  return `offload-report-${iso.slice(0, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}.md`;
}

export class ReportModel {
  readonly store = new Store<ReportState>({ busy: false, message: null, fallbackText: null, preview: null, mask: true });
  /** When the report in the preview was made. */
  private at = 0;

  constructor(
    private client: OffloadClient,
    private session: SessionModel,
    private clipboard: () => ClipboardLike | null = systemClipboard,
    private save: SaveFile = browserSave,
    /** What only the browser knows, appended to the router's report (the measured savings). */
    private appendix: () => string[] = () => [],
  ) {}

  /** The report as the mask switch says, or null after saying why not. */
  private async fetch(): Promise<string | null> {
    this.store.set({ busy: true, message: null, fallbackText: null });
    try {
      const r = await this.client.call('diagnostics', { mask: this.store.get().mask }, { timeoutMs: 30000 });
      this.session.succeeded('luci.offload.diagnostics');
      this.at = r.generated_at;
      this.store.set({ busy: false });
      const more = this.appendix();
      return more.length ? `${r.markdown.replace(/\n*$/, '')}\n\n${more.join('\n')}\n` : r.markdown;
    } catch (e) {
      const kind = await this.session.check('luci.offload.diagnostics', e);
      this.store.set({ busy: false, message: { tone: 'error', text: kind === 'expired' ? t('The session expired. Log in again and retry.') : describeError(e) } });
      return null;
    }
  }

  /** The text Copy and Download take: the preview's, else a fresh report. */
  private async text(): Promise<string | null> {
    if (this.store.get().busy) return null;
    return this.store.get().preview ?? (await this.fetch());
  }

  async copy(): Promise<void> {
    const markdown = await this.text();
    if (markdown === null) return;
    const cb = this.clipboard();
    if (cb) {
      try {
        await cb.writeText(markdown);
        const text = this.store.get().mask ? t('Report copied to the clipboard. Public addresses are masked.') : t('Report copied to the clipboard. Addresses are not masked.');
        this.store.set({ message: { tone: 'success', text } });
        return;
      } catch {
        /* refused (permissions, focus): fall through to the manual copy */
      }
    }
    this.store.set({
      fallbackText: markdown,
      message: { tone: 'notice', text: t('The browser does not allow copying here. The report is selected below: press Ctrl+C (or ⌘+C) to copy it.') },
    });
  }

  async download(): Promise<void> {
    const markdown = await this.text();
    if (markdown === null) return;
    const name = reportFileName(this.at);
    this.save(name, markdown);
    this.store.set({ message: { tone: 'success', text: fmt(t('Saved as %s.'), name) } });
  }

  /** Open the preview with a fresh report. */
  async showPreview(): Promise<void> {
    if (this.store.get().busy) return;
    const markdown = await this.fetch();
    if (markdown !== null) this.store.set({ preview: markdown });
  }

  hidePreview(): void {
    this.store.set({ preview: null });
  }

  /** Switch masking; an open preview is made again so it shows what Copy and Download will take. */
  async setMask(mask: boolean): Promise<void> {
    this.store.set({ mask });
    if (this.store.get().preview !== null) {
      this.store.set({ preview: null });
      await this.showPreview();
    }
  }

  dismiss(): void {
    this.store.set({ fallbackText: null, message: null });
  }
}
