// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import type { EngineView } from '../../rpcd/src/api/contract';
import type { CallSpec } from '../../web/src/client';
import { JsonRpcError, UbusError } from '../../web/src/client';
import { App } from '../../web/src/components/App';
import { AppModel, type AppModelOptions } from '../../web/src/models/AppModel';
import { setTranslate } from '../../web/src/lib/i18n';
import { createMockClient, fileData, flush, type MockClient, type MockOverrides } from './mock-client';
import { netDev } from './net-dev-text';
import { flowsFixture, procStat, setFixture, statsFixture, statusFixture } from './fixtures';

let mounted: { app: AppModel; el: HTMLElement }[] = [];

afterEach(() => {
  for (const m of mounted) {
    m.app.stop();
    render(null, m.el);
    m.el.remove();
  }
  mounted = [];
  setTranslate(null);
});

/** Plausible file.read answers: the clock advances one second per batch. */
function files(): (specs: CallSpec[]) => PromiseSettledResult<Record<string, unknown> | null>[] {
  let t = 100;
  return (specs) => {
    t += 1;
    return specs.map((s) => {
      const p = String(s.args?.path);
      if (p === '/proc/uptime') return fileData(`${t}.00 1.00\n`);
      if (p === '/proc/stat') return fileData(procStat([[t * 40, t * 30, t * 60], [t * 10, t * 5, t * 90]]));
      if (p === '/proc/net/dev') return fileData(netDev([['wan', t * 1_000_000, t * 1_000_000], ['br-lan', t * 1_000_000, t * 1_000_000]]));
      return fileData(`${t * 1_000_000}\n`);
    });
  };
}

async function mount(over: MockOverrides = {}, opts: Partial<AppModelOptions> = {}): Promise<{ el: HTMLElement; app: AppModel; client: MockClient }> {
  const client = createMockClient({ batch: files(), flows: () => flowsFixture(), ...over });
  const app = new AppModel(client, { standalone: false, readonly: false, pollMs: 60_000, clipboard: () => null, ...opts });
  const el = document.createElement('div');
  document.body.appendChild(el);
  render(<App app={app} />, el);
  app.start();
  mounted.push({ app, el });
  await flush(10);
  return { el, app, client };
}

const text = (el: Element): string => el.textContent?.replace(/\s+/g, ' ') ?? '';
const radio = (el: Element, m: string): HTMLInputElement => el.querySelector(`input[type=radio][value=${m}]`) as HTMLInputElement;
const button = (el: Element, label: RegExp): HTMLButtonElement => {
  const b = [...el.querySelectorAll('button')].find((x) => label.test(x.textContent ?? ''));
  if (!b) throw new Error(`no button ${label}`);
  return b as HTMLButtonElement;
};

