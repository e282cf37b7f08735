/**
 * Real LuCI (openwrt-25.12: luci-base's ucode dispatcher under uhttpd, rpcd-mod-luci,
 * rpcd-mod-ucode, ucode-mod-html, lucihttp, the real themes) on the platform router:
 * `router.sh start --luci` (test/platform/README.md). Helpers for the Chromium tests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, BrowserContext } from 'playwright-core';
import { REPO } from '../helpers/qjs';
import { startRouter, type Router, type RouterOptions } from './router';

export interface LuciRouter extends Router {
  /** http://127.0.0.1:PORT (uhttpd's document root, LuCI under /cgi-bin/luci). */
  base: string;
  /** Make THEME (a /luci-static/… path of luci.themes) LuCI's theme, through uci as LuCI's System page does. */
  theme(mediaurlbase: string): void;
}

/**
 * A LuCI read-only login: LuCI's own `unauthenticated` and `luci-base` read groups plus the
 * app's read group. Without the first two, LuCI's own calls (uci, luci) are denied and it
 * shows its session-expired dialog over the page.
 */
export const VIEWER_RPCD = `
# viewer / viewer: read-only in LuCI — LuCI's unauthenticated + luci-base read groups and the app's
config login
	option username 'viewer'
	option password '$1$platform$iAAoo2MqEh9V0nUsWzpDA/'
	list read 'unauthenticated'
	list read 'luci-base'
	list read 'luci-app-offload'
`;

export function startLuciRouter(opts: RouterOptions = {}): LuciRouter {
  const rpcd = readFileSync(join(REPO, 'test/platform/root/etc/config/rpcd'), 'utf8') + VIEWER_RPCD;
  const prev = process.env.ROUTER_LUCI;
  process.env.ROUTER_LUCI = '1'; // router.sh start --luci
  let r: Router;
  try {
    r = startRouter({ ...opts, files: { 'etc/config/rpcd': rpcd, ...(opts.files ?? {}) } });
  } finally {
    if (prev === undefined) delete process.env.ROUTER_LUCI;
    else process.env.ROUTER_LUCI = prev;
  }
  const base = r.url.replace(/\/ubus$/, '');
  return Object.assign(r, {
    base,
    theme: (mediaurlbase: string) => {
      const x = r.exec(['sh', '-c', `uci set luci.main.mediaurlbase='${mediaurlbase}' && uci commit luci`]);
      if (x.status !== 0) throw new Error(`uci set luci.main.mediaurlbase: ${x.stderr}`);
    },
  });
}

/** Everything that went wrong on a page: console errors, page errors, failed or ≥ 400 requests. */
export function watchPage(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  // net::ERR_ABORTED is the browser cancelling a request when the page navigates away, not a failure
  page.on('requestfailed', (q) => {
    const e = q.failure()?.errorText ?? '';
    if (!e.includes('ERR_ABORTED')) problems.push(`failed: ${q.method()} ${q.url()} ${e}`);
  });
  page.on('response', (s) => { if (s.status() >= 400) problems.push(`HTTP ${s.status()}: ${s.request().method()} ${s.url()}`); });
  return problems;
}

/** Log in through LuCI's own sysauth form (luci_username/luci_password), landing on `path`. */
export async function luciLogin(page: Page, base: string, user: string, password: string, path = '/cgi-bin/luci/'): Promise<void> {
  await page.goto(base + path);
  await page.fill('input[name=luci_username]', user);
  await page.fill('input[name=luci_password]', password);
  await Promise.all([page.waitForNavigation(), page.locator('input[name=luci_password]').press('Enter')]);
  if (await page.locator('input[name=luci_password]').count()) throw new Error(`LuCI login as ${user} failed`);
}

/** LuCI's session id: the sysauth cookie (sysauth_http on plain HTTP). */
export async function luciSession(ctx: BrowserContext): Promise<string | undefined> {
  return (await ctx.cookies()).find((c) => c.name.startsWith('sysauth'))?.value;
}
