import { describe, expect, it, vi } from 'vitest';
import { HandlerError, JsonRpcError, UbusError } from '../../web/src/client';
import { SessionModel, aclAllowsSet } from '../../web/src/models/SessionModel';
import { StatusModel } from '../../web/src/models/StatusModel';
import { createMockClient, SID } from './mock-client';
import { setFixture, statusFixture } from './fixtures';

const denied = (): JsonRpcError => new JsonRpcError(-32002, 'Access denied', 'luci.offload', 'status');

function memStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), m };
}

describe('SessionModel', () => {
  it('LuCI: -32002 on a call that worked before expires the session and calls LuCI once', async () => {
    const onSessionExpired = vi.fn();
    const s = new SessionModel(createMockClient(), { standalone: false, readonly: false, onSessionExpired });
    s.succeeded('luci.offload.status');
    expect(await s.check('luci.offload.status', denied())).toBe('expired');
    expect(await s.check('file.read', denied())).toBe('expired');
    expect(s.store.get().phase).toBe('expired');
    expect(onSessionExpired).toHaveBeenCalledTimes(1);
  });

  it('-32002 on a never-worked call is a missing permission when a working call still works', async () => {
    const client = createMockClient({ callRaw: () => ({ data: '1.0 1.0\n' }) });
    const s = new SessionModel(client, { standalone: false, readonly: false });
    s.succeeded('file.read');
    expect(await s.check('luci.offload.flows', denied())).toBe('denied');
    expect(s.store.get().phase).toBe('ready');
    expect(client.callRaw).toHaveBeenCalledWith({ object: 'file', method: 'read', args: { path: '/proc/uptime' } }, { timeoutMs: 5000 });
  });

  it('… and an expiry when that probe is refused too', async () => {
    const client = createMockClient({ callRaw: () => Promise.reject(denied()) });
    const s = new SessionModel(client, { standalone: false, readonly: false });
    s.succeeded('file.read');
    expect(await s.check('luci.offload.flows', denied())).toBe('expired');
  });

  it('ignores errors that are not -32002', async () => {
    const s = new SessionModel(createMockClient(), { standalone: false, readonly: false });
    s.succeeded('luci.offload.set');
    expect(await s.check('luci.offload.set', new UbusError(7, 'luci.offload', 'set'))).toBe('other');
    expect(s.store.get().phase).toBe('ready');
  });

  it('LuCI readonly: the switch is disabled with a reason', () => {
    const s = new SessionModel(createMockClient(), { standalone: false, readonly: true });
    expect(s.store.get().canWrite).toBe(false);
    expect(s.store.get().readonlyReason).toMatch(/read-only access/);
  });

  it('standalone: logs in, asks session.access for set, keeps the session', async () => {
    const storage = memStorage();
    const client = createMockClient({ callRaw: (spec) => (spec.object === 'session' ? { access: false } : null) });
    const s = new SessionModel(client, { standalone: true, readonly: false, storage });
    const ready = vi.fn();
    s.onReady(ready);
    expect(s.store.get().phase).toBe('login');
    expect(await s.login('viewer', 'viewer-demo')).toBe(true);
    expect(client.callRaw).toHaveBeenCalledWith({ object: 'session', method: 'access', args: { scope: 'ubus', object: 'luci.offload', function: 'set' } }, { timeoutMs: 5000 });
    expect(s.store.get()).toMatchObject({ phase: 'ready', user: 'viewer', canWrite: false });
    expect(s.store.get().readonlyReason).toBe('The user viewer may view this page but not change the mode.');
    expect(ready).toHaveBeenCalledWith(false);
    expect(JSON.parse(storage.m.get('luci-offload-session')!)).toEqual({ sid: SID, user: 'viewer', canWrite: false });
  });

  it('standalone: uses the login reply ACL when session.access is refused', async () => {
    const client = createMockClient({ callRaw: () => Promise.reject(denied()), login: (u) => ({ ubus_rpc_session: SID, timeout: 300, expires: 300, acls: { ubus: { 'luci.offload': ['status', 'stats'] } }, data: { username: u } }) });
    const s = new SessionModel(client, { standalone: true, readonly: false });
    await s.login('viewer', 'x');
    expect(s.store.get().canWrite).toBe(false);
    expect(aclAllowsSet({ ubus: { '*': ['*'] } })).toBe(true);
    expect(aclAllowsSet({ ubus: { 'luci.*': ['s?t'] } })).toBe(true);
    expect(aclAllowsSet(undefined)).toBe(false);
  });

  it('standalone: a wrong password is said in place; re-login after expiry resumes', async () => {
    const client = createMockClient({ login: (u, p) => (p === 'good' ? { ubus_rpc_session: SID, timeout: 1, expires: 1, acls: {}, data: { username: u } } : Promise.reject(new UbusError(6, 'session', 'login'))) });
    const s = new SessionModel(client, { standalone: true, readonly: false });
    const ready = vi.fn();
    s.onReady(ready);
    expect(await s.login('root', 'bad')).toBe(false);
    expect(s.store.get().loginError).toBe('Wrong username or password.');
    await s.login('root', 'good');
    s.succeeded('luci.offload.stats');
    await s.check('luci.offload.stats', denied());
    expect(s.store.get().phase).toBe('expired');
    await s.login('root', 'good');
    expect(ready.mock.calls).toEqual([[false], [true]]);
  });

  it('standalone: a kept session that no longer exists leads to the login form', async () => {
    const storage = memStorage();
    storage.setItem('luci-offload-session', JSON.stringify({ sid: 'ab'.repeat(16), user: 'root', canWrite: true }));
    const client = createMockClient();
    const s = new SessionModel(client, { standalone: true, readonly: false, storage });
    expect(s.restore()).toBe(true);
    expect(client.sid).toBe('ab'.repeat(16));
    expect(s.store.get().phase).toBe('checking');
    expect(await s.check('luci.offload.status', denied())).toBe('expired');
    expect(s.store.get().phase).toBe('login');
    expect(storage.m.size).toBe(0);
  });
});