describe('mode switch', () => {
  it('is a labelled radio group preselected with the configured mode, each with its explanation', async () => {
    const { el } = await mount({ status: () => statusFixture({}, 'software') });
    const fs = el.querySelector('fieldset.lo-modes')!;
    expect(fs.querySelector('legend')?.textContent).toBe('Offloading mode');
    const radios = [...fs.querySelectorAll('input[type=radio]')] as HTMLInputElement[];
    expect(radios.map((r) => r.value)).toEqual(['off', 'software', 'hardware']);
    expect(new Set(radios.map((r) => r.name)).size).toBe(1);
    expect(radio(el, 'software').checked).toBe(true);
    const help = el.querySelector(`#${radio(el, 'hardware').getAttribute('aria-describedby')}`);
    expect(help?.textContent).toMatch(/network chip forwards/);
    expect(text(el.querySelector('[data-mode=software]')!)).toMatch(/configured/);
  });

  it('disables a mode the router cannot run and says why', async () => {
    const { el } = await mount({ status: () => statusFixture({ capabilities: { software: { available: false, reason: 'kmod-nft-offload is not installed.' }, hardware: { available: false, reason: null } } }) });
    const sw = radio(el, 'software');
    expect(sw.disabled).toBe(true);
    expect(sw.getAttribute('aria-describedby')).toContain('lo-why-software');
    expect(el.querySelector('#lo-why-software')?.textContent).toBe('Unavailable: kmod-nft-offload is not installed.');
    expect(radio(el, 'hardware').disabled).toBe(true);
    expect(radio(el, 'off').disabled).toBe(false);
  });

  it('lets hardware be chosen where the kernel refuses it, saying it will run software', async () => {
    const { el } = await mount({ status: () => statusFixture({ capabilities: { software: { available: true, reason: null }, hardware: { available: false, reason: 'the kernel refused a hardware flowtable' } } }) });
    expect(radio(el, 'hardware').disabled).toBe(false);
    // In plain words on the card; the kernel's own reason behind Details under the choices.
    expect(el.querySelector('#lo-why-hardware')?.textContent).toBe('Not supported on this router: choosing it runs software offloading instead.');
    expect(text(el.querySelector('[data-lo=hw-details]')!)).toBe('DetailsHardware check: the kernel refused a hardware flowtable');
  });

  it('read-only users see the switch disabled with the reason', async () => {
    const { el } = await mount({}, { readonly: true });
    expect((el.querySelector('fieldset.lo-modes') as HTMLFieldSetElement).disabled).toBe(true);
    expect(button(el, /^Apply$/).disabled).toBe(true);
    expect(el.querySelector('#lo-readonly')?.textContent).toMatch(/read-only access/);
    expect(el.textContent).not.toMatch(/Flush offloaded flows/);
  });

  it('shows progress while applying and the result in place (aria-live)', async () => {
    let release!: () => void;
    const { el, client } = await mount({ set: () => new Promise((r) => (release = () => r(setFixture('software')))) });
    radio(el, 'software').click();
    await flush();
    button(el, /^Apply$/).click();
    await flush();
    const live = el.querySelector('[data-lo=apply-result]')!;
    expect(live.getAttribute('aria-live')).toBe('polite');
    expect(text(live)).toMatch(/Applying Software: writing the config and reloading the firewall/);
    expect(button(el, /Applying Software/).getAttribute('aria-disabled')).toBe('true');
    button(el, /Applying Software/).click(); // ignored while busy
    await flush();
    expect(client.call.mock.calls.filter((c) => c[0] === 'set')).toHaveLength(1);
    release();
    await flush();
    expect(text(live)).toBe('Done: Software is now active; the firewall reloaded in 340 ms.');
    expect(client.call).toHaveBeenCalledWith('set', { mode: 'software' }, { timeoutMs: 65000 });
    expect(el.querySelector('[data-lo=effective]')?.getAttribute('data-state')).toBe('software');
  });

  it('explains the x86 fallback: hardware requested, software running', async () => {
    const fallback = statusFixture({ effective: { other_flowtables: [], flows: null, hardware: null, state: 'hardware-fallback', mode: 'software', reason: 'Hardware offloading was requested, but fw4 fell back to software.', flowtable: null, rule: true } }, 'hardware');
    const { el } = await mount({ set: () => setFixture('hardware', { warning: 'Hardware flow offloading unavailable, falling back to software offloading' }, fallback) });
    radio(el, 'hardware').click();
    await flush();
    button(el, /^Apply$/).click();
    await flush();
    // The result points to the state card, which explains the fallback once (test/web/fallback.test.tsx).
    expect(text(el.querySelector('[data-lo=apply-result]')!)).toBe('Warning: Hardware is now configured, but the router runs software offloading instead (see Current state).');
    expect(text(el.querySelector('[data-lo=effective]')!)).toMatch(/Software offloading \(hardware fell back\)/);
    expect(el.querySelector('[data-lo=fallback]')).not.toBeNull();
  });

  it('shows a failed apply in place', async () => {
    const { el } = await mount({ set: () => Promise.reject(new UbusError(7, 'luci.offload', 'set')) });
    radio(el, 'software').click();
    await flush();
    button(el, /^Apply$/).click();
    await flush(10);
    expect(text(el.querySelector('[data-lo=apply-result]')!)).toMatch(/^Error: Could not apply Software: The router stopped the request after its time limit/);
    expect(button(el, /^Apply$/).disabled).toBe(false);
  });
});

