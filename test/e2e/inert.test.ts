/**
 * Inert rendering: board and model names, device names, fw4's warning text
 * and flow addresses that carry HTML/script render as text in the panel, on
 * both pages, and no script they contain ever runs (issue: hostile input).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startSim, type RunningSim } from '../helpers/sim';
import { applyMode, launch, loginLuci, loginStandalone, watchErrors } from './browser';

let sim: RunningSim;
let browser: Browser;

beforeAll(async () => {
  [sim, browser] = await Promise.all([startSim(['--scenario', 'hostile']), launch()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sim?.stop();
});

async function pwned(page: Page): Promise<unknown> {
  return page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);
}

async function exercise(page: Page): Promise<string> {
  // The apply result carries fw4's (hostile) warning; the flows table the hostile address; the report all of it.
  await applyMode(page, 'hardware');
  await page.locator('.lo-flows .lo-disclosure').click();
  await page.locator('[data-lo=flows-table]').waitFor();
  await page.waitForTimeout(1500);
  return (await page.locator('body').textContent()) ?? '';
}

describe('markup from the router renders as text', () => {
  it('standalone page: no script runs, the texts show literally', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const errors = watchErrors(page);
    await loginStandalone(page, sim.url);
    const text = await exercise(page);
    expect(text).toContain('<b>wan<b>');
    expect(text).toContain('check your <b>firewall</b>');
    expect(text).toContain('<svg/onload=window.__pwned=7>');
    expect(text).toContain('<script>window.__pwned="model"</script>');
    expect(await page.locator('#offload-root img, #offload-root svg:not(.lo-icon), #offload-root b').count()).toBe(0);
    expect(await pwned(page)).toBeUndefined();
    expect(errors).toEqual([]);
  }, 60_000);

  it('LuCI-shaped page: the same, and the page title and header stay text', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await loginLuci(page, sim.url);
    const text = await exercise(page);
    expect(text).toContain('<b>wan<b>');
    expect(await page.title()).toContain('<script>');
    expect(await pwned(page)).toBeUndefined();
  }, 60_000);
});
