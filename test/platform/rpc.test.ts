/**
 * Platform tier: the luci.offload API through the REAL uhttpd `/ubus` (JSON-RPC over HTTP),
 * real rpcd (sessions, ACLs, exec plugin timeout, rpcd-mod-file) and ubusd, with the unchanged
 * package installed (test/platform/router.ts). What is asserted is what these programs answer.
 *
 * `set` and `flush` beyond their ACL are covered by test/platform/apply.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { performance } from 'node:perf_hooks';
import { NULL_SID, platformReady, startRouter, type Router } from './router';
import { listSignature, METHOD_NAMES, METHODS } from '../../rpcd/src/api/contract';
import { UbusClient, type LoginResult } from '../../web/src/client';
import { aclAllowsSet, SessionModel } from '../../web/src/models/SessionModel';
import { netDevCounters } from '../../web/src/lib/sample';
import { LiveModel } from '../../web/src/models/LiveModel';

const notReady = platformReady();
const d = notReady ? describe.skip : describe;
if (notReady) console.warn(`test/platform/rpc.test.ts skipped: ${notReady}`);

type Reply = { jsonrpc?: string; id?: unknown; result?: unknown; error?: { code: number; message: string } };

const TOP_KEYS = {
  status: ['capabilities', 'configured', 'conflicts', 'devices', 'effective', 'interrupted', 'last_warning', 'module', 'system', 'topology', 'warnings'],
  stats: ['conntrack', 'counters', 'cpu', 'devices', 'hz', 'uptime_ms'],
  flows: ['error', 'flows', 'hw_offloaded', 'masked', 'offloaded', 'source', 'total'],
  diagnostics: ['generated_at', 'markdown'],
} as const;

async function loginReply(r: Router, username: string, password: string, timeout?: number): Promise<LoginResult> {
  const res = await r.call(NULL_SID, 'session', 'login', timeout === undefined ? { username, password } : { username, password, timeout });
  expect(res.error).toBeUndefined();
  expect(res.result?.[0]).toBe(0);
  return res.result?.[1] as LoginResult;
}

/** result [0, data] of a luci.offload call as root; data returned. */
async function ok(r: Router, sid: string, method: string, args: object = {}): Promise<Record<string, unknown>> {
  const res = await r.call(sid, 'luci.offload', method, args);
  expect(res.error, `${method} ${JSON.stringify(args)}`).toBeUndefined();
  expect(res.result?.[0], `${method} ${JSON.stringify(res)}`).toBe(0);
  const data = res.result?.[1] as Record<string, unknown>;
  expect(data && typeof data).toBe('object');
  // not the handler's error object ({error: sentence, code}); FlowsResult has error: null
  expect(typeof data.code === 'string' && typeof data.error === 'string', JSON.stringify(data)).toBe(false);
  return data;
}

