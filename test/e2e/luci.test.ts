/**
 * End to end through the LuCI-shaped page (LuCI login form, the package's view,
 * LuCI's _() and session-expired dialog) against the simulated MT7621 router.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startSim, type RunningSim } from '../helpers/sim';
import { applyMode, expectReadOnlyPanel, figure, figureChange, launch, loginLuci, settle, watchErrors } from './browser';

let sim: RunningSim;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
let errors: string[];

beforeAll(async () => {
  [sim, browser] = await Promise.all([startSim(['--exec-timeout', '2']), launch()]);
  ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: sim.url });
  page = await ctx.newPage();
  errors = watchErrors(page);
  await loginLuci(page, sim.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sim?.stop();
});

describe('LuCI page, root', () => {
  it('logs in through LuCI and shows live CPU and throughput figures that change', async () => {
    expect(await page.locator('h2').first().textContent()).toBe('Flow Offloading');
    const cpu = await figureChange(page, 'cpu-busy', null);
    const wan = await figureChange(page, 'wan-rx', null);
    expect(cpu).toBeGreaterThan(0);
    expect(wan).toBeGreaterThan(1e6);
    expect(await figureChange(page, 'cpu-busy', cpu)).not.toBe(cpu);
    expect(await figureChange(page, 'wan-rx', wan)).not.toBe(wan);
    await expect.poll(() => figure(page, 'flows-sub'), { timeout: 8000 }).toBeGreaterThan(0);
    expect(await page.locator('.lo-cores li').count()).toBe(2);
  }, 30_000);

  it('switches Off → Software → Hardware → Off with the keyboard; the state and softirq respond', async () => {
    expect(await page.locator('[data-lo=effective]').getAttribute('data-state')).toBe('off');
    const offSoft = await settle(page, 'cpu-busy-sub');

    expect(await applyMode(page, 'software')).toMatch(/^Done: Software is now active; the firewall reloaded in/);
    expect(await page.locator('[data-lo=effective]').getAttribute('data-state')).toBe('software');
    await figureChange(page, 'cpu-busy-sub', null);
    await page.waitForTimeout(1500);
    const swSoft = await settle(page, 'cpu-busy-sub');

    expect(await applyMode(page, 'hardware')).toMatch(/^Done: Hardware is now active/);
    expect(await page.locator('[data-lo=effective]').getAttribute('data-state')).toBe('hardware');
    await page.waitForTimeout(1500);
    const hwSoft = await settle(page, 'cpu-busy-sub');
    await expect.poll(async () => (await page.locator('[data-lo=flows]').textContent()) ?? '', { timeout: 8000 }).toMatch(/[1-9]\d* hardware/);

    // In the MT7621 scenario the forwarding softirq load drops sharply from off to hardware.
    expect(offSoft).toBeGreaterThan(10);
    expect(swSoft).toBeLessThan(offSoft);
    expect(hwSoft).toBeLessThan(offSoft / 4);

    expect(await applyMode(page, 'off')).toMatch(/^Done: Off is now active/);
    expect(await page.locator('[data-lo=effective]').getAttribute('data-state')).toBe('off');
    expect(await page.locator('[data-lo=configured]').textContent()).toBe('Off');
  }, 60_000);

  it('says so in place when the handler times out once, and recovers', async () => {
    await sim.hook('/__sim/fault', { fault: 'fw4-hang', on: true });
    const msg = await applyMode(page, 'software');
    expect(msg).toMatch(/^Error: Could not apply Software: The router stopped the request after its time limit \(ubus code 5/);
    await sim.hook('/__sim/fault', { fault: 'fw4-hang', on: false });
    const before = await figure(page, 'cpu-busy');
    await figureChange(page, 'cpu-busy', before); // the live view kept going
    const ok = await applyMode(page, 'software');
    expect(ok).toMatch(/Software is now active|Software was already active/);
    expect(await page.locator('[data-lo=effective]').getAttribute('data-state')).toBe('software');
  }, 40_000);

  it('marks the figures stale while the router is unreachable for 10 s and recovers by itself', async () => {
    const dropped = Date.now();
    await page.route('**/ubus/**', (route) => route.abort('connectionrefused'));
    const stale = page.locator('[data-lo=stale]');
    await expect.poll(() => stale.textContent(), { timeout: 8000 }).toMatch(/The figures are stale since .*cannot be reached.*Retrying every second/);
    expect(await page.locator('.lo-figures').getAttribute('class')).toContain('lo-is-stale');
    // Keep the network down for 10 s in all; the notice stays and the page keeps working.
    await page.waitForTimeout(Math.max(0, 10_000 - (Date.now() - dropped)));
    expect(await stale.textContent()).toMatch(/stale/);
    await page.unroute('**/ubus/**');
    await expect.poll(() => stale.textContent(), { timeout: 8000 }).toBe('');
    const v = await figure(page, 'cpu-busy');
    await figureChange(page, 'cpu-busy', v);
  }, 45_000);

  it('saves the chart as a PNG', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save chart as PNG' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^offload-live-.*\.png$/);
    const bytes = readFileSync((await download.path()) as string);
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(bytes.length).toBeGreaterThan(5000);
  }, 20_000);

  it('opens the top flows with their offload state', async () => {
    await page.getByRole('button', { name: /Top flows/ }).click();
    const rows = page.locator('[data-lo=flows-table] tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(5);
    expect(await page.locator('[data-lo=flows-table]').textContent()).toMatch(/Software/);
  }, 20_000);

  it('copies the diagnostics report to the clipboard', async () => {
    await page.getByRole('button', { name: 'Copy report' }).click();
    await page.locator('[data-lo=report-status] .lo-alert').waitFor();
    expect(await page.locator('[data-lo=report-status]').textContent()).toMatch(/Report copied to the clipboard/);
    const md = await page.evaluate(() => navigator.clipboard.readText());
    expect(md).toMatch(/^#/);
    expect(md.length).toBeGreaterThan(200);
  }, 20_000);

  it('hands an expired session to LuCI\'s own dialog', async () => {
    const sid = (await ctx.cookies()).find((c) => c.name === 'sysauth_http')?.value;
    expect(sid).toMatch(/^[0-9a-f]{32}$/);
    await sim.hook('/__sim/expire', { sid });
    await page.locator('#luci-session-expired').waitFor({ timeout: 8000 });
    expect(await page.locator('.lo-root [role=alert]').textContent()).toMatch(/LuCI session has expired/);
    expect(await page.locator('[data-lo=stale]').textContent()).toMatch(/paused until you log in again/);
    expect(errors).toEqual([]);
  }, 20_000);
});

describe('LuCI page, read-only user', () => {
  it('shows the switch disabled and why', async () => {
    const vctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const vp = await vctx.newPage();
    await loginLuci(vp, sim.url, 'viewer', 'viewer-demo');
    await expectReadOnlyPanel(vp, 360);
    expect(await vp.locator('#lo-readonly').textContent()).toMatch(/read-only access to this page/);
    expect(await vp.getByRole('button', { name: /Flush/ }).count()).toBe(0);
    await vctx.close();
  }, 30_000);
});
