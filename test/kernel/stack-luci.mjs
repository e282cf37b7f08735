// Real LuCI 25.12 inside the kernel guest (the platform tier's staging, served by the guest's
// real uhttpd + rpcd over Debian's kernel with nft_flow_offload), driven in Debian's Chromium
// through the forwarded loopback port. What only this tier can show: LuCI's own Network →
// Firewall offload selector (LuCI offers it only when the kernel has nft_flow_offload, which the
// platform tier's host kernel lacks) staging a change that the app's page must show as pending,
// and a mode applied from the app's page inside LuCI offloading real flows.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const APP = '/cgi-bin/luci/admin/network/offload';
const FIREWALL = '/cgi-bin/luci/admin/network/firewall';
// everything is slow under TCG: LuCI's dispatcher is ucode on an emulated CPU
const SLOW = 90_000;

/**
 * LuCI's sysauth form at `url` (root / root, the guest's login), landing on that page; whether
 * the form is gone. (The platform tier's TypeScript helper, test/platform/luci-router.ts, does the
 * same for vitest; these scripts run under plain node.)
 * @param {import('playwright-core').Page} page
 */
export async function luciLogin(page, url) {
  await page.goto(url);
  await page.fill('input[name=luci_username]', 'root');
  await page.fill('input[name=luci_password]', 'root');
  await Promise.all([page.waitForNavigation(), page.locator('input[name=luci_password]').press('Enter')]);
  return (await page.locator('input[name=luci_password]').count()) === 0;
}

/**
 * @param {object} o
 * @param {string} o.base     http://127.0.0.1:PORT of the guest's uhttpd
 * @param {string} o.repo     the repository (scripts/ensure-chromium.sh)
 * @param {(name: string, ok: boolean, detail?: string) => boolean} o.check
 * @param {(script: string) => Promise<{out: string, rc: number}>} o.sh   the guest's control CGI
 * @param {(tag: string) => Promise<void>} o.iperfStart  an iperf3 transfer lan -> wan in the guest
 * @param {(tag: string) => Promise<void>} o.iperfStop
 * @param {(m: string) => void} o.log
 */
