/**
 * The diagnostics report as forum helpers want it (issue 16 #5), end to end in real Chromium through
 * the LuCI-shaped page against the simulated MT7621 router: the preview, the mask switch, Download
 * `.md` and Copy taking exactly what the preview shows.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startSim, type RunningSim } from '../helpers/sim';
import { launch, loginLuci, watchErrors } from './browser';

let sim: RunningSim;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
let errors: string[];

beforeAll(async () => {
  [sim, browser] = await Promise.all([startSim(), launch()]);
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

const preview = (): Promise<string> => page.locator('[data-lo=report-preview]').inputValue();
/** A public IPv4 address with its port, as the top-flows table shows one unmasked. */
const PUBLIC_FLOW = /\| (?!192\.168\.|10\.|127\.)\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}:443 \|/;

describe('the report, previewed before it leaves the page', () => {
  it('shows the report with the new fields, folded for the forum, addresses masked', async () => {
    await page.getByRole('button', { name: 'Preview report' }).click();
    await page.locator('[data-lo=report-preview]').waitFor();
    const md = await preview();
    expect(md).toMatch(/^### Flow offloading report \(luci-app-offload \d+\.\d+\.\d+\)\n/);
    expect(md).toContain('- WAN: wan: dhcp on wan; wan6: dhcpv6 on wan');
    expect(md).toMatch(/- At report time/);
    expect(md).toContain('- Offload kernel modules (/proc/modules): ');
    expect(md).toContain('<details><summary>Top flows</summary>');
    expect(md).toContain('<details><summary>Switch ports (DSA)</summary>');
    expect(md).toMatch(/\| x\.x\.x\.x:443 \| [\d.]+ [KMG]?i?B \|/);
    expect(md).not.toMatch(PUBLIC_FLOW);
    expect(await page.getByRole('checkbox', { name: 'Mask addresses' }).isChecked()).toBe(true);
  }, 30_000);

  it('switching masking off shows the addresses; switching it on masks them again', async () => {
    await page.getByRole('checkbox', { name: 'Mask addresses' }).uncheck();
    await expect.poll(preview, { timeout: 8000 }).toMatch(PUBLIC_FLOW);
    expect(await preview()).toContain('_Addresses are not masked._');
    await page.getByRole('checkbox', { name: 'Mask addresses' }).check();
    await expect.poll(preview, { timeout: 8000 }).toContain('_Public addresses and MAC addresses are masked._');
    expect(await preview()).not.toMatch(PUBLIC_FLOW);
  }, 30_000);

  it('downloads exactly the previewed text as a dated .md file', async () => {
    const shown = await preview();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download .md' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^offload-report-\d{4}-\d\d-\d\d-\d{4}\.md$/);
    expect(readFileSync((await download.path()) as string, 'utf8')).toBe(shown);
    expect(await page.locator('[data-lo=report-status]').textContent()).toContain(`Saved as ${download.suggestedFilename()}.`);
  }, 30_000);

  it('copies exactly the previewed text and says that addresses are masked', async () => {
    const shown = await preview();
    await page.getByRole('button', { name: 'Copy report' }).click();
    await expect.poll(async () => (await page.locator('[data-lo=report-status]').textContent()) ?? '').toMatch(/Report copied to the clipboard\. Public addresses are masked\./);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(shown);
    await page.getByRole('button', { name: 'Hide preview' }).click();
    expect(await page.locator('[data-lo=report-preview]').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 30_000);
});
