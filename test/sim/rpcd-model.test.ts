/**
 * The rpcd/uhttpd model against the real daemons' sources and measurements:
 * exec-plugin answers at the timeout (rpcd exec.c + plugin.c), json-c number
 * types through blobmsg (libubox blobmsg_json.c), batch members on uhttpd's
 * 1 ms uloop timer (uhttpd ubus.c).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadExecPlugin, type PluginHost } from './rpcd/exec-plugin';
import { blobJson, tokenizeFirst } from './rpcd/blob-json';
import { UbusEndpoint } from './rpcd/uhttpd';
import { Bus, reply, UBUS } from './rpcd/bus';
import type { Sessions } from './rpcd/session';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'offload-rpcd-model-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A shell exec plugin with one method whose body is `body`. */
function plugin(name: string, body: string, timeoutMs = 30000) {
  const p = join(dir, name);
  writeFileSync(p, `#!/bin/sh\ncase "$1" in\nlist) echo '{"m":{}}' ;;\ncall) ${body} ;;\nesac\n`);
  chmodSync(p, 0o755);
  const host: PluginHost = { qjs: 'qjs', env: { PATH: process.env.PATH }, timeoutMs };
  const obj = loadExecPlugin(p, name, host);
  if (!obj) throw new Error('plugin did not list');
  return async () => obj.call('m', {}, { sid: 'x'.repeat(32) });
}

describe('exec plugin at rpcd\'s timeout (SIGKILL)', () => {
  it('killed before printing anything: status 5 (NO_DATA), not 7', async () => {
    expect(await (await plugin('hang', 'sleep 5', 300))()).toEqual({ status: UBUS.NO_DATA });
  });
  it('killed after printing a complete object: that object, status 0', async () => {
    expect(await (await plugin('late', `echo '{"a":1}'; sleep 5`, 300))()).toEqual({ status: 0, data: { a: 1 } });
  });
  it('killed inside an unfinished object: status 2', async () => {
    expect(await (await plugin('half', `printf '{"a":'; sleep 5`, 300))()).toEqual({ status: UBUS.INVALID_ARGUMENT });
  });
  it('whitespace only is json-c\'s "continue": status 2; nothing at all: 5', async () => {
    expect((await (await plugin('ws', 'echo'))()).status).toBe(UBUS.INVALID_ARGUMENT);
    expect((await (await plugin('none', 'true'))()).status).toBe(UBUS.NO_DATA);
  });
});

describe('json-c number types through blobmsg', () => {
  it('a whole-number double stays a double ("%lf"), an integer an integer', () => {
    const t = tokenizeFirst('{"uptime":1234.00,"idle":5.5,"n":7,"e":1e2,"neg":-0.0} trailing');
    expect(t.state).toBe('success');
    expect(blobJson((t as { value: unknown }).value)).toBe('{"uptime":1234.000000,"idle":5.500000,"n":7,"e":100.000000,"neg":-0.000000}');
  });
  it('a plugin printing /proc/uptime "1234.00 56.00" answers 1234.000000 (the conformance flake)', async () => {
    const r = await (await plugin('up', `printf '{"uptime":%s,"idle":%s}' 1234.00 56.00`))();
    expect(blobJson(r.data)).toBe('{"uptime":1234.000000,"idle":56.000000}');
  });
});

describe('uhttpd batches', () => {
  const endpoint = (): UbusEndpoint => {
    const bus = new Bus();
    bus.add({ name: 'echo', signature: { m: {} }, call: async (_m, args) => reply(0, { n: args.n as number }) });
    return new UbusEndpoint(bus, { allowed: () => true } as unknown as Sessions, { scriptTimeoutMs: 1000 });
  };
  const batch = (n: number): Buffer =>
    Buffer.from(JSON.stringify(Array.from({ length: n }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'call', params: ['0'.repeat(32), 'echo', 'm', { n: i }] }))));

  it('each member starts on a 1 ms timer after the previous one answered; answers in request order', async () => {
    const e = endpoint();
    const t = performance.now();
    const out = JSON.parse(await e.handle(batch(15))) as { id: number }[];
    const ms = performance.now() - t;
    expect(out.map((x) => x.id)).toEqual([...Array(15).keys()]);
    // 15 members + the completing timer: at least 16 ms (real uhttpd: 18.4 ms on x86).
    expect(ms).toBeGreaterThanOrEqual(15.5);
    const t1 = performance.now();
    await e.handle(batch(1));
    expect(performance.now() - t1).toBeGreaterThanOrEqual(1.5);
  });
});