describe('state card', () => {
  it('shows problems, conflicts, interruptions and warnings in plain words', async () => {
    const base = statusFixture({}, 'software');
    const { el } = await mount({
      status: () => ({
        ...base,
        devices: [{ ...base.devices[1]!, device: 'pppoe-wan', problems: ['pppoe-l3-device', 'missing-from-flowtable'] }],
        conflicts: [{ id: 'sqm', severity: 'warning', text: 'SQM is enabled on wan.', advice: 'Turn offloading off while you rely on SQM.' }],
        interrupted: { requested: 'hardware', previous: 'software', at: Date.UTC(2026, 0, 1), config_restorable: true, detail: 'The next apply restores the saved config.' },
        warnings: ['The conntrack table could not be read.'],
      }),
    });
    const row = el.querySelector('tr[data-device=pppoe-wan]')!;
    expect(row.className).toContain('lo-problem');
    expect(text(row)).toMatch(/Problem: PPPoE device: fw4 puts the underlying device in the flowtable/);
    expect(text(row)).toMatch(/Problem: Carries zone traffic but is not in the flowtable/);
    expect(text(el.querySelector('[data-conflict=sqm]')!)).toBe('Warning: SQM is enabled on wan.What to do: Turn offloading off while you rely on SQM.');
    expect(el.textContent).toMatch(/An earlier change from Software to Hardware did not finish/);
    expect(el.textContent).toMatch(/The conntrack table could not be read\./);
    expect(text(el)).toMatch(/Kernel module ?nft_flow_offload loaded \(reference count 1\)/);
  });

  it('says when the state cannot be read, with a retry', async () => {
    let fail = true;
    const { el } = await mount({ status: () => (fail ? Promise.reject(new JsonRpcError(-32000, 'Object not found', 'luci.offload', 'status')) : statusFixture()) });
    expect(el.querySelector('[role=alert]')?.textContent).toMatch(/luci.offload service is missing/);
    fail = false;
    button(el, /^Retry$/).click();
    await flush();
    expect(el.querySelector('[data-lo=effective]')).not.toBeNull();
  });
});