d('sessions, list and every read method through real uhttpd /ubus', () => {
  let r: Router;
  let root: LoginResult;
  let reader: LoginResult;
  beforeAll(async () => {
    r = startRouter();
    root = await loginReply(r, 'root', 'root');
    reader = await loginReply(r, 'reader', 'reader');
  });
  afterAll(() => r?.stop());

  test('login replies: the acls table tells the panel what each user may do', () => {
    expect(root.ubus_rpc_session).toMatch(/^[0-9a-f]{32}$/);
    expect(reader.ubus_rpc_session).toMatch(/^[0-9a-f]{32}$/);
    expect(reader.ubus_rpc_session).not.toBe(root.ubus_rpc_session);
    expect(root.data.username).toBe('root');
    expect(reader.data.username).toBe('reader');
    expect(root.timeout).toBe(300); // rpcd's RPC_DEFAULT_SESSION_TIMEOUT

    const readMethods = METHOD_NAMES.filter((m) => METHODS[m].access === 'read');
    const allMethods = [...METHOD_NAMES];
    // reader: exactly the package's read group
    expect(reader.acls['access-group']).toEqual({ 'luci-app-offload': ['read'] });
    expect(reader.acls.ubus).toEqual({ file: ['read'], 'luci.offload': readMethods });
    expect(reader.acls.uci).toBeUndefined(); // the package grants no uci access (issue 14)
    expect(Object.keys(reader.acls.file ?? {}).sort()).toEqual([
      '/proc/net/dev',
      '/proc/stat',
      '/proc/sys/net/netfilter/nf_conntrack_count',
      '/proc/uptime',
      '/sys/class/net/*/statistics/rx_bytes',
      '/sys/class/net/*/statistics/tx_bytes',
    ]);
    // root ('*'): read+write of the package and rpcd's unauthenticated group; no luci-base here
    expect(root.acls['access-group']?.['luci-app-offload']).toEqual(['read', 'write']);
    expect(root.acls.ubus?.['luci.offload']?.slice().sort()).toEqual(allMethods.sort());
    expect(root.acls.uci).toBeUndefined();
    // the panel's own reading of the table
    expect(aclAllowsSet(root.acls)).toBe(true);
    expect(aclAllowsSet(reader.acls)).toBe(false);
  });

  test('session.access: root may ask, the read-only reader gets -32002 from uhttpd', async () => {
    const asRoot = await r.call(root.ubus_rpc_session, 'session', 'access', { scope: 'ubus', object: 'luci.offload', function: 'set' });
    expect(asRoot).toMatchObject({ result: [0, { access: true }] });
    const rootRead = await r.call(root.ubus_rpc_session, 'session', 'access', { scope: 'file', object: '/etc/shadow', function: 'read' });
    expect(rootRead).toMatchObject({ result: [0, { access: false }] });
    const asReader = await r.call(reader.ubus_rpc_session, 'session', 'access', { scope: 'ubus', object: 'luci.offload', function: 'status' });
    expect(asReader.result).toBeUndefined();
    expect(asReader.error).toEqual({ code: -32002, message: 'Access denied' });
  });

  test('a wrong password is refused (status 6, no session)', async () => {
    const res = await r.call(NULL_SID, 'session', 'login', { username: 'reader', password: 'root' });
    expect(res.result).toEqual([6]);
  });

  test('JSON-RPC list: uhttpd renders the handler\'s list signature', async () => {
    const res = (await r.post({ jsonrpc: '2.0', id: 1, method: 'list', params: ['luci.offload'] })) as Reply;
    const hint = (v: unknown): string => (typeof v === 'boolean' ? 'boolean' : typeof v === 'number' ? 'number' : 'string');
    const want = Object.fromEntries(
      Object.entries(listSignature()).map(([m, sig]) => [m, Object.fromEntries(Object.entries(sig).map(([k, v]) => [k, hint(v)]))]),
    );
    expect(res.error).toBeUndefined();
    expect(res.result).toEqual({ 'luci.offload': want });
    // what the installed handler itself prints for rpcd, run inside the router
    const own = r.exec(['/usr/libexec/rpcd/luci.offload', 'list']);
    expect(own.status).toBe(0);
    expect(JSON.parse(own.stdout)).toEqual(listSignature());
    // without params: the plain object list, luci.offload among rpcd's own objects
    const all = (await r.post({ jsonrpc: '2.0', id: 2, method: 'list' })) as Reply;
    expect(all.result).toEqual(expect.arrayContaining(['luci.offload', 'session', 'file', 'uci', 'network.interface']));
  });

  test('status: fw4, offload off, lan1/wan from the real netifd with roles and zones', async () => {
    const s = (await ok(r, root.ubus_rpc_session, 'status')) as Record<string, any>;
    expect(Object.keys(s).sort()).toEqual([...TOP_KEYS.status]);
    expect(s.system.firewall).toBe('fw4');
    expect(s.configured).toEqual({ mode: 'off', flow_offloading: false, flow_offloading_hw: false, error: null });
    expect(s.effective).toMatchObject({ state: 'off', mode: 'off', flowtable: null, rule: false });
    expect(typeof s.effective.reason).toBe('string');
    const devs = Object.fromEntries((s.devices as any[]).map((x) => [x.device, x]));
    expect(Object.keys(devs).sort()).toEqual(['lan1', 'wan']);
    expect(devs.lan1).toMatchObject({ role: 'lan', zones: ['lan'], exists: true, in_flowtable: false });
    expect(devs.wan).toMatchObject({ role: 'wan', zones: ['wan'], exists: true, in_flowtable: false });
    expect(s.interrupted).toBeNull();
    expect(s.conflicts).toEqual([]);
    // The zone devices come from the real netifd's interface dump (through the ubus CLI), not the uci fallback.
    expect(s.topology).toEqual({ source: 'netifd', error: null });
    // reader sees the same status
    const asReader = (await ok(r, reader.ubus_rpc_session, 'status')) as Record<string, any>;
    expect(asReader.effective.state).toBe('off');
    expect(asReader.devices.map((x: any) => x.device).sort()).toEqual(['lan1', 'wan']);
  });

  test('stats, stats {flows:true}, stats {flows:false}', async () => {
    for (const args of [{}, { flows: true }]) {
      const s = (await ok(r, root.ubus_rpc_session, 'stats', args)) as Record<string, any>;
      expect(Object.keys(s).sort()).toEqual([...TOP_KEYS.stats]);
      expect(s.hz).toBe(100);
      expect(s.uptime_ms).toBeGreaterThan(0);
      expect(s.cpu.total.idle).toBeGreaterThan(0);
      expect(s.cpu.cores.length).toBeGreaterThanOrEqual(1);
      expect((s.devices as any[]).map((x) => `${x.device}:${x.role}`).sort()).toEqual(['lan1:lan', 'wan:wan']);
      for (const x of s.devices) expect(Number.isInteger(x.rx_bytes) && Number.isInteger(x.tx_bytes)).toBe(true);
      expect(s.conntrack).toMatchObject({ source: 'proc', error: null, offloaded: 0, hw_offloaded: 0 });
      expect(Number.isInteger(s.conntrack.count)).toBe(true);
      expect(s.conntrack.max).toBeGreaterThan(0);
      expect(s.counters).toEqual({ source: 'netdev', misses_hw: false, roles: 'netifd', hw: null });
    }
    const noScan = (await ok(r, root.ubus_rpc_session, 'stats', { flows: false })) as Record<string, any>;
    expect(noScan.conntrack.offloaded).toBeNull();
    expect(noScan.conntrack.hw_offloaded).toBeNull();
    expect(Number.isInteger(noScan.conntrack.count)).toBe(true);
  });

  test('flows, flows {limit:5}, flows {mask:false}', async () => {
    const all = (await ok(r, root.ubus_rpc_session, 'flows')) as Record<string, any>;
    expect(Object.keys(all).sort()).toEqual([...TOP_KEYS.flows]);
    expect(all).toMatchObject({ source: 'proc', error: null, masked: true, offloaded: 0, hw_offloaded: 0 });
    expect(Array.isArray(all.flows)).toBe(true);
    const five = (await ok(r, root.ubus_rpc_session, 'flows', { limit: 5 })) as Record<string, any>;
    expect(Object.keys(five).sort()).toEqual([...TOP_KEYS.flows]);
    expect(five.flows.length).toBeLessThanOrEqual(5);
    const clear = (await ok(r, root.ubus_rpc_session, 'flows', { mask: false })) as Record<string, any>;
    expect(clear.masked).toBe(false);
  });

  test('diagnostics and diagnostics {mask:false}', async () => {
    for (const args of [{}, { mask: false }]) {
      const g = (await ok(r, root.ubus_rpc_session, 'diagnostics', args)) as Record<string, any>;
      expect(Object.keys(g).sort()).toEqual([...TOP_KEYS.diagnostics]);
      expect(g.markdown).toContain('Firewall: fw4');
      expect(g.markdown).toMatch(/Effective: \*\*off\*\*/);
      expect(g.markdown).toContain('lan1');
      expect(Math.abs(g.generated_at - Date.now())).toBeLessThan(60_000);
    }
  });

  test('a bad argument is the handler\'s own error object, not a transport error', async () => {
    const res = await r.call(root.ubus_rpc_session, 'luci.offload', 'flows', { limit: 0 });
    expect(res.result?.[0]).toBe(0);
    expect(res.result?.[1]).toMatchObject({ code: 'invalid_argument' });
  });
});

