/**
 * End to end through the simulator's standalone page (the panel logs in
 * itself) against the x86 scenario: hardware requested → software fallback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { call, startSim, type RunningSim } from '../helpers/sim';
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
  // Every text the chart draws, so the mode-change markers can be read back.
  await ctx.addInitScript(() => {
    const seen = new Set<string>();
    (window as unknown as { __chartTexts: Set<string> }).__chartTexts = seen;
    const orig = CanvasRenderingContext2D.prototype.fillText;
    CanvasRenderingContext2D.prototype.fillText = function (text: string, x: number, y: number, w?: number) {
      seen.add(String(text));
      return w === undefined ? orig.call(this, text, x, y) : orig.call(this, text, x, y, w);
    };
  });
  page = await ctx.newPage();
  errors = watchErrors(page);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sim?.stop();
});

/** The page's rendered text (closed <details> and visually hidden nothing else: innerText skips what is not rendered). */
const visible = (p: Page): Promise<string> => p.locator('#offload-root').innerText();
const count = (s: string, part: string): number => s.split(part).length - 1;
const chartTexts = (p: Page): Promise<string[]> => p.evaluate(() => [...(window as unknown as { __chartTexts: Set<string> }).__chartTexts]);

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

  it('explains the x86 fallback once in plain words, fw4\'s and nft\'s own text behind Details; the chart marks Hardware applied, Software running', async () => {
    const msg = await applyMode(page, 'hardware');
    expect(msg).toBe('Warning: Hardware is now configured, but the router runs software offloading instead (see Current state).');
    expect(await page.locator('[data-lo=effective]').getAttribute('data-state')).toBe('hardware-fallback');
    expect(await page.locator('[data-lo=effective]').textContent()).toMatch(/hardware fell back/);
    expect(await page.locator('[data-lo=running]').textContent()).toMatch(/^Software/);
    const box = page.locator('[data-lo=fallback]');
    expect(await box.innerText()).toMatch(/this router's network devices cannot offload these connections in hardware, so the firewall runs software offloading instead/);
    // Closed Details: neither fw4's sentence nor nft's error is on the page, anywhere.
    let text = await visible(page);
    expect(count(text, 'falling back to software')).toBe(0);
    expect(count(text, 'Operation not supported')).toBe(0);
    expect(count(text, 'flags offload')).toBe(0);
    await box.locator('summary', { hasText: 'Details' }).click();
    text = await visible(page);
    expect(count(text, 'Hardware flow offloading unavailable, falling back to software offloading')).toBe(1);
    expect(count(text, 'Operation not supported')).toBe(1);
    await expect.poll(() => chartTexts(page), { timeout: 5000 }).toContain('Hardware (runs Software)');
    expect(await chartTexts(page)).not.toContain('Software');
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

  it('one button sets the configuration to Software, through the same apply and its result', async () => {
    await page.getByRole('button', { name: 'Set the configuration to Software (what actually runs)' }).click();
    const result = page.locator('[data-lo=apply-result] .lo-alert');
    await result.first().waitFor({ timeout: 20000 });
    expect(await result.first().textContent()).toMatch(/^Done: Software is now active; the firewall reloaded in /);
    expect(await page.locator('[data-lo=effective]').getAttribute('data-state')).toBe('software');
    expect(await page.locator('[data-lo=configured]').textContent()).toBe('Software');
    expect(await page.locator('input[name=lo-mode]:checked').getAttribute('value')).toBe('software');
    expect(await page.locator('[data-lo=fallback]').count()).toBe(0);
    await expect.poll(() => chartTexts(page), { timeout: 5000 }).toContain('Software');
    expect(errors).toEqual([]);
  }, 30_000);

  it('logs out: the stored session is dropped, the login form is back with focus on its first field', async () => {
    const sid = await page.evaluate(() => JSON.parse(sessionStorage.getItem('luci-offload-session') ?? '{}').sid as string);
    // rpcd grants session.destroy through uhttpd only to a session whose ACL lists it; no stock group does.
    expect((await call(sim, sid, 'session', 'destroy')).error?.code).toBe(-32002);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.locator('.lo-login input[name=username]').waitFor();
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('username');
    expect(await page.evaluate(() => sessionStorage.getItem('luci-offload-session'))).toBeNull();
    expect(await page.locator('[data-lo=effective]').count()).toBe(0);
    expect(await page.locator('[data-lo=logged-out]').textContent()).toBe(
      'Logged out. The router does not let this page end the session, so it ends by itself after 5 minutes without use.',
    );
    // No poll runs with the old session any more, and a reload stays logged out.
    const seen = async (): Promise<number> => ((await sim.hook('/__sim/state', {})) as { calls: unknown[] }).calls.length;
    const before = await seen();
    await page.waitForTimeout(2500);
    expect(await seen()).toBe(before);
    await page.reload();
    await page.locator('.lo-login input[name=password]').waitFor();
    expect(await page.locator('[data-lo=effective]').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 30_000);
});

describe('standalone page, fw3 and no nft: nothing is known of the running mode', () => {
  for (const scenario of ['fw3', 'nft-missing']) {
    it(`${scenario}: the running mode and the flowtable are Unknown, and no advice to install kmod-nft-offload`, async () => {
      const s = await startSim(['--scenario', scenario]);
      const c = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      try {
        const p = await c.newPage();
        await loginStandalone(p, s.url);
        expect(await p.locator('[data-lo=effective]').getAttribute('data-state')).toBe('unsupported');
        expect(await p.locator('[data-lo=running]').textContent()).toBe('Unknown');
        expect(await p.locator('[data-lo=flowtable]').textContent()).toBe('Unknown');
        for (const cell of await p.locator('[data-lo=in-flowtable]').allTextContents()) expect(cell).toBe('Unknown');
        expect(await visible(p)).not.toMatch(/kmod-nft-offload/);
      } finally {
        await c.close();
        await s.stop();
      }
    }, 40_000);
  }
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
