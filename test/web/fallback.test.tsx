// @vitest-environment happy-dom
/**
 * The hardware fallback shown once in plain words (fw4's and nft's own text
 * behind "Details", one button to make the configuration say Software), the
 * chart's mode-change label, and fw3 / no nft showing the running mode as
 * Unknown without advice that does not apply (issue 16).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import type { StatusResult } from '../../rpcd/src/api/contract';
import { App } from '../../web/src/components/App';
import { AppModel, type AppModelOptions } from '../../web/src/models/AppModel';
import { markLabel } from '../../web/src/models/StatusModel';
import { createMockClient, flush, type MockClient, type MockOverrides } from './mock-client';
import { setFixture, statusFixture } from './fixtures';

let mounted: { app: AppModel; el: HTMLElement }[] = [];

afterEach(() => {
  for (const m of mounted) {
    m.app.stop();
    render(null, m.el);
    m.el.remove();
  }
  mounted = [];
});

async function mount(over: MockOverrides = {}, opts: Partial<AppModelOptions> = {}): Promise<{ el: HTMLElement; app: AppModel; client: MockClient }> {
  const client = createMockClient(over);
  const app = new AppModel(client, { standalone: false, readonly: false, pollMs: 60_000, clipboard: () => null, ...opts });
  const el = document.createElement('div');
  document.body.appendChild(el);
  render(<App app={app} />, el);
  app.start();
  mounted.push({ app, el });
  await flush(10);
  return { el, app, client };
}

const text = (el: Element | null): string => el?.textContent?.replace(/\s+/g, ' ') ?? '';
/** Text a user sees without opening a disclosure: closed <details> bodies left out. */
const shown = (el: Element): string => {
  const c = el.cloneNode(true) as Element;
  for (const d of c.querySelectorAll('details:not([open])')) for (const n of [...d.childNodes]) if (!(n instanceof Element && n.tagName === 'SUMMARY')) n.remove();
  return text(c);
};
const count = (s: string, part: string): number => s.split(part).length - 1;
const button = (el: Element, label: RegExp): HTMLButtonElement | undefined => [...el.querySelectorAll('button')].find((x) => label.test(x.textContent ?? ''));

const FW4 = 'Hardware flow offloading unavailable, falling back to software offloading';
const NFT = 'the kernel refused a hardware flowtable on these devices (Error: Could not process rule: Operation not supported); fw4 would fall back to software';

/** What the handler answers on the x86 scenario once hardware was applied. */
function fallbackStatus(): StatusResult {
  const base = statusFixture({}, 'hardware');
  return {
    ...base,
    effective: {
      ...base.effective,
      state: 'hardware-fallback',
      mode: 'software',
      reason: `Hardware offloading is configured, but the running flowtable has no "flags offload": fw4 fell back to software offloading ("${FW4}").`,
      flowtable: { family: 'inet', table: 'fw4', name: 'ft', devices: ['br-lan', 'eth1'], hw: false, counter: true },
      hardware: null,
    },
    capabilities: { software: { available: true, reason: null }, hardware: { available: false, reason: NFT } },
    last_warning: { text: FW4, at: Date.UTC(2026, 11, 6, 21, 8) },
  };
}