describe('StatusModel', () => {
  function setup(over: Parameters<typeof createMockClient>[0] = {}) {
    const client = createMockClient(over);
    const session = new SessionModel(client, { standalone: false, readonly: false });
    const marks: string[] = [];
    const model = new StatusModel(client, session, (l) => marks.push(l));
    return { client, session, model, marks };
  }

  it('loads status and preselects the configured mode', async () => {
    const { model } = setup({ status: () => statusFixture({}, 'software') });
    expect(await model.load()).toBe(true);
    expect(model.store.get().selected).toBe('software');
  });

  it('applies with a long timeout, shows the outcome and marks the chart', async () => {
    const { client, model, marks } = setup();
    await model.load();
    model.select('hardware');
    let resolve!: (v: unknown) => void;
    client.call.mockImplementationOnce(() => new Promise((r) => (resolve = r)));
    const p = model.apply();
    expect(model.store.get().applying).toBe('hardware');
    resolve(setFixture('hardware'));
    await p;
    expect(client.call).toHaveBeenCalledWith('set', { mode: 'hardware' }, { timeoutMs: 65000 });
    expect(model.store.get()).toMatchObject({ applying: null, selected: 'hardware', outcome: { tone: 'success' } });
    expect(model.store.get().status?.effective.state).toBe('hardware');
    expect(marks).toEqual(['Hardware']);
  });

  it.each([7, 5])('shows a handler timeout (ubus %i: 7 from ubus, 5 from rpcd\'s exec timeout) in place and re-reads the state', async (code) => {
    let statusCalls = 0;
    const { model } = setup({
      status: () => (statusCalls++ ? statusFixture({ interrupted: { requested: 'software', previous: 'off', at: 1, config_restorable: true, detail: 'The next set restores the saved config.' } }) : statusFixture()),
      set: () => Promise.reject(new UbusError(code, 'luci.offload', 'set')),
    });
    await model.load();
    model.select('software');
    await model.apply();
    const s = model.store.get();
    expect(s.outcome?.tone).toBe('error');
    expect(s.outcome?.message).toMatch(new RegExp(`^Could not apply Software: The router stopped the request after its time limit \\(ubus code ${code}\\)`));
    expect(statusCalls).toBe(2);
    expect(s.status?.interrupted?.detail).toMatch(/restores/);
  });

  it('shows the handler\'s own error sentence', async () => {
    const { model } = setup({ set: () => Promise.reject(new HandlerError('apply_failed', 'fw4 reload failed; the previous config was restored.', 'luci.offload', 'set')) });
    await model.load();
    model.select('software');
    await model.apply();
    expect(model.store.get().outcome?.message).toBe('Could not apply Software: fw4 reload failed; the previous config was restored.');
  });

  it('does nothing for a read-only user', async () => {
    const client = createMockClient();
    const session = new SessionModel(client, { standalone: false, readonly: true });
    const model = new StatusModel(client, session);
    await model.load();
    model.select('software');
    await model.apply();
    expect(client.call).not.toHaveBeenCalledWith('set', expect.anything(), expect.anything());
  });

  it('keeps the last status and says why a refresh failed', async () => {
    let n = 0;
    const { model } = setup({ status: () => (n++ ? Promise.reject(new UbusError(9, 'luci.offload', 'status')) : statusFixture()) });
    await model.load();
    await model.load();
    expect(model.store.get().status).not.toBeNull();
    expect(model.store.get().error).toBe('The router answered with ubus code 9: Unspecified error.');
  });
});
