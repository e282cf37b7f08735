/**
 * The unchanged package inside real LuCI 25.12 (luci-base's ucode dispatcher under the
 * platform tier's real uhttpd and rpcd, rpcd-mod-luci, ucode-mod-html, lucihttp, the real
 * themes), in Debian's Chromium. One router and one browser for the file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { launch, figure, figureChange } from '../e2e/browser';
import { NULL_SID, platformReady } from './router';
import { luciLogin, luciSession, startLuciRouter, watchPage, type LuciRouter } from './luci-router';

const skip = platformReady();
const APP = '/cgi-bin/luci/admin/network/offload';

let r: LuciRouter;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
let problems: string[];
const rpc: { sids: string[]; body: string }[] = [];

function ubusSids(q: Request): string[] {
  const body = q.postData();
  if (!body) return [];
  const parsed = JSON.parse(body) as unknown;
  const list = (Array.isArray(parsed) ? parsed : [parsed]) as { params?: unknown[] }[];
  return list.map((m) => String(m.params?.[0]));
}

describe.skipIf(skip)('real LuCI: the app page, root', () => {
  beforeAll(async () => {
    [r, browser] = await Promise.all([Promise.resolve().then(() => startLuciRouter()), launch()]);
    ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: r.base });
    page = await ctx.newPage();
    problems = watchPage(page);
    page.on('request', (q) => {
      if (new URL(q.url()).pathname.startsWith('/ubus')) rpc.push({ sids: ubusSids(q), body: q.postData() ?? '' });
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    r?.stop();
  });

  it('logs in through LuCI\'s own sysauth form; Network → Flow Offloading is in the menu', async () => {
    await luciLogin(page, r.base, 'root', 'root');
    problems.length = 0; // the login page itself (403 + LuCI's own denied anonymous uci/get) is LuCI's business
    expect(await luciSession(ctx)).toMatch(/^[0-9a-f]{32}$/);
    // the menu is LuCI's (ui.js renders /admin/menu, built from every menu.d, the package's included)
    const entry = page.locator(`a[href$="${APP}"]`).first();
    await entry.waitFor({ state: 'attached' });
    await page.locator('#view .cbi-section').first().waitFor(); // Status → Overview rendered
    expect((await entry.textContent())?.trim()).toBe('Flow Offloading');
    const network = page.locator('a[href$="/cgi-bin/luci/admin/network"]').first();
    expect((await network.textContent())?.trim()).toBe('Network');
  }, 30_000);

  it('mounts the page with zero console errors and failed requests; every JSON-RPC call carries LuCI\'s session', async () => {
    rpc.length = 0;
    await page.goto(r.base + APP);
    const eff = page.locator('[data-lo=effective]');
    await eff.waitFor();
    expect(await eff.getAttribute('data-state')).toBe('off');
    expect(await page.locator('#view h2').first().textContent()).toBe('Flow Offloading');
    const cpu = await figureChange(page, 'cpu-busy', null);
    expect(cpu).toBeGreaterThanOrEqual(0);
    await figureChange(page, 'cpu-busy', cpu, 10_000);
    expect(await figure(page, 'wan-rx')).not.toBeNull();
    const sid = await luciSession(ctx);
    expect(rpc.length).toBeGreaterThan(3);
    expect(rpc.some((c) => c.body.includes('"luci.offload"'))).toBe(true);
    for (const c of rpc) for (const s of c.sids) expect(s).toBe(sid);
    expect(problems).toEqual([]);
  }, 40_000);

  it('copies the diagnostics report to the clipboard', async () => {
    await page.getByRole('button', { name: 'Copy report' }).click();
    await page.locator('[data-lo=report-status] .lo-alert').waitFor();
    expect(await page.locator('[data-lo=report-status]').textContent()).toMatch(/Report copied to the clipboard/);
    const md = await page.evaluate(() => navigator.clipboard.readText());
    expect(md).toMatch(/^#/);
    expect(md).toMatch(/Off/);
    expect(problems).toEqual([]);
  }, 20_000);

  it('Status → Overview and Network → Firewall still work after visiting the app', async () => {
    await page.goto(r.base + '/cgi-bin/luci/admin/status/overview');
    await page.locator('#view .cbi-section').first().waitFor();
    await expect.poll(() => page.locator('#view').textContent(), { timeout: 10_000 }).toMatch(/Platform tier \(namespaces\)/);
    await page.goto(r.base + '/cgi-bin/luci/admin/network/firewall');
    await page.locator('#view .cbi-section-table').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('#view').textContent()).toMatch(/Zones/);
    // LuCI offers its offload selector only when the kernel has nft_flow_offload
    // (luci getFeatures: /sys/module/nft_flow_offload/refcnt); this host kernel has none.
    expect(await page.locator('#view [data-name=offloading_type]').count()).toBe(0);
    expect(problems).toEqual([]);
  }, 40_000);

  it('a flow offloading change staged in LuCI but not applied shows as pending in LuCI', async () => {
    // What Network → Firewall's offload selector does on Save (uci.js: uci set with LuCI's
    // session, kept in the session's delta until Save & Apply); the selector itself needs
    // nft_flow_offload in the kernel, which this host lacks, so the same call is made directly.
    const sid = (await luciSession(ctx)) as string;
    const get = await r.call(sid, 'uci', 'get', { config: 'firewall', type: 'defaults' });
    const section = Object.keys((get.result?.[1] as { values: Record<string, unknown> }).values)[0] as string;
    const set = await r.call(sid, 'uci', 'set', { config: 'firewall', section, values: { flow_offloading: '1' } });
    expect(set.result?.[0]).toBe(0);
    await page.goto(r.base + APP);
    await page.locator('[data-lo=effective]').waitFor();
    const pending = page.locator('#offload-luci-pending');
    await pending.waitFor();
    expect(await pending.textContent()).toMatch(/Pending in LuCI: .*staged but not applied \(flow_offloading=1\)/);
    expect(await page.locator('[data-lo=configured]').textContent()).toBe('Off'); // the applied config
    expect(r.read('etc/config/firewall')).not.toMatch(/flow_offloading/);
    expect(await page.locator('#indicators [data-indicator=uci-changes]').count()).toBe(1); // LuCI's own badge too
    // LuCI's own Unsaved Changes dialog → Revert (admin/uci/revert drops the session's delta)
    await page.locator('#indicators [data-indicator=uci-changes]').click();
    await page.locator('#modal_overlay .modal .btn', { hasText: 'Revert' }).click();
    await page.locator('#modal_overlay .modal', { hasText: 'Changes have been reverted.' }).waitFor();
    expect((await r.call(sid, 'uci', 'changes', { config: 'firewall' })).result).toEqual([0, { changes: [] }]);
    await page.goto(r.base + APP);
    await page.locator('[data-lo=effective]').waitFor();
    expect(await pending.count()).toBe(0);
    expect(problems).toEqual([]);
  }, 30_000);

  it('a read-only LuCI user (unauthenticated + luci-base + the app\'s read group) sees the page read-only; a direct set is -32002', async () => {
    const vctx = await browser.newContext({ viewport: { width: 390, height: 800 } });
    const vp = await vctx.newPage();
    const vprob = watchPage(vp);
    await luciLogin(vp, r.base, 'viewer', 'viewer', APP);
    vprob.length = 0;
    await vp.locator('[data-lo=effective]').waitFor();
    await vp.locator('#lo-readonly').waitFor();
    for (const m of ['off', 'software', 'hardware']) expect(await vp.locator(`input[name=lo-mode][value=${m}]`).isDisabled()).toBe(true);
    expect(await vp.getByRole('button', { name: 'Apply', exact: true }).isDisabled()).toBe(true);
    await figureChange(vp, 'cpu-busy', null);
    expect(await vp.evaluate(() => document.body.classList.contains('modal-overlay-active'))).toBe(false); // LuCI's own calls are allowed
    const sid = (await luciSession(vctx)) as string;
    const set = await r.call(sid, 'luci.offload', 'set', { mode: 'software' });
    expect(set.error?.code).toBe(-32002);
    expect(r.read('etc/config/firewall')).not.toMatch(/flow_offloading/);
    expect(vprob).toEqual([]);
    await vctx.close();
  }, 40_000);

  it('a login holding only the app\'s read group breaks LuCI itself: its own calls are denied and it shows its session-expired dialog', async () => {
    const rctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const rp = await rctx.newPage();
    await luciLogin(rp, r.base, 'reader', 'reader', APP);
    await rp.locator('body.modal-overlay-active #modal_overlay .modal', { hasText: 'Session expired' }).waitFor({ timeout: 10_000 });
    await rctx.close();
  }, 30_000);

  it('session expiry: LuCI\'s own dialog and the panel\'s notice', async () => {
    await page.goto(r.base + APP);
    await page.locator('[data-lo=effective]').waitFor();
    expect(problems).toEqual([]);
    const sid = (await luciSession(ctx)) as string;
    const root = await r.login('root', 'root');
    const d = r.exec(['ubus', 'call', 'session', 'destroy', JSON.stringify({ ubus_rpc_session: sid })]);
    expect(d.status, d.stderr).toBe(0);
    expect(root).not.toBe(sid);
    await page.locator('body.modal-overlay-active #modal_overlay .modal', { hasText: 'Session expired' }).waitFor({ timeout: 10_000 });
    await expect.poll(() => page.locator('.lo-root').textContent(), { timeout: 8000 }).toMatch(/LuCI session has expired/);
    expect((await r.call(NULL_SID, 'session', 'access', {})).result?.[0]).toBeDefined();
  }, 30_000);
});