d('the panel\'s live poll batch (LiveModel + UbusClient) against real rpcd file.read', () => {
  let r: Router;
  beforeAll(() => {
    r = startRouter();
  });
  afterAll(() => r?.stop());

  /** Run the panel's LiveModel for two beats as `user`; the file.read batch it POSTed and the raw reply. */
  async function panelPoll(user: string) {
    const sent: { body: any; reply: any; ms: number }[] = [];
    const recording: typeof fetch = async (url, init) => {
      const t0 = performance.now();
      const res = await fetch(url, init);
      const text = await res.text();
      sent.push({ body: JSON.parse(String(init?.body)), reply: JSON.parse(text), ms: performance.now() - t0 });
      return new Response(text, { status: res.status, headers: res.headers });
    };
    const client = new UbusClient({ url: r.url, fetch: recording });
    await client.login(user, user);
    const session = new SessionModel(client, {} as never);
    const live = new LiveModel(client, session, { pollMs: 1000 });
    await live.tick();
    await new Promise((res) => setTimeout(res, 120));
    await live.tick();
    const batches = sent.filter((s) => Array.isArray(s.body));
    return { sid: client.sid, live, batches, sent };
  }

  function checkBatch(body: any[], reply: any[]) {
    expect(Array.isArray(reply)).toBe(true);
    expect(reply.length).toBe(body.length);
    reply.forEach((m, i) => {
      expect(m.id, `member ${i} in request order`).toBe(body[i].id);
      expect(m.result?.[0], `${body[i].params[3].path}: ${JSON.stringify(m)}`).toBe(0);
      expect(typeof m.result?.[1]?.data).toBe('string');
    });
  }

  for (const user of ['root', 'reader']) {
    test(`as ${user}: every member of the panel's batch answers [0, {data}] in request order`, async () => {
      const { sid, live, batches } = await panelPoll(user);
      expect(batches.length).toBe(2);
      const body = batches[0]!.body as any[];
      const paths = body.map((m) => m.params[3].path);
      expect(body.every((m) => m.method === 'call' && m.params[0] === sid && m.params[1] === 'file' && m.params[2] === 'read')).toBe(true);
      // four reads whatever the device count: every device's counters come from /proc/net/dev (issue 17)
      expect(paths).toEqual(['/proc/uptime', '/proc/stat', '/proc/sys/net/netfilter/nf_conntrack_count', '/proc/net/dev']);
      expect((batches[1]!.body as any[]).map((m) => m.params[3].path)).toEqual(paths);
      for (const b of batches) checkBatch(b.body, b.reply);
      const data = (i: number) => batches[0]!.reply[i].result[1].data as string;
      expect(data(0)).toMatch(/^\d+\.\d+ \d+\.\d+\n$/);
      expect(data(1)).toMatch(/^cpu  \d+/);
      expect(data(2)).toMatch(/^\d+\n$/);
      expect(data(3)).toMatch(/^Inter-\|/);
      expect(Object.keys(netDevCounters(data(3)))).toEqual(expect.arrayContaining(['wan', 'lan1']));
      // the panel took both samples from the files (no fallback to stats), nothing stale
      const st = live.store.get();
      expect(st.source).toBe('files');
      expect(st.stale).toBeNull();
      expect(st.countersError).toBeNull();
      expect(st.latest).not.toBeNull();
      expect(st.devices.map((x) => `${x.device}:${x.role}`).sort()).toEqual(['lan1:lan', 'wan:wan']);
      console.log(`panel batch of ${body.length} as ${user}: ${batches.map((b) => b.ms.toFixed(1)).join(' / ')} ms over HTTP`);
    });
  }

  test('the same batch plus /etc/shadow and a missing device: [6] and [4] in place, the rest [0]', async () => {
    const { sid, batches } = await panelPoll('reader');
    const body = (batches[0]!.body as any[]).map((m, i) => ({ ...m, id: 100 + i }));
    const read = (id: number, path: string) => ({ jsonrpc: '2.0', id, method: 'call', params: [sid, 'file', 'read', { path }] });
    const mixed = [
      ...body.slice(0, 2),
      read(200, '/etc/shadow'),
      ...body.slice(2),
      read(201, '/sys/class/net/nosuchdev/statistics/rx_bytes'),
      read(202, '/sys/class/net/../../../etc/shadow/statistics/rx_bytes'),
    ];
    const reply = (await r.post(mixed)) as Reply[];
    expect(reply.map((m) => m.id)).toEqual(mixed.map((m) => m.id));
    const by = (id: number) => reply.find((m) => m.id === id)!;
    expect(by(200)).toEqual({ jsonrpc: '2.0', id: 200, result: [6] });
    expect(by(201)).toEqual({ jsonrpc: '2.0', id: 201, result: [4] });
    expect(by(202).result).toEqual([6]); // canonicalised before matching: no escape through ..
    for (const m of reply.filter((x) => (x.id as number) < 200)) expect((m.result as any[])[0]).toBe(0);
    // root has no wider file ACL here either (no luci-base): /etc/shadow is [6] for root too
    const rootSid = await r.login('root');
    expect((await r.call(rootSid, 'file', 'read', { path: '/etc/shadow' })).result).toEqual([6]);
  });
});

