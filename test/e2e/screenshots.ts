/**
 * `make screenshots`: PNGs of the panel for docs/screenshots/ — the page inside
 * real LuCI 25.12 (the platform tier's router with `router.sh start --luci`,
 * bootstrap theme, light and dark, 1280 and 390 px, ~15 s of live history of the
 * router's own CPU; needs root) and the standalone page at 1280 px against the
 * simulator (MT7621 scenario, ~90 s of history with a mode change, so the savings figure shows).
 *
 * Run from the repository root (make does); needs `make build`.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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

/** Real LuCI on the platform router: the package installed, logged in through LuCI's form. */
async function realLuci(browser: import('playwright-core').Browser): Promise<void> {
  if (process.getuid?.() !== 0) {
    process.stdout.write('screenshots: luci-*.png need root (real LuCI in the platform tier); kept as they are\n');
    return;
  }
  mkdirSync(join(REPO, 'build/platform'), { recursive: true });
  const dir = mkdtempSync(join(REPO, 'build/platform/shots-'));
  const rsh = join(REPO, 'test/platform/router.sh');
  const r = spawnSync(rsh, ['start', dir, '--pkg', join(REPO, 'luci-app-offload'), '--luci'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    if (r.status !== 0) throw new Error(`router.sh start --luci failed (${r.status})`);
    const base = /^url=(.*)\/ubus$/m.exec(r.stdout)?.[1] as string;
    spawnSync(rsh, ['exec', dir, 'sh', '-c', 'uci set luci.main.mediaurlbase=/luci-static/bootstrap && uci commit luci'], { stdio: 'inherit' });
    for (const scheme of ['light', 'dark'] as const) {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: scheme });
      const page = await ctx.newPage();
      await page.goto(`${base}/cgi-bin/luci/admin/network/offload`);
      await page.fill('input[name=luci_username]', 'root');
      await page.fill('input[name=luci_password]', 'root');
      await Promise.all([page.waitForNavigation(), page.locator('input[name=luci_password]').press('Enter')]);
      await page.waitForSelector('[data-lo=effective]');
      await page.waitForTimeout(15000);
      await shoot(page, `luci-1280-${scheme}.png`);
      await page.setViewportSize({ width: 390, height: 844 });
      await shoot(page, `luci-390-${scheme}.png`);
      await ctx.close();
    }
  } finally {
    spawnSync(rsh, ['stop', dir], { stdio: 'inherit' });
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const qjs = sh('ensure-qjs.sh');
  const [soloSim, browser] = await Promise.all([
    startSim('mt7621', qjs),
    chromium.launch({ executablePath: sh('ensure-chromium.sh'), headless: true, args: ARGS }),
  ]);
  try {
    const solo = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await solo.goto(`${soloSim.url}/`);
    await solo.fill('.lo-login input[name=password]', 'offload-demo');
    await solo.click('.lo-login button[type=submit]');
    await solo.waitForSelector('[data-lo=effective]');
    const luci = realLuci(browser);
    // ~45 s with offloading off, then a mode change, then ~45 s more: enough 10 s windows in
    // both modes for "what offload saved here" (SavingsModel: 3 windows per mode, 6 points
    // skipped after each change).
    await solo.waitForTimeout(45000);
    await applyMode(solo, 'software');
    await solo.waitForTimeout(45000);
    await solo.getByRole('button', { name: /Top flows/ }).click();
    await solo.locator('[data-lo=flows-table]').waitFor();
    await shoot(solo, 'standalone-1280-light.png');
    await luci;
  } finally {
    await browser.close();
    soloSim.proc.kill('SIGTERM');
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`screenshots: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