describe('devices, hardware proof and topology', () => {
  const engine = { name: 'mtk_ppe', path: '/sys/kernel/debug/ppe0/bind', bound: 120, total: 300, by_state: { bound: 120, unbound: 180 }, error: null };
  const hardware = (over: Partial<ReturnType<typeof statusFixture>['effective']>) => {
    const base = statusFixture({}, 'hardware');
    return statusFixture({ effective: { ...base.effective, ...over } }, 'hardware');
  };
  const cell = (el: Element, dev: string, title: string): string => text(el.querySelector(`tr[data-device="${dev}"] [data-title="${title}"]`)!);

  it('a PPPoE link carried by its underlying device reads "offloaded through wan", not a problem', async () => {
    const base = statusFixture({}, 'software');
    const { el } = await mount({
      status: () => ({
        ...base,
        devices: [...base.devices, { ...base.devices[1]!, device: 'pppoe-wan', in_flowtable: false, flowtables: [], carried_by: 'wan', problems: [] }],
      }),
    });
    const row = el.querySelector('tr[data-device=pppoe-wan]')!;
    expect(row.className).not.toContain('lo-problem');
    expect(cell(el, 'pppoe-wan', 'In flowtable')).toBe('Offloaded through wan');
    expect(cell(el, 'pppoe-wan', 'Problems')).toBe('None: fw4 lists wan in the flowtable, and the flows of this link are offloaded through it.');
    expect(cell(el, 'wan', 'In flowtable')).toBe('Yes');
  });

  it('names the flowtables when a user flowtable covers a device, and lists the user flowtables', async () => {
    const base = statusFixture({}, 'software');
    const bridgeFt = { family: 'inet', table: 'fw4', name: 'bridge_ft', devices: ['lan1', 'lan2'], hw: false, counter: false };
    const { el } = await mount({
      status: () => ({
        ...base,
        effective: { ...base.effective, other_flowtables: [bridgeFt] },
        devices: [{ ...base.devices[0]!, flowtables: ['ft', 'bridge_ft'] }, { ...base.devices[1]!, device: 'lan9', flowtables: ['bridge_ft'] }],
      }),
    });
    expect(cell(el, 'br-lan', 'In flowtable')).toBe('Yes (ft, bridge_ft)');
    expect(cell(el, 'lan9', 'In flowtable')).toBe('Yes (bridge_ft)');
    expect(text(el.querySelector('[data-lo=other-flowtables]')!)).toMatch(/^bridge_ft on lan1, lan2 \(software only\)Added to table inet fw4 outside the firewall configuration/);
  });

  it('shows no user flowtable row when there is none', async () => {
    const { el } = await mount({ status: () => statusFixture({}, 'software') });
    expect(el.querySelector('[data-lo=other-flowtables]')).toBeNull();
  });

  it('shows the offloaded connections the conntrack table showed, software and hardware apart', async () => {
    const { el } = await mount({ status: () => statusFixture({}, 'hardware') });
    expect(text(el.querySelector('[data-lo=flow-evidence]')!)).toBe('8 of 12 tracked connections offloaded: 2 in software, 6 in hardware.');
  });

  it('says the hardware verdict in words with the engine line', async () => {
    const { el } = await mount({ status: () => hardware({ hardware: { verdict: 'in-hardware', engine } }) });
    const box = el.querySelector('[data-lo=hardware]')!;
    expect(box.getAttribute('data-verdict')).toBe('in-hardware');
    expect(box.className).toContain('success');
    expect(text(box)).toMatch(/^Hardware proof: Proven: 6 of 8 offloaded connections are in the hardware engine\./);
    expect(text(box.querySelector('[data-lo=engine]')!)).toBe('Hardware engine mtk_ppe: 120 of 300 entries bound.');
  });

  it('says when the target gives no view of the engine, and why an engine table is unreadable', async () => {
    let engineNow: EngineView | null = null;
    const { el, app } = await mount({ status: () => hardware({ hardware: { verdict: 'none-in-hardware', engine: engineNow } }) });
    const box = (): Element => el.querySelector('[data-lo=hardware]')!;
    expect(box().className).toContain('warning');
    expect(text(box())).toMatch(/Not proven: connections are offloaded, but none is in hardware/);
    expect(text(box().querySelector('[data-lo=engine]')!)).toBe('No view of the hardware engine on this target.');
    engineNow = { ...engine, bound: 0, total: 0, error: 'Permission denied' };
    await app.status.load();
    await flush();
    expect(text(box().querySelector('[data-lo=engine]')!)).toBe('Hardware engine mtk_ppe: its table /sys/kernel/debug/ppe0/bind could not be read: Permission denied');
  });

  it('shows no hardware proof when hardware offload is not what runs', async () => {
    const { el } = await mount({ status: () => statusFixture({}, 'software') });
    expect(el.querySelector('[data-lo=hardware]')).toBeNull();
  });

  it('notes zone devices derived from uci because netifd could not be asked', async () => {
    const { el, app } = await mount({ status: () => statusFixture({ topology: { source: 'uci', error: 'network.interface dump: Not found' } }) });
    expect(text(el.querySelector('[data-lo=topology]')!)).toBe(
      'Note: netifd could not be asked for the zone devices (network.interface dump: Not found), so they were derived from the uci configuration and may differ from what fw4 uses.',
    );
    expect(app.status.store.get().status?.topology.source).toBe('uci');
    const other = await mount({ status: () => statusFixture() });
    expect(other.el.querySelector('[data-lo=topology]')).toBeNull();
  });
});

