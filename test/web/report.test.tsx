// @vitest-environment happy-dom
/** The report as forum helpers want it (issue 16 #5): a preview, Copy, Download .md and a mask switch. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import type { DiagnosticsArgs } from '../../rpcd/src/api/contract';
import { ReportTools } from '../../web/src/components/ReportTools';
import { ReportModel, reportFileName } from '../../web/src/models/ReportModel';
import { SessionModel } from '../../web/src/models/SessionModel';
import { setTranslate } from '../../web/src/lib/i18n';
import { createMockClient, flush } from './mock-client';

let els: HTMLElement[] = [];
afterEach(() => {
  for (const el of els) {
    render(null, el);
    el.remove();
  }
  els = [];
  setTranslate(null);
});

/** The handler's answer: masked or not, as asked (the handler's default is masked). */
const report = (a: DiagnosticsArgs) => ({ markdown: a.mask === false ? '# Report\n- from 203.0.113.10\n' : '# Report\n- from x.x.x.x\n', generated_at: Date.UTC(2026, 11, 6, 21, 5, 9) });

async function mount(opts: { clipboard?: { writeText(s: string): Promise<void> } | null; save?: (name: string, text: string) => void } = {}) {
  const client = createMockClient({ diagnostics: report });
  const session = new SessionModel(client, { standalone: false, readonly: false });
  const model = new ReportModel(client, session, () => opts.clipboard ?? null, opts.save ?? (() => {}));
  const el = document.createElement('div');
  document.body.appendChild(el);
  els.push(el);
  render(<ReportTools report={model} />, el);
  await flush();
  return { el, client, model };
}

const button = (el: Element, label: RegExp): HTMLButtonElement => {
  const b = [...el.querySelectorAll('button')].find((x) => label.test(x.textContent ?? ''));
  if (!b) throw new Error(`no button ${label}`);
  return b as HTMLButtonElement;
};
const preview = (el: Element): HTMLTextAreaElement | null => el.querySelector('[data-lo=report-preview]');
const maskBox = (el: Element): HTMLInputElement => el.querySelector('[data-lo=report-mask]') as HTMLInputElement;

describe('report preview', () => {
  it('shows the report read-only before anything leaves the page, and hides it again', async () => {
    const { el } = await mount();
    expect(preview(el)).toBeNull();
    button(el, /^Preview report$/).click();
    await flush();
    expect(preview(el)?.value).toBe('# Report\n- from x.x.x.x\n');
    expect(preview(el)?.readOnly).toBe(true);
    expect(el.querySelector(`label[for=${preview(el)?.id}]`)?.textContent).toBe('Report preview');
    button(el, /^Hide preview$/).click();
    await flush();
    expect(preview(el)).toBeNull();
  });

  it('masks addresses by default; switching masking off asks the router for the unmasked report and shows it', async () => {
    const { el, client } = await mount();
    expect(maskBox(el).checked).toBe(true);
    expect(el.querySelector(`label[for=${maskBox(el).id}]`)?.textContent).toBe('Mask addresses');
    button(el, /^Preview report$/).click();
    await flush();
    expect(client.call).toHaveBeenLastCalledWith('diagnostics', { mask: true }, expect.anything());
    maskBox(el).click();
    await flush();
    expect(client.call).toHaveBeenLastCalledWith('diagnostics', { mask: false }, expect.anything());
    expect(preview(el)?.value).toContain('203.0.113.10');
  });

  it('copies exactly what the preview shows, and says whether addresses are masked', async () => {
    const writeText = vi.fn(async () => {});
    const { el, client } = await mount({ clipboard: { writeText } });
    maskBox(el).click();
    button(el, /^Preview report$/).click();
    await flush();
    const calls = client.call.mock.calls.length;
    button(el, /^Copy report$/).click();
    await flush();
    expect(client.call.mock.calls.length).toBe(calls);
    expect(writeText).toHaveBeenCalledWith('# Report\n- from 203.0.113.10\n');
    expect(el.querySelector('[data-lo=report-status]')?.textContent).toMatch(/Report copied to the clipboard\. Addresses are not masked\./);
  });
});

describe('download', () => {
  it('saves the report as a dated .md file, masked as the switch says', async () => {
    const save = vi.fn();
    const { el } = await mount({ save });
    button(el, /^Download \.md$/).click();
    await flush();
    expect(save).toHaveBeenCalledWith('offload-report-2026-12-06-2105.md', '# Report\n- from x.x.x.x\n');
    expect(el.querySelector('[data-lo=report-status]')?.textContent).toMatch(/Saved as offload-report-2026-12-06-2105\.md\./);
  });

  it('names the file after the report\'s time in UTC', () => {
    expect(reportFileName(Date.UTC(2027, 0, 2, 3, 4, 5))).toBe('offload-report-2027-01-02-0304.md');
  });
});

describe('translation', () => {
  it('every new label goes through t()', async () => {
    setTranslate((s: string) => `«${s}»`);
    const { el } = await mount();
    expect(button(el, /^«Preview report»$/)).toBeTruthy();
    expect(button(el, /^«Download \.md»$/)).toBeTruthy();
    expect(el.querySelector(`label[for=${maskBox(el).id}]`)?.textContent).toBe('«Mask addresses»');
  });
});
