// @vitest-environment happy-dom
/**
 * Translations: the committed template lists exactly the strings the sources
 * use, every call is extractable, and the German catalogue is complete.
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

const REPO = resolve(__dirname, '../..');
const pot = readFileSync(join(REPO, POT_PATH), 'utf8');
const de = parsePo(readFileSync(join(REPO, 'luci-app-offload/po/de/offload.po'), 'utf8'));
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
