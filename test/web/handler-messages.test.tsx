// @vitest-environment happy-dom
/**
 * The handler's sentences in the user's language (issue 16 #3): the real handler (under QuickJS,
 * on simulator roots) answers each sentence as catalogue msgids with parameters
 * (api/contract Message); the panel renders them through LuCI's _() with the German and the
 * Simplified Chinese catalogues, so no English sentence of the handler reaches those pages.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { render } from 'preact';
import type { FlowsResult, Message, StatusResult } from '../../rpcd/src/api/contract';
import { parsePo } from '../../scripts/gen-pot';
import { App } from '../../web/src/components/App';
import { AppModel } from '../../web/src/models/AppModel';
import { say, setTranslate } from '../../web/src/lib/i18n';
import { runHandler, REPO } from '../helpers/qjs';
import { scenarioRoot, type TestRoot } from '../helpers/scenario';
import { createMockClient, flush } from './mock-client';

const catalog = (lang: string): Map<string, string> => parsePo(readFileSync(join(REPO, `luci-app-offload/po/${lang}/offload.po`), 'utf8'));
const CATALOGS = { de: catalog('de'), zh_Hans: catalog('zh_Hans') };
const SCENARIOS = ['mt7621-software', 'mt7621-hardware', 'x86', 'pppoe'];

const answers = new Map<string, { status: StatusResult; flows: FlowsResult }>();
const roots: TestRoot[] = [];
beforeAll(() => {
  for (const name of SCENARIOS) {
    const t = scenarioRoot(name);
    roots.push(t);
    t.model.refresh(Date.now() + 5000);
    const status = runHandler(['call', 'status'], '{}', t.root).json as unknown as StatusResult;
    const flows = runHandler(['call', 'flows'], '{"limit":500}', t.root).json as unknown as FlowsResult;
    answers.set(name, { status, flows });
  }
}, 120_000);
afterAll(() => {
  for (const t of roots) t.cleanup();
});
afterEach(() => setTranslate(null));

/** Every Message in an answer. */
const messages = (v: unknown): Message[] =>
  v && typeof v === 'object'
    ? 'parts' in v && 'text' in v
      ? [v as Message]
      : Object.values(v).flatMap(messages)
    : [];

describe('handler sentences as catalogue messages', () => {
  it('every sentence the handler sent carries its msgids, and they render back to its English text', () => {
    let n = 0;
    for (const [name, a] of answers) {
      expect(a.status.effective.reason_msg, name).toBeDefined();
      for (const m of messages(a)) {
        n++;
        expect(say(m)).toBe(m.text);
      }
      for (const f of a.flows.flows) expect(f.why_not_msg?.text ?? null).toBe(f.why_not);
      expect(a.status.effective.reason_msg?.text).toBe(a.status.effective.reason);
    }
    expect(n).toBeGreaterThan(8);
  });

  it.each(Object.keys(CATALOGS))('the %s catalogue translates every msgid the handler sent', (lang) => {
    const po = CATALOGS[lang as keyof typeof CATALOGS];
    const missing = [...answers.values()].flatMap((a) => messages(a)).flatMap((m) => m.parts.map((p) => p.template)).filter((t) => !po.get(t));
    expect(missing).toEqual([]);
  });

  it.each(Object.keys(CATALOGS))('the page in %s holds no English sentence from the handler', async (lang) => {
    const po = CATALOGS[lang as keyof typeof CATALOGS];
    for (const name of ['mt7621-software', 'x86']) {
      const status = answers.get(name)!.status;
      setTranslate((s: string) => po.get(s) ?? s);
      const app = new AppModel(createMockClient({ status: () => status }), { standalone: false, readonly: false, pollMs: 60_000 });
      const el = document.createElement('div');
      render(<App app={app} />, el);
      app.start();
      await flush(10);
      app.stop();
      const text = el.textContent ?? '';
      expect(text, `${name}: the state sentence in English`).not.toContain(status.effective.reason);
      expect(text, `${name}: the state sentence translated`).toContain(say(status.effective.reason_msg));
      for (const c of [status.capabilities.software, status.capabilities.hardware]) if (c.reason) expect(text).not.toContain(c.reason);
      render(null, el);
    }
  });
});
