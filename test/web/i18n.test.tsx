// @vitest-environment happy-dom
/**
 * Translations: the committed template lists exactly the strings the sources
 * use, every call is extractable, and the German and Simplified Chinese
 * catalogues are complete.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { collectStrings, nonLiteralCalls, parsePo, renderPot, POT_PATH } from '../../scripts/gen-pot';
import { App } from '../../web/src/components/App';
import { AppModel } from '../../web/src/models/AppModel';
import { setTranslate } from '../../web/src/lib/i18n';
import { createMockClient, flush } from './mock-client';
import { statusFixture } from './fixtures';
import type { StatusResult } from '../../rpcd/src/api/contract';

const REPO = resolve(__dirname, '../..');
const pot = readFileSync(join(REPO, POT_PATH), 'utf8');
const de = parsePo(readFileSync(join(REPO, 'luci-app-offload/po/de/offload.po'), 'utf8'));
const zhText = readFileSync(join(REPO, 'luci-app-offload/po/zh_Hans/offload.po'), 'utf8');
const zh = parsePo(zhText);
const placeholders = (s: string): string[] => s.match(/%[sd]/g) ?? [];

afterEach(() => setTranslate(null));

describe('offload.pot', () => {
  it('every t(…)/_(…) call passes one string literal', () => {
    expect(nonLiteralCalls(REPO)).toEqual([]);
  });

  it('contains every source string (run `make pot` when this fails)', () => {
    const committed = parsePo(pot);
    const missing = collectStrings(REPO).map((e) => e.msgid).filter((id) => !committed.has(id));
    expect(missing).toEqual([]);
  });

  it('has no strings the sources no longer use (source references may lag; `make pot` refreshes them)', () => {
    const used = new Set(collectStrings(REPO).map((e) => e.msgid));
    expect([...parsePo(pot).keys()].filter((id) => !used.has(id))).toEqual([]);
  });

  it('round-trips through the generator\'s own writer and parser', () => {
    const entries = collectStrings(REPO);
    expect([...parsePo(renderPot(entries)).keys()]).toEqual(entries.map((e) => e.msgid));
  });

  it('includes the view\'s own strings and the menu title', () => {
    const ids = parsePo(pot);
    expect(ids.has('Flow Offloading')).toBe(true);
    expect(ids.has('The flow offloading panel did not start.')).toBe(true);
  });
});

describe('German translation', () => {
  it('translates every msgid of the template, keeping the placeholders', () => {
    const untranslated: string[] = [];
    const badPlaceholders: string[] = [];
    for (const id of parsePo(pot).keys()) {
      const s = de.get(id);
      if (!s) untranslated.push(id);
      else if (placeholders(s).join() !== placeholders(id).join()) badPlaceholders.push(id);
    }
    expect(untranslated).toEqual([]);
    expect(badPlaceholders).toEqual([]);
  });

  it('has no stale entries', () => {
    const ids = parsePo(pot);
    expect([...de.keys()].filter((id) => !ids.has(id))).toEqual([]);
  });

  it('reaches the screen through LuCI\'s _()', async () => {
    setTranslate((s: string) => de.get(s) ?? s);
    const app = new AppModel(createMockClient(), { standalone: false, readonly: false, pollMs: 60_000 });
    const el = document.createElement('div');
    render(<App app={app} />, el);
    app.start();
    await flush(10);
    app.stop();
    expect(el.querySelector('h2')?.textContent).toBe('Flow-Offloading');
    expect(el.textContent).toContain('Anwenden');
    expect(el.textContent).toContain('Aktueller Zustand');
    expect(el.textContent).toContain('Bericht kopieren');
    render(null, el);
  });
});

/** Every free-text string of a handler answer (sentences such as effective.reason): the handler's words, not the catalogue's. */
const handlerText = (v: unknown): string[] =>
  typeof v === 'string' ? (v.includes(' ') ? [v] : []) : v && typeof v === 'object' ? Object.values(v).flatMap(handlerText) : [];

/**
 * The panel inside LuCI (translate = LuCI's `_()`), rendered on the mock
 * router: all its text and labels, without the sentences the handler sent.
 */
async function renderedText(translate: ((s: string) => string) | null, status: StatusResult): Promise<{ text: string; h2: string | null | undefined }> {
  setTranslate(translate);
  const app = new AppModel(createMockClient({ status: () => status }), { standalone: false, readonly: false, pollMs: 60_000 });
  const el = document.createElement('div');
  render(<App app={app} />, el);
  app.start();
  await flush(10);
  app.stop();
  const attrs = [...el.querySelectorAll('*')].flatMap((n) => ['title', 'aria-label', 'placeholder', 'alt'].map((a) => n.getAttribute(a) ?? ''));
  let text = [el.textContent ?? '', ...attrs].join('\n');
  for (const h of handlerText(status)) text = text.split(h).join('\n');
  const out = { text, h2: el.querySelector('h2')?.textContent };
  render(null, el);
  return out;
}