export async function luciInGuest({ base, repo, check, sh, iperfStart, iperfStop, log }) {
  const exe = execFileSync(join(repo, 'scripts/ensure-chromium.sh'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  const browser = await chromium.launch({
    executablePath: exe,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run'],
  });
  try {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    ctx.setDefaultTimeout(SLOW);
    ctx.setDefaultNavigationTimeout(SLOW);
    const page = await ctx.newPage();
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('requestfailed', (q) => { if (!(q.failure()?.errorText ?? '').includes('ERR_ABORTED')) problems.push(`failed: ${q.url()}`); });
    page.on('response', (s) => { if (s.status() >= 400) problems.push(`HTTP ${s.status()}: ${s.url()}`); });

    // LuCI's sysauth form, landing on the app's page
    log('LuCI: login');
    const loggedIn = await luciLogin(page, base + APP);
    check('LuCI (guest): login through LuCI\'s sysauth form', loggedIn);
    if (!loggedIn) return;
    problems.length = 0; // the login page's own 403 is LuCI's
    const eff = page.locator('[data-lo=effective]');
    await eff.waitFor();
    const state0 = await eff.getAttribute('data-state');
    check('LuCI (guest): the app page mounts inside LuCI, state off', state0 === 'off', `data-state=${state0}`);
    const entry = await page.locator(`a[href$="${APP}"]`).first().textContent().catch(() => null);
    check('LuCI (guest): Network → Flow Offloading in LuCI\'s menu', entry?.trim() === 'Flow Offloading', String(entry));

    // LuCI's own selector: with nft_flow_offload in the kernel, Network → Firewall offers it
    await page.goto(base + FIREWALL);
    const sel = page.locator('#view [data-name=offloading_type]');
    const shown = await sel.waitFor().then(() => true, () => false);
    check('LuCI (guest): Network → Firewall offers its flow offloading selector (the kernel has nft_flow_offload)', shown);
    if (shown) {
      // RichListValue is LuCI's ui.Dropdown: open it, pick "Software flow offloading", Save (not Apply)
      await sel.locator('.cbi-dropdown').click();
      // (the open list's items are the focusable ones; ui.Dropdown keeps a second copy for the preview)
      await sel.locator('.cbi-dropdown li[data-value="1"][tabindex]').click();
      await page.locator('.cbi-page-actions .cbi-button-save').click();
      await page.locator('#indicators [data-indicator=uci-changes]').waitFor();
      const before = (await sh('cat /etc/config/firewall')).out;
      await page.goto(base + APP);
      await eff.waitFor();
      const pending = page.locator('#offload-luci-pending');
      const seen = await pending.waitFor().then(() => true, () => false);
      const text = seen ? await pending.textContent() : '';
      check('LuCI (guest): a change staged with LuCI\'s own selector shows on the app page as pending in LuCI',
        /Pending in LuCI: .*staged but not applied \(flow_offloading=1\)/.test(text ?? ''), text ?? '(no pending notice)');
      check('LuCI (guest): the staged change is not in /etc/config/firewall, the running state still off',
        !/flow_offloading/.test(before) && (await eff.getAttribute('data-state')) === 'off');
      // LuCI's Unsaved Changes dialog → Revert
      await page.locator('#indicators [data-indicator=uci-changes]').click();
      await page.locator('#modal_overlay .modal .btn', { hasText: 'Revert' }).click();
      await page.locator('#modal_overlay .modal', { hasText: 'Changes have been reverted.' }).waitFor();
      await page.goto(base + APP);
      await eff.waitFor();
      check('LuCI (guest): reverted in LuCI, the pending notice is gone', (await pending.count()) === 0);
    }

    // the app's own Apply inside LuCI: software, then real flows offloaded on the summary strip
    await iperfStart('luci');
    // the mode cards are a radio group: from Off one step right is Software
    await page.focus('input[name=lo-mode]:checked');
    await page.keyboard.press('ArrowRight');
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    const result = page.locator('[data-lo=apply-result] .lo-alert').first();
    const applied = await result.waitFor().then(() => result.textContent(), () => null);
    const running = await page
      .waitForFunction(() => document.querySelector('[data-lo=effective]')?.getAttribute('data-state') === 'software', null, { timeout: SLOW })
      .then(() => true, () => false);
    check('LuCI (guest): Apply software from the app page → the running state software', running, `apply result: ${applied}`);
    const fw = (await sh('cat /etc/config/firewall')).out;
    check('LuCI (guest): written to /etc/config/firewall by the handler', /option flow_offloading '1'/.test(fw), fw.slice(0, 300));
    // the summary strip's flow count follows the stats poll (every 5 s); iperf3 runs meanwhile
    const strip = page.locator('[data-lo=summary-flows]');
    let stripText = '';
    const t0 = Date.now();
    while (Date.now() - t0 < SLOW) {
      stripText = (await strip.textContent()) ?? '';
      const m = stripText.match(/Offloaded: (\d+) software/);
      if (m && Number(m[1]) > 0) break;
      await page.waitForTimeout(1000);
    }
    check('LuCI (guest): the summary strip counts real software-offloaded flows', /Offloaded: [1-9]\d* software/.test(stripText), stripText);
    await iperfStop('luci');
    check('LuCI (guest): no console errors, page errors or failed requests', problems.length === 0, problems.slice(0, 5).join(' | '));
    // LuCI itself still works after the app
    await page.goto(base + '/cgi-bin/luci/admin/status/overview');
    const ov = await page.locator('#view .cbi-section').first().waitFor().then(() => true, () => false);
    check('LuCI (guest): Status → Overview still renders after the app', ov);
  } finally {
    await browser.close();
  }
}
