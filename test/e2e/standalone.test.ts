/**
 * End to end through the simulator's standalone page (the panel logs in
 * itself) against the x86 scenario: hardware requested → software fallback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startSim, type RunningSim } from '../helpers/sim';
import { applyMode, expectReadOnlyPanel, figure, figureChange, launch, loginStandalone, watchErrors } from './browser';

let sim: RunningSim;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
let errors: string[];

beforeAll(async () => {
  [sim, browser] = await Promise.all([startSim(['--scenario', 'x86']), launch()]);
  ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Plain-HTTP routers have no Clipboard API: take it away to exercise the fallback.
  await ctx.addInitScript(() => Object.defineProperty(navigator, 'clipboard', { value: undefined }));
  page = await ctx.newPage();
  errors = watchErrors(page);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sim?.stop();
});

describe('standalone page, root', () => {
  it('asks for a login, says so for a wrong password, then shows the panel with moving figures', async () => {
    await page.goto(`${sim.url}/`);
    await page.fill('.lo-login input[name=password]', 'wrong');
    await page.click('.lo-login button[type=submit]');
    await page.locator('.lo-login-error .alert-message').waitFor();
    expect(await page.locator('.lo-login-error').textContent()).toBe('Wrong username or password.');
    await loginStandalone(page, sim.url);
    expect(await page.locator('.lo-user').textContent()).toBe('Logged in as root.');
    const cpu = await figureChange(page, 'cpu-busy', null);
    const wan = await figureChange(page, 'wan-rx', null);
    await figureChange(page, 'cpu-busy', cpu);
    await figureChange(page, 'wan-rx', wan);
  }, 30_000);

  it('explains the x86 fallback: hardware requested, software running because …', async () => {
    const msg = await applyMode(page, 'hardware');
    expect(msg).toMatch(/^Warning: Hardware offloading was requested, but the router runs software offloading because: .*falling back to software/i);
    expect(await page.locator('[data-lo=effective]').getAttribute('data-state')).toBe('hardware-fallback');
    expect(await page.locator('[data-lo=effective]').textContent()).toMatch(/hardware fell back/);
    expect(await page.locator('[data-lo=running]').textContent()).toMatch(/^Software/);
  }, 30_000);

  it('the summary strip is on the first screen at 1280×900 and 390×844: running mode, flows, and the fallback as its first problem', async () => {
    for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
      const c = await browser.newContext({ viewport });
      const p = await c.newPage();
      await loginStandalone(p, sim.url);
      await p.locator('[data-lo=summary-mode]', { hasText: 'hardware fell back' }).waitFor();
      const box = await p.locator('[data-lo=summary]').boundingBox();
      expect(box, `${viewport.width}`).not.toBeNull();
      expect((box?.y ?? 0) + (box?.height ?? 0), `${viewport.width}`).toBeLessThanOrEqual(viewport.height);
      expect(await p.locator('[data-lo=summary]').getAttribute('data-tone')).toBe('warning');
      expect(await p.locator('[data-lo=summary-problem]').textContent()).toMatch(/Hardware offloading was requested, but the router runs software offloading\./);
      expect(await p.locator('[data-lo=summary-flows]').textContent()).toMatch(/^Offloaded: (\d+|–) software, (\d+|–) hardware of (\d+|–) flows$/);
      await c.close();
    }
  }, 40_000);

  it('keeps the page when the session expires mid-poll and asks for a login again', async () => {
    await page.getByRole('button', { name: /Top flows/ }).click();
    await page.locator('[data-lo=flows-table]').waitFor();
    const points = await page.evaluate(() => document.querySelectorAll('[data-lo=flows-table] tbody tr').length);
    const sid = await page.evaluate(() => JSON.parse(sessionStorage.getItem('luci-offload-session') ?? '{}').sid as string);
    await sim.hook('/__sim/expire', { sid });
    const dialog = page.getByRole('dialog', { name: 'Session expired' });
    await dialog.waitFor({ timeout: 8000 });
    expect(await page.locator('[data-lo=stale]').textContent()).toMatch(/paused until you log in again/);
    // Focus is in the dialog's password field; the page under it is intact.
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('password');
    expect(await page.locator('[data-lo=flows-table] tbody tr').count()).toBe(points);
    expect(await page.locator('[data-lo=effective]').getAttribute('data-state')).toBe('hardware-fallback');
    await page.keyboard.type('offload-demo');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    const v = await figure(page, 'cpu-busy');
    await figureChange(page, 'cpu-busy', v);
    expect(await page.locator('[data-lo=stale]').textContent()).toBe('');
    expect(await page.locator('[data-lo=flows-table] tbody tr').count()).toBeGreaterThan(0);
  }, 30_000);

  it('puts the report in a selected text area when the Clipboard API is missing', async () => {
    await page.getByRole('button', { name: 'Copy report' }).click();
    const area = page.locator('[data-lo=report-text]');
    await area.waitFor();
    expect(await area.inputValue()).toMatch(/^#/);
    expect(await page.locator('[data-lo=report-status]').textContent()).toMatch(/press Ctrl\+C/);
    const selected = await page.evaluate(() => {
      const a = document.activeElement as HTMLTextAreaElement;
      return a.selectionEnd - a.selectionStart === a.value.length && a.value.length > 0;
    });
    expect(selected).toBe(true);
    expect(errors).toEqual([]);
  }, 20_000);
});

describe('standalone page, read-only user', () => {
  it('shows the switch disabled and why', async () => {
    const vctx = await browser.newContext({ viewport: { width: 390, height: 800 } });
    const vp = await vctx.newPage();
    await loginStandalone(vp, sim.url, 'viewer', 'viewer-demo');
    await expectReadOnlyPanel(vp, 390);
    expect(await vp.locator('#lo-readonly').textContent()).toBe('The user viewer may view this page but not change the mode.');
    await vctx.close();
  }, 30_000);
});