describe('responsive tables (issue 12)', () => {
  const titles = (table: Element): string[] => [...table.querySelectorAll('thead th')].map((th) => th.textContent ?? '');
  const everyCellTitled = (table: Element): void => {
    const heads = titles(table);
    for (const h of heads) expect(h).toMatch(/^«.+»$/); // translated
    const rows = [...table.querySelectorAll('tbody tr')];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const cells = [...row.children];
      expect(cells).toHaveLength(heads.length);
      expect(cells.map((c) => c.getAttribute('data-title'))).toEqual(heads);
    }
  };

  it('gives every Devices and Flows cell its column\'s translated label', async () => {
    setTranslate((s) => `«${s}»`);
    const { el } = await mount({ status: () => statusFixture({}, 'software') });
    const devices = el.querySelector('[data-lo=devices-table]')!;
    expect(titles(devices)[0]).toBe('«Device»');
    everyCellTitled(devices);
    (el.querySelector('button.lo-disclosure') as HTMLButtonElement).click();
    await flush();
    const flows = el.querySelector('[data-lo=flows-table]')!;
    expect(titles(flows)[5]).toBe('«Why not offloaded»');
    everyCellTitled(flows);
  });
});

describe('live view', () => {
  it('shows CPU, throughput and flow figures from the polls', async () => {
    const { el, app } = await mount();
    await app.live.tick();
    await flush();
    expect(el.querySelector('[data-lo=cpu-busy]')?.getAttribute('data-value')).not.toBe('');
    expect(text(el.querySelector('[data-lo=wan-rx]')!)).toMatch(/bit\/s/);
    expect(text(el.querySelector('[data-lo=flows]')!)).toBe('6 software, 0 hardware');
    expect(el.querySelectorAll('.lo-cores li')).toHaveLength(2);
    expect(el.querySelector('canvas')?.getAttribute('role')).toBe('img');
  });

  it('announces stale data and recovers', async () => {
    const good = files();
    let down = false;
    const { el, app } = await mount({ batch: (s) => (down ? Promise.reject(new UbusError(10, 'file', 'read')) : good(s)) });
    down = true;
    await app.live.tick();
    await flush();
    const notice = el.querySelector('[data-lo=stale]')!;
    expect(notice.getAttribute('role')).toBe('status');
    expect(text(notice)).toMatch(/The figures are stale since \d\d:\d\d:\d\d: .*Connection lost.* Retrying every second\./);
    down = false;
    await app.live.tick();
    await flush();
    expect(text(notice)).toBe('');
  });
});

