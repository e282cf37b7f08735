/** Chromium for the end-to-end tests: Debian's binary (never a download), one browser per test file. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO } from '../helpers/qjs';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

export async function launch(): Promise<Browser> {
  const executablePath = execFileSync(join(REPO, 'scripts/ensure-chromium.sh'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

/** Collect page errors so a test can assert there were none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** LuCI-shaped page: the login form, then the view. */
export async function loginLuci(page: Page, base: string, user = 'root', pass = 'offload-demo', query = ''): Promise<void> {
  await page.goto(`${base}/cgi-bin/luci/admin/network/offload${query}`);
  await page.fill('#luci_username', user);
  await page.fill('#luci_password', pass);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-lo=effective]');
}

/** Standalone page: the panel's own login form. */
export async function loginStandalone(page: Page, base: string, user = 'root', pass = 'offload-demo'): Promise<void> {
  await page.goto(`${base}/`);
  await page.fill('.lo-login input[name=username]', user);
  await page.fill('.lo-login input[name=password]', pass);
  await page.click('.lo-login button[type=submit]');
  await page.waitForSelector('[data-lo=effective]');
}

/** A live figure's machine-readable value (null while unknown). */
export async function figure(page: Page, id: string): Promise<number | null> {
  const v = await page.locator(`[data-lo="${id}"]`).getAttribute('data-value');
  return v === null || v === '' ? null : Number(v);
}

/** Wait until a live figure is known and differs from `not` (i.e. it moved). */
export async function figureChange(page: Page, id: string, not: number | null, timeoutMs = 8000): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    const v = await figure(page, id);
    if (v !== null && v !== not) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`figure ${id} did not change from ${not} within ${timeoutMs} ms`);
    await page.waitForTimeout(250);
  }
}

/** Average of a figure over `n` fresh samples (one per second). */
export async function settle(page: Page, id: string, n = 3): Promise<number> {
  let last = await figure(page, id);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    last = await figureChange(page, id, last);
    sum += last;
  }
  return sum / n;
}

/** Choose a mode with the keyboard (arrow keys in the radio group) and apply it. */
export async function applyMode(page: Page, mode: 'off' | 'software' | 'hardware'): Promise<string> {
  const order = ['off', 'software', 'hardware'];
  const checked = await page.locator('input[name=lo-mode]:checked').getAttribute('value');
  await page.focus('input[name=lo-mode]:checked');
  const from = order.indexOf(checked ?? 'off');
  const to = order.indexOf(mode);
  for (let i = from; i !== to; i += to > from ? 1 : -1) await page.keyboard.press(to > from ? 'ArrowRight' : 'ArrowLeft');
  if ((await page.locator('input[name=lo-mode]:checked').getAttribute('value')) !== mode) throw new Error(`keyboard did not select ${mode}`);
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  const result = page.locator('[data-lo=apply-result] .lo-alert');
  await result.first().waitFor({ timeout: 20000 });
  return (await result.first().textContent()) ?? '';
}

/** A read-only user: every mode and Apply disabled, live figures still moving, no horizontal scroll at `width`. */
export async function expectReadOnlyPanel(page: Page, width: number): Promise<void> {
  for (const m of ['off', 'software', 'hardware']) {
    if (!(await page.locator(`input[name=lo-mode][value=${m}]`).isDisabled())) throw new Error(`mode ${m} is not disabled for a read-only user`);
  }
  if (!(await page.getByRole('button', { name: 'Apply', exact: true }).isDisabled())) throw new Error('Apply is not disabled for a read-only user');
  await figureChange(page, 'cpu-busy', null); // file.read works for read-only users too
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  if (scroll > width) throw new Error(`page is ${scroll} px wide at a ${width} px viewport`);
}
