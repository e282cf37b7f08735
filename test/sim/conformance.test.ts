/**
 * Simulator conformance: every request captured from the real uhttpd + ubusd +
 * rpcd (test/fixtures/ubus-jsonrpc) is replayed against the simulator set up
 * like the capture testbed; the answer must carry the same HTTP status and
 * headers, the same ubus status or JSON-RPC error, and the same JSON — byte
 * for byte after session ids are normalised, or the same shape where the
 * figures are live (uptime, /proc/stat, file sizes).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, readdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSim, type RunningSim } from '../helpers/sim';
import { REPO } from '../helpers/qjs';

const DIR = join(REPO, 'test/fixtures/ubus-jsonrpc');
const TESTBED = join(DIR, 'testbed');

interface Transcript {
  name: string;
  description: string;
  captured_at: string;
  request: { method: string; url: string; body: { id: number; params?: unknown[] } & Record<string, unknown> };
  response: { status: number; headers: Record<string, string>; body_raw: string };
}

const transcripts: Transcript[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Transcript)
  .sort((a, b) => (a.captured_at < b.captured_at ? -1 : a.captured_at > b.captured_at ? 1 : a.request.body.id - b.request.body.id));

/** Live figures: compare shape, not values. */
const SHAPE_ONLY = new Set([
  'call-shell-plugin-uptime', 'call-before-expiry-shell-uptime', 'call-qjs-plugin-uptime', 'call-qjs-plugin-loadavg',
  'call-qjs-plugin-stat', 'call-file-read-proc-stat', 'uci-configs',
]);

const SID = /"[0-9a-f]{32}"/g;
const normalise = (s: string): string => s.replace(SID, (m) => (m === '"00000000000000000000000000000000"' ? m : '"<sid>"'));

/** Same keys in the same order, same JSON types; arrays compared element-wise up to the shorter length. */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? ['array', shape(v[0])] : ['array'];
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)]));
  return typeof v;
}

describe('simulator answers like the real uhttpd/rpcd (captured transcripts)', () => {
  let sim: RunningSim;
  const sids = new Map<string, string>();

  beforeAll(async () => {
    sim = await startSim([
      '--logins', join(TESTBED, 'logins.json'),
      '--acl-dir', join(TESTBED, 'acl.d'),
      '--plugin-dir', join(TESTBED, 'plugins'),
      '--no-package',
    ]);
    copyFileSync(join(TESTBED, 'firewall'), join(sim.root, 'etc/config/firewall'));
  });
  afterAll(async () => sim?.stop());

  it('replays every transcript with the same outcome', async () => {
    expect(transcripts.length).toBeGreaterThanOrEqual(40);
    let expiredAt = 0;
    for (const t of transcripts) {
      const body = JSON.parse(JSON.stringify(t.request.body)) as Transcript['request']['body'];
      const params = body.params as unknown[] | undefined;
      if (t.name === 'call-expired-session' || t.name === 'session-access-expired-session') {
        // The capture called 3.5 s after a login with timeout 2.
        const wait = expiredAt + 3500 - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      if (Array.isArray(params) && typeof params[0] === 'string' && sids.has(params[0])) params[0] = sids.get(params[0]);
      const res = await sim.raw(JSON.stringify(body));
      expect(res.status, t.name).toBe(t.response.status);
      expect(res.headers.get('content-type'), t.name).toBe('application/json');
      expect(res.headers.get('connection'), t.name).toBe('close');
      expect(res.headers.get('transfer-encoding'), t.name).toBe('chunked');

      const want = JSON.parse(t.response.body_raw) as { result?: unknown; error?: unknown };
      const got = JSON.parse(res.text) as { result?: unknown; error?: unknown };
      // Remember the sessions the capture created, to map its later requests onto ours.
      const w = want.result as [number, { ubus_rpc_session?: string }] | undefined;
      const g = got.result as [number, { ubus_rpc_session?: string }] | undefined;
      if (w?.[1]?.ubus_rpc_session && g?.[1]?.ubus_rpc_session) {
        sids.set(w[1].ubus_rpc_session, g[1].ubus_rpc_session);
        if (t.name === 'session-login-root-timeout-2s') expiredAt = Date.now();
      }

      if (want.error) expect(got.error, t.name).toEqual(want.error);
      if (t.name === 'list-all-objects') {
        // The capture had more objects (rc …); every object both have must list the same methods.
        const wr = want.result as Record<string, unknown>;
        const gr = got.result as Record<string, unknown>;
        for (const name of Object.keys(gr)) if (name in wr) expect(gr[name], `${t.name}: ${name}`).toEqual(wr[name]);
        expect(Object.keys(gr).filter((n) => n in wr).length).toBeGreaterThanOrEqual(5);
      } else if (SHAPE_ONLY.has(t.name)) {
        expect(shape(got), t.name).toEqual(shape(want));
      } else {
        expect(normalise(res.text), t.name).toBe(normalise(t.response.body_raw));
      }
    }
  }, 60000);

  it('formats plugin doubles as rpcd does (six decimals)', async () => {
    const login = await sim.raw(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'call', params: ['00000000000000000000000000000000', 'session', 'login', { username: 'root', password: 'secret' }] }));
    const sid = (JSON.parse(login.text) as { result: [number, { ubus_rpc_session: string }] }).result[1].ubus_rpc_session;
    const r = await sim.raw(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'call', params: [sid, 'sample-shell', 'uptime', {}] }));
    expect(r.text).toMatch(/"uptime":\d+\.\d{6},"idle":\d+\.\d{6}/);
  });

  it('rejects a body over 64 KiB with a parse error', async () => {
    const big = JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'list', pad: 'x'.repeat(70000) });
    const r = await sim.raw(big);
    expect(JSON.parse(r.text)).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
  });

  it('answers a batch in order, one reply per request', async () => {
    const r = await sim.raw(JSON.stringify([
      { jsonrpc: '2.0', id: 'a', method: 'frobnicate' },
      { jsonrpc: '2.0', id: 'b', method: 'call', params: ['00000000000000000000000000000000', 'no.such', 'x', {}] },
    ]));
    expect(JSON.parse(r.text)).toEqual([
      { jsonrpc: '2.0', id: 'a', error: { code: -32601, message: 'Method not found' } },
      { jsonrpc: '2.0', id: 'b', error: { code: -32000, message: 'Object not found' } },
    ]);
  });

  it('refuses ubus_rpc_session inside the arguments (-32602) and a non-object argument (-32700)', async () => {
    const a = await sim.raw(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'call', params: ['00000000000000000000000000000000', 'session', 'login', { ubus_rpc_session: 'x' }] }));
    expect(JSON.parse(a.text).error.code).toBe(-32602);
    const b = await sim.raw(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'call', params: ['00000000000000000000000000000000', 'session', 'login', []] }));
    expect(JSON.parse(b.text).error.code).toBe(-32700);
  });
});
