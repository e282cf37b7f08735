/**
 * The panel's ubus client against the REAL simulator (uhttpd/rpcd semantics,
 * the built handler under QuickJS): typed errors, timeouts and batches.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  UbusClient, HandlerError, HttpError, JsonRpcError, TimeoutError, UbusError, RpcError,
  isAccessDenied, isHandlerError, isJsonRpcError, isTimeoutError, isUbusError, JSONRPC, DEFAULT_SID,
} from '../../web/src/client';
import { startSim, type RunningSim } from '../helpers/sim';

let sim: RunningSim;
let url: string;

beforeAll(async () => {
  // A 2 s rpcd exec timeout makes the hanging-fw4 case answer ubus 7 quickly.
  sim = await startSim(['--exec-timeout', '2']);
  url = `${sim.url}/ubus`;
}, 60_000);

afterAll(async () => {
  await sim?.hook('/__sim/fault', { fault: 'fw4-hang', on: false });
  await sim?.stop();
});

async function loggedIn(user = 'root', pass = 'offload-demo'): Promise<UbusClient> {
  const c = new UbusClient({ url });
  await c.login(user, pass);
  return c;
}

describe('login and typed results', () => {
  it('logs in, switches to the new session and calls luci.offload typed by the contract', async () => {
    const c = new UbusClient({ url });
    expect(c.sid).toBe(DEFAULT_SID);
    const r = await c.login('root', 'offload-demo');
    expect(r.ubus_rpc_session).toMatch(/^[0-9a-f]{32}$/);
    expect(c.sid).toBe(r.ubus_rpc_session);
    const st = await c.call('status', {});
    expect(['off', 'software', 'hardware']).toContain(st.configured.mode);
    expect(st.capabilities.hardware.available).toBe(true);
  });

  it('a wrong password is ubus 6 and keeps the old session', async () => {
    const c = new UbusClient({ url });
    const e = await c.login('root', 'wrong').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UbusError);
    expect((e as UbusError).status).toBe(6);
    expect(c.sid).toBe(DEFAULT_SID);
  });
});

describe('JSON-RPC errors', () => {
  it('-32002 for a forged session', async () => {
    const c = new UbusClient({ url, sid: 'f'.repeat(32) });
    const e = await c.call('status', {}).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(JsonRpcError);
    expect((e as JsonRpcError).code).toBe(JSONRPC.ACCESS_DENIED);
    expect(isAccessDenied(e)).toBe(true);
    expect((e as Error).message).toBe('luci.offload.status failed: Access denied (JSON-RPC -32002)');
  });

  it('-32002 once the session expired (a call that worked before)', async () => {
    const c = await loggedIn();
    await c.call('stats', { flows: false });
    await sim.hook('/__sim/expire', { sid: c.sid });
    const e = await c.call('stats', { flows: false }).catch((x: unknown) => x);
    expect(isAccessDenied(e)).toBe(true);
  });

  it('-32002 for a read-only user calling set', async () => {
    const c = await loggedIn('viewer', 'viewer-demo');
    await expect(c.call('status', {})).resolves.toBeTruthy();
    const e = await c.call('set', { mode: 'software' }).catch((x: unknown) => x);
    expect(isAccessDenied(e)).toBe(true);
  });

  it('-32000 for an object that does not exist', async () => {
    const c = await loggedIn();
    const e = await c.callRaw({ object: 'luci.nothere', method: 'status' }).catch((x: unknown) => x);
    expect(isJsonRpcError(e) && e.code).toBe(JSONRPC.OBJECT_NOT_FOUND);
  });

  it('-32700 for a malformed body, sent raw', async () => {
    const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"call","params":[' });
    expect(r.status).toBe(200);
    const env = (await r.json()) as { error?: { code: number } };
    expect(env.error?.code).toBe(JSONRPC.PARSE);
    // The client turns the same envelope into a typed error.
    const { unwrap } = await import('../../web/src/client');
    expect(() => unwrap(env as never, { object: 'x', method: 'y' })).toThrow(JsonRpcError);
  });

  it('-32700 when the args are not an object', async () => {
    const c = await loggedIn();
    const e = await c.callRaw({ object: 'luci.offload', method: 'status', args: [] as unknown as Record<string, unknown> }).catch((x: unknown) => x);
    expect(isJsonRpcError(e) && e.code).toBe(JSONRPC.PARSE);
  });
});

describe('ubus status codes and handler errors', () => {
  it('ubus 6 for a file outside the ACL, 4 for a missing one', async () => {
    const c = await loggedIn('viewer', 'viewer-demo');
    const denied = await c.callRaw({ object: 'file', method: 'read', args: { path: '/etc/shadow' } }).catch((x: unknown) => x);
    expect(isUbusError(denied) && denied.status).toBe(6);
    expect((denied as Error).message).toBe('RPC call to file/read failed with ubus code 6: Permission denied');
    const missing = await c.callRaw({ object: 'file', method: 'read', args: { path: '/sys/class/net/nope/statistics/rx_bytes' } }).catch((x: unknown) => x);
    expect(isUbusError(missing) && missing.status).toBe(4);
  });

  it('the handler\'s own {error, code} becomes a HandlerError', async () => {
    const c = await loggedIn();
    const e = await c.call('set', { mode: 'turbo' as never }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HandlerError);
    expect(isHandlerError(e) && e.code).toBe('invalid_argument');
    expect((e as Error).message).toMatch(/mode/);
  });
});

describe('timeouts', () => {
  it('a hanging fw4: the client gives up after its own 1 s deadline (AbortController)', async () => {
    const c = await loggedIn();
    await sim.hook('/__sim/fault', { fault: 'fw4-hang', on: true });
    const t0 = Date.now();
    const e = await c.call('set', { mode: 'software' }, { timeoutMs: 1000 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TimeoutError);
    expect(isTimeoutError(e) && e.timeoutMs).toBe(1000);
    expect(Date.now() - t0).toBeLessThan(4000);
    // … while with a longer deadline rpcd's own exec timeout answers ubus 5: rpcd kills the plugin,
    // and with no object parsed its finish handler turns the scheduled 7 into NO_DATA (real-programs.md §2).
    await new Promise((r) => setTimeout(r, 2500));
    const e5 = await c.call('set', { mode: 'software' }, { timeoutMs: 15000 }).catch((x: unknown) => x);
    expect(isUbusError(e5) && e5.status).toBe(5);
    await sim.hook('/__sim/fault', { fault: 'fw4-hang', on: false });
    // The router recovers: the next apply works and reports the interrupted one it repaired, if any.
    const ok = await c.call('set', { mode: 'software' }, { timeoutMs: 15000 });
    expect(ok.status.effective.mode).toBe('software');
  }, 40_000);

  it('a server that is gone is an HttpError with status 0', async () => {
    const c = new UbusClient({ url: 'http://127.0.0.1:9/ubus', timeoutMs: 3000 });
    const e = await c.call('status', {}).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HttpError);
    expect((e as HttpError).status).toBe(0);
    expect(e).toBeInstanceOf(RpcError);
  });
});

describe('batches', () => {
  it('one HTTP request, answers in order, each settling on its own', async () => {
    const c = await loggedIn('viewer', 'viewer-demo');
    const res = await c.batch([
      { object: 'file', method: 'read', args: { path: '/proc/uptime' } },
      { object: 'file', method: 'read', args: { path: '/proc/stat' } },
      { object: 'file', method: 'read', args: { path: '/etc/shadow' } },
      { object: 'luci.offload', method: 'set', args: { mode: 'off' } },
      { object: 'luci.offload', method: 'stats', args: { flows: false } },
    ]);
    expect(res.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected', 'fulfilled']);
    const v = (i: number) => (res[i] as PromiseFulfilledResult<Record<string, unknown>>).value;
    expect(String(v(0).data)).toMatch(/^\d+\.\d\d \d+/);
    expect(String(v(1).data)).toMatch(/^cpu /);
    expect(isUbusError((res[2] as PromiseRejectedResult).reason)).toBe(true);
    expect(isAccessDenied((res[3] as PromiseRejectedResult).reason)).toBe(true);
    expect(typeof v(4).uptime_ms).toBe('number');
  });

  it('a batch with an expired session rejects every entry with -32002', async () => {
    const c = await loggedIn();
    await sim.hook('/__sim/expire', { sid: c.sid });
    const res = await c.batch([
      { object: 'file', method: 'read', args: { path: '/proc/uptime' } },
      { object: 'file', method: 'read', args: { path: '/proc/stat' } },
    ]);
    expect(res.every((r) => r.status === 'rejected' && isAccessDenied(r.reason))).toBe(true);
  });

  it('a batch times out as a whole', async () => {
    const c = await loggedIn();
    await sim.hook('/__sim/fault', { fault: 'fw4-hang', on: true });
    const e = await c.batch([{ object: 'luci.offload', method: 'set', args: { mode: 'off' } }], { timeoutMs: 500 }).catch((x: unknown) => x);
    await sim.hook('/__sim/fault', { fault: 'fw4-hang', on: false });
    expect(isTimeoutError(e)).toBe(true);
    await new Promise((r) => setTimeout(r, 2500)); // let rpcd's 2 s exec timeout reap the hung handler
  }, 15_000);
});