describe('hardware fallback', () => {
  it('says it once in plain words; fw4\'s sentence and nft\'s error only behind Details, each once', async () => {
    const { el } = await mount({ status: () => fallbackStatus() });
    const box = el.querySelector('[data-lo=fallback]')!;
    expect(text(box)).toMatch(/^Hardware offloading is configured, but this router's network devices cannot offload these connections in hardware, so the firewall runs software offloading instead\./);
    const visible = shown(el);
    expect(count(visible, 'falling back to software')).toBe(0);
    expect(count(visible, 'Operation not supported')).toBe(0);
    expect(count(visible, 'flags offload')).toBe(0);
    // The mode card says it in words too, without the kernel's text.
    expect(text(el.querySelector('#lo-why-hardware'))).toBe('Not supported on this router: choosing it runs software offloading instead.');
    expect(el.querySelector('[data-lo=hw-details]')).toBeNull();
    const details = box.querySelector('details')!;
    expect(details.querySelector('summary')?.textContent).toBe('Details');
    details.open = true;
    const all = shown(el);
    expect(count(all, FW4)).toBe(1);
    expect(count(all, 'Operation not supported')).toBe(1);
    expect(text(details)).toContain(`Hardware check: ${NFT}`);
  });

  it('the apply result points to the state card instead of repeating fw4\'s sentence', async () => {
    const { el } = await mount({ set: () => setFixture('hardware', { warning: FW4 }, fallbackStatus()) });
    (el.querySelector('input[type=radio][value=hardware]') as HTMLInputElement).click();
    await flush();
    button(el, /^Apply$/)!.click();
    await flush();
    expect(text(el.querySelector('[data-lo=apply-result]'))).toBe('Warning: Hardware is now configured, but the router runs software offloading instead (see Current state).');
    expect(count(shown(el), FW4)).toBe(0);
  });

  it('"Set the configuration to Software" applies software through the same apply, shows its result and moves focus there', async () => {
    let st = fallbackStatus();
    const { el, client } = await mount({ status: () => st, set: ({ mode }) => setFixture(mode, { previous: 'hardware' }, (st = statusFixture({}, mode))) });
    const fix = button(el, /^Set the configuration to Software \(what actually runs\)$/)!;
    fix.click();
    await flush(10);
    expect(client.call).toHaveBeenCalledWith('set', { mode: 'software' }, { timeoutMs: 65000 });
    expect(text(el.querySelector('[data-lo=apply-result]'))).toBe('Done: Software is now active; the firewall reloaded in 340 ms.');
    expect(el.querySelector('[data-lo=effective]')?.getAttribute('data-state')).toBe('software');
    expect((el.querySelector('input[type=radio][value=software]') as HTMLInputElement).checked).toBe(true);
    expect(el.querySelector('[data-lo=fallback]')).toBeNull();
    expect(document.activeElement).toBe(el.querySelector('[data-lo=apply-result]'));
  });

  it('the button is not offered to a read-only user', async () => {
    const { el } = await mount({ status: () => fallbackStatus() }, { readonly: true });
    expect(el.querySelector('[data-lo=fallback]')).not.toBeNull();
    expect(button(el, /Set the configuration to Software/)).toBeUndefined();
  });

  it('before any fallback the mode card predicts it in words, the kernel\'s text behind Details', async () => {
    const { el } = await mount({ status: () => statusFixture({ capabilities: { software: { available: true, reason: null }, hardware: { available: false, reason: NFT } } }) });
    expect(text(el.querySelector('#lo-why-hardware'))).toBe('Not supported on this router: choosing it runs software offloading instead.');
    expect(count(shown(el), 'Operation not supported')).toBe(0);
    expect(text(el.querySelector('[data-lo=hw-details]'))).toBe(`DetailsHardware check: ${NFT}`);
  });
});

describe('the chart\'s mode-change marker', () => {
  it('names the mode applied and, when it differs, the one running', async () => {
    expect(markLabel(fallbackStatus())).toBe('Hardware (runs Software)');
    expect(markLabel(statusFixture({}, 'software'))).toBe('Software');
    const { el, app } = await mount({ set: () => setFixture('hardware', { warning: FW4 }, fallbackStatus()) });
    const marks: string[] = [];
    app.live.mark = (label: string) => void marks.push(label);
    (el.querySelector('input[type=radio][value=hardware]') as HTMLInputElement).click();
    await flush();
    button(el, /^Apply$/)!.click();
    await flush();
    expect(marks).toEqual(['Hardware (runs Software)']);
  });

  it('marks nothing when nothing changed, even while hardware falls back', async () => {
    const { el, app } = await mount({ status: () => fallbackStatus(), set: () => setFixture('hardware', { changed: false, previous: 'hardware', reload_ms: 0 }, fallbackStatus()) });
    const marks: string[] = [];
    app.live.mark = (label: string) => void marks.push(label);
    button(el, /^Apply$/)!.click();
    await flush();
    expect(marks).toEqual([]);
    expect(text(el.querySelector('[data-lo=apply-result]'))).toBe('Warning: Hardware was already configured; the router runs software offloading instead (see Current state).');
  });
});

describe('fw3 and a missing nft: the running mode is not known', () => {
  const unsupported = (reason: string, loaded: boolean): StatusResult => {
    const base = statusFixture();
    return {
      ...base,
      effective: { ...base.effective, state: 'unsupported', mode: 'off', reason },
      module: { nft_flow_offload: loaded, refcnt: loaded ? 1 : null },
      capabilities: { software: { available: false, reason }, hardware: { available: false, reason } },
    };
  };

  it('fw3: Running mode, flowtable and each device\'s flowtable read Unknown; no advice to install kmod-nft-offload', async () => {
    const { el } = await mount({ status: () => unsupported('This router runs fw3 (iptables).', false) });
    expect(text(el.querySelector('[data-lo=running]'))).toBe('Unknown');
    expect(text(el.querySelector('[data-lo=flowtable]'))).toBe('Unknown');
    expect([...el.querySelectorAll('[data-lo=in-flowtable]')].map((c) => c.textContent)).toEqual(['Unknown', 'Unknown']);
    expect(el.textContent).not.toMatch(/kmod-nft-offload/);
    expect(el.textContent).toMatch(/nft_flow_offload not loaded/);
  });

  it('nft missing with the module loaded: Unknown as well, the module line unchanged', async () => {
    const { el } = await mount({ status: () => unsupported('The nft command is missing, so the running ruleset cannot be read.', true) });
    expect(text(el.querySelector('[data-lo=running]'))).toBe('Unknown');
    expect(el.textContent).toMatch(/nft_flow_offload loaded \(reference count 1\)/);
  });

  it('a supported router still says Off and gives the advice when the module is missing', async () => {
    const { el } = await mount({ status: () => statusFixture({ module: { nft_flow_offload: false, refcnt: null } }) });
    expect(text(el.querySelector('[data-lo=running]'))).toBe('Off');
    expect(text(el.querySelector('[data-lo=flowtable]'))).toBe('None');
    expect(el.textContent).toMatch(/nft_flow_offload not loaded: install kmod-nft-offload/);
  });
});

describe('devices table markup for the card layout', () => {
  it('marks the short columns to fit their values and leaves Problems the rest', async () => {
    const { el } = await mount({ status: () => statusFixture({}, 'software') });
    const table = el.querySelector('[data-lo=devices-table]')!;
    expect(table.classList.contains('lo-devices')).toBe(true);
    const fits = [...table.querySelectorAll('thead th')].map((th) => th.classList.contains('lo-fit'));
    expect(fits).toEqual([true, true, true, true, true, false]);
    for (const row of table.querySelectorAll('tbody tr')) expect([...row.children].map((c) => c.classList.contains('lo-fit'))).toEqual(fits);
  });
});