describe('live view counters', () => {
  it('says plainly that hardware-offloaded traffic is not counted, in the view and the chart\'s text', async () => {
    const { el, app } = await mount({ stats: () => statsFixture(5000, { counters: { source: 'netdev', misses_hw: true, roles: 'netifd', hw: null } }) });
    await app.live.tick();
    await flush();
    expect(text(el.querySelector('[data-lo=counters-hw]')!)).toMatch(/^Note: Hardware-offloaded traffic is not counted here\. The hardware engine forwards it without the kernel/);
    expect(el.querySelector('[data-lo=chart]')?.getAttribute('aria-label')).toMatch(/Hardware-offloaded traffic is not counted here\.$/);
    expect(text(el.querySelector('[data-lo=counters]')!)).toBe(
      'Throughput is read from the per-device counters of the kernel (/proc/net/dev, /sys/class/net/<device>/statistics). WAN and LAN devices as netifd reports them.',
    );
  });

  it('with the WAN port\'s switch counters: their rate in the note and as the summary strip\'s WAN figure', async () => {
    const hw = { source: 'switch-mib' as const, ports: ['wan'], counters: 'RxBytes/TxBytes', rx_bytes: 9e9, tx_bytes: 1e9, rx_bps: 812_000_000, tx_bps: 41_000_000, interval_ms: 5000 };
    const { el, app } = await mount({ stats: () => statsFixture(5000, { counters: { source: 'netdev', misses_hw: true, roles: 'netifd', hw } }) });
    await app.live.tick();
    await flush();
    expect(text(el.querySelector('[data-lo=counters-mib]')!).trim()).toBe('The switch counted on the WAN port (wan, counters RxBytes/TxBytes): 812 Mbit/s down, 41.0 Mbit/s up over the last 5 s.');
    expect(text(el.querySelector('[data-lo=summary-wan]')!)).toBe('WAN 812 Mbit/s down, 41.0 Mbit/s up (switch counters)');
  });

  it('the first switch reading has no rate yet: the note says so and the strip keeps the kernel figure', async () => {
    const hw = { source: 'switch-mib' as const, ports: ['wan'], counters: 'RxBytes/TxBytes', rx_bytes: 9e9, tx_bytes: 1e9, rx_bps: null, tx_bps: null, interval_ms: null };
    const { el, app } = await mount({ stats: () => statsFixture(5000, { counters: { source: 'netdev', misses_hw: true, roles: 'netifd', hw } }) });
    await app.live.tick();
    await flush();
    expect(text(el.querySelector('[data-lo=counters-mib]')!)).toMatch(/its rate shows from the next reading\.$/);
    expect(text(el.querySelector('[data-lo=summary-wan]')!)).not.toMatch(/switch counters/);
  });

  it('says nothing of hardware traffic when no flow is in hardware, and names uci roles', async () => {
    const { el, app } = await mount({ stats: () => statsFixture(5000, { counters: { source: 'netdev', misses_hw: false, roles: 'uci', hw: null } }) });
    await app.live.tick();
    await flush();
    expect(el.querySelector('[data-lo=counters-hw]')).toBeNull();
    expect(el.querySelector('[data-lo=chart]')?.getAttribute('aria-label')).not.toMatch(/not counted/);
    expect(text(el.querySelector('[data-lo=counters]')!)).toMatch(/WAN and LAN devices from the uci configuration, because netifd could not be asked\.$/);
  });
});

describe('flows table', () => {
  it('loads on open, is refreshable and says why flows are not offloaded', async () => {
    const { el, client } = await mount();
    const toggle = el.querySelector('button.lo-disclosure') as HTMLButtonElement;
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(client.call).not.toHaveBeenCalledWith('flows', expect.anything(), expect.anything());
    toggle.click();
    await flush();
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(client.call).toHaveBeenCalledWith('flows', { limit: 50 }, { timeoutMs: 20000 });
    const rows = el.querySelectorAll('[data-lo=flows-table] tbody tr');
    expect(rows).toHaveLength(2);
    expect(rows[1]!.querySelectorAll('td')[4]?.textContent).toBe('Not offloaded');
    expect(rows[1]!.querySelectorAll('td')[5]?.textContent).toBe('DNS to the router is not forwarded');
    button(el, /^Refresh$/).click();
    await flush();
    expect(client.call.mock.calls.filter((c) => c[0] === 'flows')).toHaveLength(2);
  });
});

describe('flows table filter', () => {
  it('shows only the connections that are not offloaded, with their reason, and says when none is left', async () => {
    const { el } = await mount();
    (el.querySelector('button.lo-disclosure') as HTMLButtonElement).click();
    await flush();
    const box = el.querySelector('[data-lo=flows-not-offloaded]') as HTMLInputElement;
    expect(box.checked).toBe(false);
    box.click();
    await flush();
    const rows = el.querySelectorAll('[data-lo=flows-table] tbody tr');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.querySelectorAll('td')[5]?.textContent).toBe('DNS to the router is not forwarded');
    box.click();
    await flush();
    expect(el.querySelectorAll('[data-lo=flows-table] tbody tr')).toHaveLength(2);
  });

  it('every listed connection offloaded: the filter leaves a sentence, not an empty table', async () => {
    const all = flowsFixture();
    const { el } = await mount({ flows: () => ({ ...all, flows: all.flows.filter((f) => f.offload !== 'none') }) });
    (el.querySelector('button.lo-disclosure') as HTMLButtonElement).click();
    await flush();
    (el.querySelector('[data-lo=flows-not-offloaded]') as HTMLInputElement).click();
    await flush();
    expect(el.querySelector('[data-lo=flows-table]')).toBeNull();
    expect(text(el.querySelector('[data-lo=flows-none-left]')!)).toBe('Every connection listed is offloaded.');
  });
});

