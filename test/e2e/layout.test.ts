/**
 * Layout in real Chromium on the standalone page: below 600 px (and up to
 * 800 px, openwrt-2020's breakpoint) every device is a card with its labelled
 * fields and its problems on screen; at 1280 px
 * the Devices table stays a table whose long column (Problems) gets the room
 * and whose short columns stay narrow (issue 16, problem 9).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startSim, type RunningSim } from '../helpers/sim';
import { launch, loginLuci, loginStandalone, watchErrors } from './browser';

let browser: Browser;
const sims: Record<string, RunningSim> = {};
// pppoe: three devices, one offloaded through another; hostile: a device that does not exist (a problem) and long names.
const SCENARIOS = ['pppoe', 'hostile'];

beforeAll(async () => {
  const started = await Promise.all([launch(), ...SCENARIOS.map((s) => startSim(['--scenario', s]))]);
  browser = started[0] as Browser;
  SCENARIOS.forEach((s, i) => (sims[s] = started[i + 1] as RunningSim));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(Object.values(sims).map((s) => s.stop()));
});

async function open(scenario: string, width: number, luci = false): Promise<{ page: Page; errors: string[] }> {
  const page = await (await browser.newContext({ viewport: { width, height: 844 } })).newPage();
  const errors = watchErrors(page);
  await (luci ? loginLuci : loginStandalone)(page, (sims[scenario] as RunningSim).url);
  await page.locator('[data-lo=devices-table] tbody tr').first().waitFor();
  return { page, errors };
}

interface Box { x: number; y: number; w: number; h: number }

/** Geometry of the Devices table: the region, the header row, each row and its cells with their labels. */
function measure(page: Page) {
  return page.evaluate(() => {
    const box = (el: Element): Box => {
      const r = el.getBoundingClientRect();
      return { x: r.left, y: r.top, w: r.width, h: r.height };
    };
    const table = document.querySelector('[data-lo=devices-table]') as HTMLTableElement;
    const region = table.closest('.lo-scroll') as HTMLElement;
    return {
      display: getComputedStyle(table).display,
      region: { ...box(region), scrollW: region.scrollWidth, clientW: region.clientWidth },
      table: box(table),
      head: box(table.tHead as HTMLElement),
      headers: [...table.querySelectorAll('thead th')].map((th) => ({ text: th.textContent ?? '', ...box(th) })),
      rows: [...table.querySelectorAll('tbody tr')].map((tr) => ({
        device: tr.getAttribute('data-device') ?? '',
        problem: tr.classList.contains('lo-problem'),
        ...box(tr),
        cells: [...tr.children].map((c) => ({
          title: c.getAttribute('data-title') ?? '',
          label: getComputedStyle(c, '::before').content,
          text: (c as HTMLElement).innerText,
          overflow: c.scrollWidth > c.clientWidth + 1,
          ...box(c),
        })),
      })),
      pageW: document.documentElement.scrollWidth,
    };
  });
}

describe('Devices below 600 px: one card per device', () => {
  const cases = [...SCENARIOS.map((s) => [s, 390, false] as const), ['hostile', 390, true] as const, ['pppoe', 700, false] as const];
  for (const [scenario, width, luci] of cases) {
    it(`${scenario}${luci ? ' (LuCI-shaped page)' : ''} at ${width} px: cards with every field labelled, problems on screen, nothing to scroll sideways`, async () => {
      const { page, errors } = await open(scenario, width, luci);
      const m = await measure(page);
      expect(m.pageW).toBeLessThanOrEqual(width);
      expect(m.region.scrollW, 'the region scrolls sideways').toBeLessThanOrEqual(m.region.clientW + 1);
      expect(m.head.h, 'the header row is not shown above the cards').toBeLessThanOrEqual(1);
      expect(m.rows.length).toBeGreaterThanOrEqual(2);
      let bottom = -Infinity;
      for (const r of m.rows) {
        expect(r.w, `${r.device}: a card as wide as the region`).toBeGreaterThanOrEqual(m.region.w * 0.9);
        expect(r.y, `${r.device}: below the previous card`).toBeGreaterThanOrEqual(bottom - 1);
        bottom = r.y + r.h;
        const [name, ...fields] = r.cells;
        expect(name?.text.trim()).toBe(r.device);
        for (const c of fields) {
          // Each field shows its column's name before its value, inside the card and on screen.
          expect(c.label, `${r.device} ${c.title}`).toBe(JSON.stringify(c.title));
          expect(c.h, `${r.device} ${c.title}`).toBeGreaterThan(0);
          expect(c.x, `${r.device} ${c.title}`).toBeGreaterThanOrEqual(r.x - 1);
          expect(c.x + c.w, `${r.device} ${c.title}`).toBeLessThanOrEqual(Math.min(r.x + r.w, width) + 1);
          expect(c.overflow, `${r.device} ${c.title} overflows`).toBe(false);
        }
      }
      if (scenario === 'hostile') {
        const bad = m.rows.find((r) => r.problem);
        expect(bad?.cells.find((c) => c.title === 'Problems')?.text).toMatch(/Problem: Does not exist on the router/);
      }
      expect(errors).toEqual([]);
    }, 40_000);
  }
});

describe('Devices at 1280 px: a table with balanced columns', () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario} at 1280 px: Problems gets the room, the short columns stay narrow, no cell overflows`, async () => {
      const { page, errors } = await open(scenario, 1280);
      const m = await measure(page);
      expect(m.display).toBe('table');
      expect(m.head.h).toBeGreaterThan(10);
      const width = (title: string): number => m.headers.find((h) => h.text === title)?.w ?? NaN;
      expect(width('Problems') / m.table.w, 'share of Problems').toBeGreaterThanOrEqual(0.35);
      // A short column is as wide as its widest value (or its header's longest word) and its padding, not wider:
      // the room left goes to Problems.
      const natural = await page.evaluate(() => {
        const table = document.querySelector('[data-lo=devices-table]') as HTMLTableElement;
        const probe = (el: Element, text: string): number => {
          const s = document.createElement('span');
          s.style.cssText = `position:absolute;visibility:hidden;white-space:nowrap;font:${getComputedStyle(el).font}`;
          s.textContent = text;
          document.body.appendChild(s);
          const w = s.getBoundingClientRect().width;
          s.remove();
          return w;
        };
        return [...table.querySelectorAll('thead th')].map((th, i) => {
          const words = (th.textContent ?? '').split(/\s+/).map((w) => probe(th, w));
          const cells = [...table.querySelectorAll(`tbody tr > :nth-child(${i + 1})`)].map((c) => probe(c, (c as HTMLElement).innerText.trim()));
          return { title: th.textContent ?? '', need: Math.max(...words, ...cells) };
        });
      });
      for (const { title, need } of natural.filter((n) => n.title !== 'Problems')) {
        expect(width(title) - need, `slack of ${title} (${Math.round(width(title))} px for ${Math.round(need)} px)`).toBeLessThanOrEqual(40);
      }
      // One row per device, its cells side by side on one line.
      for (const r of m.rows) {
        for (const c of r.cells) {
          expect(Math.abs(c.y - r.y), `${r.device} ${c.title}`).toBeLessThanOrEqual(1);
          expect(c.overflow, `${r.device} ${c.title} overflows`).toBe(false);
        }
      }
      expect(errors).toEqual([]);
    }, 40_000);
  }
});