/**
 * The English pieces of each msgid that read as words (two or more words
 * between the placeholders): none of them may be on a translated page.
 * Single words (CPU, WAN, LAN, fw4) stay as they are in a translation.
 */
const TWO_WORDS = /[A-Za-z]{2,}[^A-Za-z%]+[A-Za-z]{2,}/;
const englishPieces = (): string[] => [...new Set([...parsePo(pot).keys()].flatMap((id) => id.split(/%[sd]/)).map((p) => p.trim()).filter((p) => TWO_WORDS.test(p)))];

/** A router offloading in software with a PPPoE device fw4 left out of the flowtable, so device problems show too. */
const pppoeStatus = (): StatusResult => {
  const base = statusFixture({}, 'software');
  return { ...base, devices: [...base.devices, { ...base.devices[1]!, device: 'pppoe-wan', in_flowtable: false, flowtables: [], problems: ['pppoe-l3-device', 'missing-from-flowtable'] }] };
};

describe('Simplified Chinese translation (zh_Hans)', () => {
  it('translates every msgid of the template, keeping the placeholders in order', () => {
    const untranslated: string[] = [];
    const badPlaceholders: string[] = [];
    for (const id of parsePo(pot).keys()) {
      const s = zh.get(id);
      if (!s) untranslated.push(id);
      else if (placeholders(s).join() !== placeholders(id).join()) badPlaceholders.push(id);
    }
    expect(untranslated).toEqual([]);
    expect(badPlaceholders).toEqual([]);
  });

  it('has no stale entries', () => {
    const ids = parsePo(pot);
    expect([...zh.keys()].filter((id) => !ids.has(id))).toEqual([]);
  });

  it('carries the header LuCI\'s own zh_Hans catalogues have (UTF-8, Language: zh_Hans, one plural form)', () => {
    const header = zhText.slice(0, zhText.indexOf('\n\n'));
    expect(header).toContain('"Content-Type: text/plain; charset=UTF-8\\n"');
    expect(header).toContain('"Language: zh_Hans\\n"');
    expect(header).toContain('"Plural-Forms: nplurals=1; plural=0;\\n"');
  });

  it('is Chinese: every translation of words (not a lone token such as CPU or bit/s) holds Han characters', () => {
    expect([...zh].filter(([id, s]) => TWO_WORDS.test(id) && !/\p{Script=Han}/u.test(s)).map(([id]) => id)).toEqual([]);
  });

  it('uses LuCI\'s own words for what LuCI already translates (luci-app-firewall, luci-base)', () => {
    expect(zh.get('Software offloading')).toBe('软件流量卸载');
    expect(zh.get('Hardware offloading')).toBe('硬件流量卸载');
    expect(zh.get('Username')).toBe('用户名');
    expect(zh.get('Password')).toBe('密码');
    expect(zh.get('Session expired')).toBe('会话已过期');
    expect(zh.get('Live updates are paused because LuCI\'s automatic refresh is paused. The "Paused" indicator at the top of the page turns it back on.')).toContain('“已暂停”');
    expect(zh.get('Pending in LuCI: a flow offloading change is staged but not applied (%s). This page shows the applied configuration until you apply or revert it under LuCI\'s Unsaved Changes.')).toContain('“未保存的配置”');
  });

  it('names softirq and the flowtable the same way everywhere (软中断, 流表)', () => {
    for (const [id, s] of zh) {
      if (/softirq/i.test(id)) expect(s, id).toContain('软中断');
      if (/flowtable/i.test(id)) expect(s, id).toContain('流表');
      expect(s, id).not.toMatch(/softirq|flowtable/i);
    }
  });

  it('the panel rendered with it shows no English sentence of the catalogue (and the check would see one)', async () => {
    const pieces = englishPieces();
    const english = await renderedText(null, pppoeStatus());
    // The same page in English shows many of these pieces, so the check below is not vacuous.
    expect(pieces.filter((p) => english.text.includes(p)).length).toBeGreaterThan(15);
    for (const status of [statusFixture(), pppoeStatus()]) {
      const page = await renderedText((s: string) => zh.get(s) ?? s, status);
      expect(page.h2).toBe('流量卸载');
      expect(pieces.filter((p) => page.text.includes(p))).toEqual([]);
      for (const word of ['应用', '当前状态', '复制报告', '实时负载', '防火墙']) expect(page.text).toContain(word);
    }
  });
});