describe('flush', () => {
  it('says what Flush does before the click, only where Flush is offered', async () => {
    const on = await mount({ status: () => statusFixture({}, 'software') });
    expect(text(on.el.querySelector('[data-lo=flush-help]')!)).toMatch(/^Flush reloads the firewall and recreates the flowtable: connections stay open/);
    const off = await mount({ status: () => statusFixture({}, 'off') });
    expect(off.el.querySelector('[data-lo=flush-help]')).toBeNull();
  });
});

describe('copy report', () => {
  it('copies the Markdown to the clipboard', async () => {
    const writeText = vi.fn(async () => {});
    const { el } = await mount({ diagnostics: () => ({ markdown: '# Report', generated_at: 1 }) }, { clipboard: () => ({ writeText }) });
    button(el, /^Copy report$/).click();
    await flush();
    // the router's report, then what this browser measured (SavingsModel's section)
    expect(writeText).toHaveBeenCalledWith(expect.stringMatching(/^# Report\n\n### CPU cost per traffic, measured in this browser\n/));
    expect(text(el.querySelector('[data-lo=report-status]')!)).toMatch(/^Done: Report copied to the clipboard/);
  });

  it('falls back to a selected text area without the Clipboard API', async () => {
    const { el } = await mount({ diagnostics: () => ({ markdown: '# Report\nmore', generated_at: 1 }) });
    button(el, /^Copy report$/).click();
    await flush();
    const area = el.querySelector('[data-lo=report-text]') as HTMLTextAreaElement;
    expect(area.value).toMatch(/^# Report\nmore\n\n### CPU cost per traffic, measured in this browser\n/);
    expect(area.readOnly).toBe(true);
    expect(document.activeElement).toBe(area);
    expect(el.querySelector('label[for=lo-report-text]')).not.toBeNull();
    button(el, /^Close$/).click();
    await flush();
    expect(el.querySelector('[data-lo=report-text]')).toBeNull();
  });
});

describe('sessions', () => {
  it('standalone: login first, then the panel; an expiry asks again over the kept page', async () => {
    const { el, app } = await mount({}, { standalone: true, storage: null });
    expect(el.querySelector('fieldset.lo-modes')).toBeNull();
    const form = el.querySelector('.lo-login form') as HTMLFormElement;
    (form.querySelector('input[name=password]') as HTMLInputElement).value = 'offload-demo';
    form.querySelector('input[name=password]')!.dispatchEvent(new Event('input'));
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await flush(10);
    expect(el.querySelector('fieldset.lo-modes')).not.toBeNull();
    expect(text(el)).toMatch(/Logged in as root\./);
    app.session.expire();
    await flush();
    const dialog = el.querySelector('.lo-overlay [role=dialog]')!;
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(text(dialog)).toMatch(/Session expired/);
    expect(el.querySelector('fieldset.lo-modes')).not.toBeNull();
    expect(text(el.querySelector('[data-lo=stale]')!)).toMatch(/paused until you log in again/);
    dialog.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await flush(10);
    expect(el.querySelector('.lo-overlay')).toBeNull();
  });

  it('LuCI: an expiry calls LuCI\'s dialog and says so on the page', async () => {
    const onSessionExpired = vi.fn();
    const { el, app } = await mount({}, { onSessionExpired });
    app.session.expire();
    await flush();
    expect(onSessionExpired).toHaveBeenCalledTimes(1);
    expect(text(el.querySelector('[role=alert]')!)).toMatch(/LuCI session has expired/);
  });
});
