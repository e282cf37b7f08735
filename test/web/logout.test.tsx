// @vitest-environment happy-dom
/**
 * Log-out in the standalone page: the router's session is destroyed where
 * rpcd allows it, otherwise the page drops it and says so; then the login
 * form comes back with focus on its first field (issue 16). Inside LuCI the
 * panel has no log-out of its own.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { JsonRpcError, type CallSpec } from '../../web/src/client';
import { App } from '../../web/src/components/App';
import { AppModel, type AppModelOptions } from '../../web/src/models/AppModel';
import { createMockClient, flush, SID, type MockClient, type MockOverrides } from './mock-client';
import { statusFixture } from './fixtures';

let mounted: { app: AppModel; el: HTMLElement }[] = [];

afterEach(() => {
  for (const m of mounted) {
    m.app.stop();
    render(null, m.el);
    m.el.remove();
  }
  mounted = [];
});

function memStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> & { m: Map<string, string> } {
  const m = new Map<string, string>();
  return { m, getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k) };
}

const denied = (): JsonRpcError => new JsonRpcError(-32002, 'Access denied', 'session', 'destroy');

async function loggedIn(over: MockOverrides = {}, opts: Partial<AppModelOptions> = {}): Promise<{ el: HTMLElement; app: AppModel; client: MockClient; storage: ReturnType<typeof memStorage> }> {
  const storage = memStorage();
  const client = createMockClient(over);
  const app = new AppModel(client, { standalone: true, readonly: false, pollMs: 60_000, clipboard: () => null, storage, ...opts });
  const el = document.createElement('div');
  document.body.appendChild(el);
  render(<App app={app} />, el);
  app.start();
  mounted.push({ app, el });
  await flush();
  const form = el.querySelector('.lo-login form') as HTMLFormElement;
  form.dispatchEvent(new Event('submit', { cancelable: true }));
  await flush(10);
  return { el, app, client, storage };
}

const logoutButton = (el: Element): HTMLButtonElement | undefined => [...el.querySelectorAll('button')].find((b) => b.textContent === 'Log out');
const destroyCalls = (client: MockClient): unknown[] => client.callRaw.mock.calls.filter((c) => (c[0] as CallSpec).method === 'destroy');

describe('standalone log-out', () => {
  it('where rpcd refuses session.destroy: drops the kept session, says when the router ends it, login form focused on the username', async () => {
    const { el, app, client, storage } = await loggedIn({ callRaw: (spec) => (spec.method === 'destroy' ? Promise.reject(denied()) : { access: true }) });
    expect(el.querySelector('[data-lo=effective]')).not.toBeNull();
    expect(storage.m.has('luci-offload-session')).toBe(true);
    logoutButton(el)!.click();
    await flush(10);
    expect(destroyCalls(client)).toEqual([[{ object: 'session', method: 'destroy', args: {} }, { timeoutMs: 5000 }]]);
    expect(storage.m.has('luci-offload-session')).toBe(false);
    expect(client.sid).toBe('00000000000000000000000000000000');
    expect(el.querySelector('[data-lo=effective]')).toBeNull();
    expect(el.querySelector('fieldset.lo-modes')).toBeNull();
    expect(el.querySelector('[data-lo=logged-out]')?.textContent).toBe(
      'Logged out. The router does not let this page end the session, so it ends by itself after 5 minutes without use.',
    );
    const user = el.querySelector('.lo-login input[name=username]') as HTMLInputElement;
    expect(document.activeElement).toBe(user);
    expect(app.session.store.get().phase).toBe('login');
    // Nothing polls with the old session.
    const calls = client.call.mock.calls.length + client.batch.mock.calls.length;
    await app.live.tick();
    await flush();
    expect(client.call.mock.calls.length + client.batch.mock.calls.length).toBe(calls);
  });

  it('where rpcd allows it: the session is destroyed and the page says so; logging in again shows the panel', async () => {
    const { el, client } = await loggedIn({ callRaw: (spec) => (spec.method === 'destroy' ? {} : { access: true }) });
    logoutButton(el)!.click();
    await flush(10);
    expect(destroyCalls(client)).toHaveLength(1);
    expect(el.querySelector('[data-lo=logged-out]')?.textContent).toBe('Logged out. The router ended the session.');
    const form = el.querySelector('.lo-login form') as HTMLFormElement;
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await flush(10);
    expect(client.sid).toBe(SID);
    expect(el.querySelector('[data-lo=effective]')).not.toBeNull();
    expect(el.querySelector('[data-lo=logged-out]')).toBeNull();
  });

  it('a state answer that arrives after the log-out does not bring the panel back', async () => {
    let release = (): void => {};
    const { el, app } = await loggedIn({ callRaw: () => Promise.reject(denied()) });
    // From now on the state answer takes until release().
    const slow = createMockClient({ status: () => new Promise((r) => (release = () => r(statusFixture()))) });
    (app.status as unknown as { client: MockClient }).client = slow;
    const pending = app.status.load();
    await flush();
    logoutButton(el)!.click();
    await flush(10);
    release();
    expect(await pending).toBe(false);
    await flush();
    expect(el.querySelector('[data-lo=effective]')).toBeNull();
    expect(el.querySelector('.lo-login')).not.toBeNull();
  });

  it('inside LuCI there is no log-out button (LuCI has its own)', async () => {
    const client = createMockClient();
    const app = new AppModel(client, { standalone: false, readonly: false, pollMs: 60_000, clipboard: () => null });
    const el = document.createElement('div');
    render(<App app={app} />, el);
    app.start();
    mounted.push({ app, el });
    await flush(10);
    expect(el.querySelector('[data-lo=effective]')).not.toBeNull();
    expect(logoutButton(el)).toBeUndefined();
    await app.logout();
    expect(app.session.store.get().phase).toBe('ready');
    expect(destroyCalls(client)).toEqual([]);
  });
});
