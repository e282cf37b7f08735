// @vitest-environment happy-dom
/**
 * A lost connection is said at the top of the page (issue 16 #8): "connection
 * lost since HH:MM:SS, retrying", Apply and Flush disabled until the router
 * answers again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import type { CallSpec } from '../../web/src/client';
import { HttpError, TimeoutError, UbusError } from '../../web/src/client';
import { App } from '../../web/src/components/App';
import { AppModel } from '../../web/src/models/AppModel';
import { createMockClient, fileData, flush } from './mock-client';
import { procStat, statusFixture } from './fixtures';

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

function files(): (specs: CallSpec[]) => PromiseSettledResult<Record<string, unknown> | null>[] {
  let t = 100;
  return (specs) => {
    t += 1;
    return specs.map((s) => {
      const p = String(s.args?.path);
      if (p === '/proc/uptime') return fileData(`${t}.00 1.00\n`);
      if (p === '/proc/stat') return fileData(procStat([[t * 40, t * 30, t * 60]]));
      return fileData(`${t * 1_000_000}\n`);
    });
  };
}

async function mount(fail: () => unknown) {
  const good = files();
  const client = createMockClient({
    status: () => statusFixture({}, 'software'),
    batch: (s) => {
      const e = fail();
      return e ? Promise.reject(e) : good(s);
    },
  });
  const app = new AppModel(client, { standalone: false, readonly: false, pollMs: 60_000, clipboard: () => null, doc: null });
  const el = document.createElement('div');
  document.body.appendChild(el);
  render(<App app={app} />, el);
  app.start();
  cleanup.push(() => {
    app.stop();
    render(null, el);
    el.remove();
  });
  await flush(10);
  return { el, app };
}

const text = (el: Element | null): string => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const button = (el: Element, label: RegExp): HTMLButtonElement => {
  const b = [...el.querySelectorAll('button')].find((x) => label.test(x.textContent ?? ''));
  if (!b) throw new Error(`no button ${label}`);
  return b as HTMLButtonElement;
};

describe('connection lost bar', () => {
  it('appears at the top when the router stops answering, disables Apply and Flush, and goes when it answers', async () => {
    let down: unknown = null;
    const { el, app } = await mount(() => down);
    await app.live.tick();
    await flush();
    const bar = el.querySelector('[data-lo=connection]');
    expect(bar).not.toBeNull();
    expect(text(bar)).toBe('');
    expect(button(el, /^Apply$/).disabled).toBe(false);
    expect(button(el, /Flush offloaded flows/).disabled).toBe(false);
    // The bar sits above the mode switch: seen first, not only after a click.
    expect(bar!.compareDocumentPosition(el.querySelector('.lo-mode')!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();

    down = new HttpError(0, 'file', 'read');
    await app.live.tick();
    await flush();
    expect(text(bar)).toMatch(/^Warning: Connection to the router lost since \d\d:\d\d:\d\d\. Retrying every second; Apply and Flush wait until it answers\.$/);
    expect(button(el, /^Apply$/).disabled).toBe(true);
    expect(button(el, /Flush offloaded flows/).disabled).toBe(true);

    down = new TimeoutError(5000, 'file', 'read'); // still no answer: the time it was lost stays
    const before = text(bar);
    await app.live.tick();
    await flush();
    expect(text(bar)).toBe(before);

    down = null;
    await app.live.tick();
    await flush();
    expect(text(bar)).toBe('');
    expect(button(el, /^Apply$/).disabled).toBe(false);
    expect(button(el, /Flush offloaded flows/).disabled).toBe(false);
  });

  it('is not shown when the router answers with an error (it is reachable)', async () => {
    const { el, app } = await mount(() => new UbusError(10, 'file', 'read'));
    await app.live.tick();
    await flush();
    expect(text(el.querySelector('[data-lo=connection]'))).toBe('');
    expect(text(el.querySelector('[data-lo=stale]'))).toMatch(/stale/);
  });
});
