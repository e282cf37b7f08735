#!/usr/bin/env node
// The panel's guided A/B ("what offload saved here", web/src/models/SavingsModel.ts) over the real
// kernel: against a running `make demo-kernel` (iperf3 lan -> wan at KDEMO_MBPS through the guest's
// router), logs into the guest's real LuCI in Debian's Chromium, starts the comparison from the
// current mode (off after boot), waits for it to measure, switch, measure and switch back, and
// prints the panel's own result line and whether the original mode runs again. A measurement tool
// for the closing notes and docs, not a test (the A/B logic is tested against the simulator:
// test/e2e/savings.test.ts). Figures are an emulated CPU's: only the ratio means anything.
//
// Usage: make demo-kernel &   (wait for its URL)   node test/kernel/ab-guest.mjs [--port 8090]
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { luciLogin } from './stack-luci.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const i = process.argv.indexOf('--port');
const base = `http://127.0.0.1:${i > 0 ? Number(process.argv[i + 1]) : 8090}`;
const t0 = Date.now();
const log = (m) => process.stderr.write(`ab-guest[${((Date.now() - t0) / 1000).toFixed(0)}s]: ${m}\n`);

const exe = execFileSync(join(REPO, 'scripts/ensure-chromium.sh'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
const browser = await chromium.launch({ executablePath: exe, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
let code = 1;
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.setDefaultTimeout(120_000);
  if (!(await luciLogin(page, `${base}/cgi-bin/luci/admin/network/offload`))) throw new Error('LuCI login failed');
  const eff = page.locator('[data-lo=effective]');
  await eff.waitFor();
  const start = await eff.getAttribute('data-state');
  log(`logged in; running: ${start}`);
  await page.locator('[data-lo=savings-ask]').click();
  await page.locator('[data-lo=savings-start]').click();
  const ab = page.locator('[data-lo=savings-ab]');
  let last = '';
  for (;;) {
    const phase = await ab.getAttribute('data-phase').catch(() => null);
    const text = ((await ab.textContent().catch(() => '')) ?? '').slice(0, 120);
    if (text !== last) log(`${phase}: ${text}`);
    last = text;
    if (phase === 'done' || phase === 'failed' || phase === 'aborted') break;
    if (Date.now() - t0 > 15 * 60_000) throw new Error('the comparison did not end within 15 min');
    await page.waitForTimeout(2000);
  }
  const result = (await ab.locator('[data-lo=savings-compare]').textContent().catch(() => null)) ?? '(no result)';
  const restored = await page.locator('[data-lo=savings-restored]').getAttribute('data-value').catch(() => null);
  const phase = await ab.getAttribute('data-phase');
  const applied = (await page.locator('[data-lo=apply-result]').textContent().catch(() => '')) ?? '';
  const end = await eff.getAttribute('data-state');
  process.stdout.write(`A/B in the kernel guest (${phase}): ${result}\nrestored: ${restored}; running at the start: ${start}, at the end: ${end}; last apply result: ${applied.trim() || '-'}; ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
  code = phase === 'done' && restored === 'true' && end === start ? 0 : 1;
} finally {
  await browser.close();
}
process.exit(code);