d('ACL denials and session expiry', () => {
  let r: Router;
  beforeAll(() => {
    r = startRouter();
  });
  afterAll(() => r?.stop());

  test('reader: set and flush are -32002 from uhttpd; the firewall config and ruleset are unchanged', async () => {
    const sid = await r.login('reader');
    const before = r.read('etc/config/firewall');
    const modeBefore = r.mode('etc/config/firewall');
    const rulesBefore = r.exec(['nft', '-s', 'list', 'ruleset']).stdout;
    for (const [method, args] of [['set', { mode: 'software' }], ['set', { mode: 'hardware' }], ['flush', {}]] as const) {
      const res = await r.call(sid, 'luci.offload', method, args);
      expect(res.result, method).toBeUndefined();
      expect(res.error, method).toEqual({ code: -32002, message: 'Access denied' });
    }
    expect(r.read('etc/config/firewall')).toBe(before);
    expect(r.mode('etc/config/firewall')).toBe(modeBefore);
    expect(r.exec(['nft', '-s', 'list', 'ruleset']).stdout).toBe(rulesBefore);
    // the same session still reads
    expect((await r.call(sid, 'luci.offload', 'status')).result?.[0]).toBe(0);
  });

  test('no session (NULL_SID) and a forged session id: -32002 for luci.offload and file.read', async () => {
    const forged = 'deadbeef'.repeat(4);
    for (const sid of [NULL_SID, forged]) {
      for (const [object, method, args] of [
        ['luci.offload', 'status', {}],
        ['luci.offload', 'stats', {}],
        ['luci.offload', 'set', { mode: 'software' }],
        ['file', 'read', { path: '/proc/uptime' }],
      ] as const) {
        const res = await r.call(sid, object, method, args);
        expect(res.error, `${sid} ${object}.${method}`).toEqual({ code: -32002, message: 'Access denied' });
      }
    }
  });

  test('session.login {timeout: 1}: works at once, -32002 once rpcd has expired it', async () => {
    const reply = (await r.call(NULL_SID, 'session', 'login', { username: 'reader', password: 'reader', timeout: 1 })).result?.[1] as LoginResult;
    expect(reply.timeout).toBe(1);
    const sid = reply.ubus_rpc_session;
    expect((await r.call(sid, 'luci.offload', 'status')).result?.[0]).toBe(0);
    const t0 = performance.now();
    await new Promise((res) => setTimeout(res, 2200));
    const late = await r.call(sid, 'luci.offload', 'status');
    expect(late.error).toEqual({ code: -32002, message: 'Access denied' });
    // a session with the default timeout made at the same time is still alive
    expect(performance.now() - t0).toBeGreaterThan(2000);
    const fresh = await r.login('reader');
    expect((await r.call(fresh, 'luci.offload', 'status')).result?.[0]).toBe(0);
  });
});

