/**
 * `make screenshots`: PNGs of the panel for docs/screenshots/ — the LuCI-shaped
 * page at 1280 and 390 px, light and dark, and the standalone page at 1280 px,
 * each after ~20 s of live history with a mode change in it.
 *
 * Run from the repository root (make does); needs `make build`.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';

const REPO = resolve(process.cwd());
const OUT = join(REPO, 'docs/screenshots');
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const sh = (script: string): string => execFileSync(join(REPO, 'scripts', script), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();

function startSim(scenario: string, qjs: string): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, [join(REPO, 'build/sim/server.mjs'), '--port', '0', '--scenario', scenario], { env: { ...process.env, QJS: qjs }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((res, rej) => {
    let out = '';
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) res({ url: m[1] as string, proc });
    });
    proc.on('exit', (c) => rej(new Error(`simulator exited with ${c}`)));
  });
}

async function applyMode(page: Page, mode: string): Promise<void> {
  await page.click(`input[name=lo-mode][value=${mode}]`);
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await page.locator('[data-lo=apply-result] .lo-alert').first().waitFor({ timeout: 20000 });
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(600); // let the chart redraw after a resize or theme change
  await page.screenshot({ path: join(OUT, name), fullPage: true });
  process.stdout.write(`screenshots: docs/screenshots/${name}\n`);
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const qjs = sh('ensure-qjs.sh');
  const [luciSim, soloSim, browser] = await Promise.all([
    startSim('mt7621', qjs),
    startSim('mt7621', qjs),
    chromium.launch({ executablePath: sh('ensure-chromium.sh'), headless: true, args: ARGS }),
  ]);
  try {
    const luci = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const solo = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await luci.goto(`${luciSim.url}/cgi-bin/luci/admin/network/offload`);
    await luci.fill('#luci_password', 'offload-demo');
    await luci.click('button[type=submit]');
    await solo.goto(`${soloSim.url}/`);
    await solo.fill('.lo-login input[name=password]', 'offload-demo');
    await solo.click('.lo-login button[type=submit]');
    await Promise.all([luci.waitForSelector('[data-lo=effective]'), solo.waitForSelector('[data-lo=effective]')]);

    // ~10 s with offloading off, then a mode change, then ~12 s more.
    await luci.waitForTimeout(10000);
    await Promise.all([applyMode(luci, 'hardware'), applyMode(solo, 'software')]);
    await luci.waitForTimeout(12000);
    await solo.getByRole('button', { name: /Top flows/ }).click();
    await solo.locator('[data-lo=flows-table]').waitFor();

    await shoot(luci, 'luci-1280-light.png');
    await shoot(solo, 'standalone-1280-light.png');
    await luci.evaluate(() => document.documentElement.setAttribute('data-darkmode', 'true'));
    await shoot(luci, 'luci-1280-dark.png');
    await luci.setViewportSize({ width: 390, height: 844 });
    await shoot(luci, 'luci-390-dark.png');
    await luci.evaluate(() => document.documentElement.setAttribute('data-darkmode', 'false'));
    await shoot(luci, 'luci-390-light.png');
  } finally {
    await browser.close();
    luciSim.proc.kill('SIGTERM');
    soloSim.proc.kill('SIGTERM');
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`screenshots: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