d('rpcd\'s exec timeout (-t 2) kills a handler waiting for the apply lock', () => {
  let r: Router;
  beforeAll(() => {
    r = startRouter({ rpcdTimeout: 2 });
  });
  afterAll(() => r?.stop());

  test('set as root while a live process holds the lock: [5] after ~2 s, config byte-identical', async () => {
    const sid = await r.login('root');
    const before = r.read('etc/config/firewall');
    const modeBefore = r.mode('etc/config/firewall');
    const hold = r.exec(['sh', '-c', 'mkdir -p /var/run/luci-offload; sleep 30 </dev/null >/dev/null 2>&1 & echo $! > /var/run/luci-offload/apply.lock']);
    expect(hold.status).toBe(0);
    const holder = r.read('var/run/luci-offload/apply.lock').trim();
    expect(holder).toMatch(/^\d+$/);
    expect(r.exec(['kill', '-0', holder]).status).toBe(0);

    const t0 = performance.now();
    const res = await r.call(sid, 'luci.offload', 'set', { mode: 'software' });
    const ms = performance.now() - t0;
    console.log(`set under a held lock with rpcd -t 2: ${JSON.stringify(res)} after ${ms.toFixed(0)} ms`);
    expect(res.error).toBeUndefined();
    expect(res.result).toEqual([5]);
    expect(ms).toBeGreaterThan(1900);
    expect(ms).toBeLessThan(4000); // rpcd's kill, not the handler's own 8 s lock wait

    expect(r.read('etc/config/firewall')).toBe(before);
    expect(r.mode('etc/config/firewall')).toBe(modeBefore);
    // the lock is still the holder's; the killed handler left no plugin process behind
    expect(r.read('var/run/luci-offload/apply.lock').trim()).toBe(holder);
    const ps = r.exec(['ps']).stdout;
    expect(ps).not.toMatch(/luci\.offload/);
    // rpcd lives on; status (no lock needed) answers and reports nothing interrupted
    const s = await r.call(sid, 'luci.offload', 'status');
    expect(s.result?.[0]).toBe(0);
    expect(s.result?.[1]).toMatchObject({ configured: { mode: 'off' }, effective: { state: 'off' }, interrupted: null });
    r.exec(['kill', holder]);
  });
});
