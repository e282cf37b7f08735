/**
 * Conformance both ways: one scenario — the platform tier's router (this kernel without
 * flowtables, lan and wan on veths, the same firewall and network config) — runs
 * against the simulator (`--scenario host-kernel`) and against the real programs, and
 * every method's answer is compared: ubus status, JSON-RPC errors, the shape of each
 * result, the error codes and messages, and the derived facts (state, devices, roles,
 * problems, capabilities). What legitimately differs (board, release, live counters,
 * the root prefix in uci's argv[0]) is named below and nothing else is ignored, so the
 * simulator cannot drift from the real programs unnoticed.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRouter, platformReady, PKG, NULL_SID, type Router } from './router';
import { VIEWER_RPCD } from './luci-router';
import { startSim, type RunningSim } from '../helpers/sim';
import { REPO } from '../helpers/qjs';
import { SCENARIOS, NETWORK_VETH, firewallConfig } from '../sim/scenario/scenarios';

const skip = platformReady();
const SPEC = SCENARIOS['host-kernel']!;
const FIREWALL = firewallConfig(SPEC);

type Reply = { result?: [number, unknown?]; error?: { code: number; message: string } };

/** One side of the comparison: the same calls, by name, against the sim or the real router. */
interface Side {
  name: string;
  /** The router path prefix uci's argv[0] carries on this side ('' on the real router). */
  root: string;
  call(sid: string, object: string, method: string, args?: object): Promise<Reply>;
  batch(body: unknown[]): Promise<Reply[]>;
  login(user: 'root' | 'reader'): Promise<{ sid: string; reply: Reply }>;
  writeFirewall(text: string): void;
  readFirewall(): string;
}

function simSide(sim: RunningSim): Side {
  const post = async (body: unknown): Promise<unknown> => JSON.parse((await sim.raw(JSON.stringify(body))).text);
  let id = 0;
  const call = async (sid: string, object: string, method: string, args: object = {}): Promise<Reply> =>
    (await post({ jsonrpc: '2.0', id: ++id, method: 'call', params: [sid, object, method, args] })) as Reply;
  return {
    name: 'simulator',
    root: sim.root,
    call,
    batch: async (body) => (await post(body)) as Reply[],
    login: async (user) => {
      const creds = user === 'root' ? { username: 'root', password: 'offload-demo' } : { username: 'viewer', password: 'viewer-demo' };
      const reply = await call(NULL_SID, 'session', 'login', creds);
      return { sid: (reply.result?.[1] as { ubus_rpc_session: string }).ubus_rpc_session, reply };
    },
    writeFirewall: (t) => writeFileSync(join(sim.root, 'etc/config/firewall'), t),
    readFirewall: () => readFileSync(join(sim.root, 'etc/config/firewall'), 'utf8'),
  };
}

function realSide(r: Router): Side {
  return {
    name: 'real',
    root: '',
    call: (sid, object, method, args = {}) => r.call(sid, object, method, args) as Promise<Reply>,
    batch: async (body) => (await r.post(body)) as Reply[],
    login: async (user) => {
      // the read-only login as a real LuCI viewer has it (LuCI's unauthenticated and luci-base read
      // groups besides the app's), as the simulator's demo viewer holds them
      const name = user === 'root' ? 'root' : 'viewer';
      const reply = (await r.call(NULL_SID, 'session', 'login', { username: name, password: name })) as Reply;
      return { sid: (reply.result?.[1] as { ubus_rpc_session: string }).ubus_rpc_session, reply };
    },
    writeFirewall: (t) => r.write('etc/config/firewall', t),
    readFirewall: () => r.read('etc/config/firewall'),
  };
}

/** The structure of a value: keys and types, arrays by their elements' shapes (deduplicated). */
export function shape(v: unknown): unknown {
  if (v === null) return 'null';
  if (Array.isArray(v)) return [...new Set(v.map((x) => JSON.stringify(shape(x))))].sort().map((s) => JSON.parse(s));
  if (typeof v === 'object') return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, shape((v as Record<string, unknown>)[k])]));
  return typeof v;
}

interface StatusLike {
  configured: unknown;
  effective: unknown;
  devices: { device: string; role: string; zones: string[]; exists: boolean; in_flowtable: boolean; problems: string[]; hw_tc_offload: unknown }[];
  module: unknown;
  capabilities: unknown;
  conflicts: unknown;
  warnings: unknown;
  last_warning: unknown;
  interrupted: unknown;
  system: { firewall: string };
}

/** What the two sides must agree on in a status answer (facts, not the machine's identity). */
function statusFacts(s: StatusLike, side: Side): unknown {
  const strip = (x: unknown): unknown => JSON.parse(JSON.stringify(x).split(side.root + '/sbin/uci').join('/sbin/uci'));
  // The conntrack table's size is a live figure (the simulator's scenario holds its own table);
  // what is offloaded of it, and where the count comes from, must agree.
  const e = s.effective as { flows: { total: unknown } | null };
  const effective = e.flows ? { ...e, flows: { ...e.flows, total: typeof e.flows.total } } : e;
  return strip({
    configured: s.configured,
    effective,
    // The real router also has `lo` and the veths' far ends; the panel's devices are the zone ones.
    devices: s.devices.map((d) => ({ device: d.device, role: d.role, zones: d.zones, exists: d.exists, in_flowtable: d.in_flowtable, problems: d.problems, hw_tc_offload: d.hw_tc_offload })),
    module: s.module,
    capabilities: s.capabilities,
    conflicts: s.conflicts,
    warnings: s.warnings,
    last_warning: s.last_warning,
    interrupted: s.interrupted,
    firewall: s.system.firewall,
  });
}

/** A reply with its live figures reduced to their shape: status code, result shape, error. */
const replyShape = (r: Reply): unknown => ({ status: r.result?.[0] ?? null, data: shape(r.result?.[1]), error: r.error ?? null });

describe.skipIf(skip !== null)('the simulator answers as the real programs do (host-kernel scenario)', () => {
  let sim: RunningSim;
  let router: Router;
  let sides: Side[];
  const sid = new Map<string, { root: string; reader: string }>();

  beforeAll(async () => {
    [sim, router] = await Promise.all([
      startSim(['--scenario', 'host-kernel']),
      Promise.resolve(startRouter({ files: { 'etc/config/firewall': FIREWALL, 'etc/config/rpcd': readFileSync(join(REPO, 'test/platform/root/etc/config/rpcd'), 'utf8') + VIEWER_RPCD } })),
    ]);
    // What OpenWrt's board detection leaves in /tmp/sysinfo at boot; this router has no procd.
    router.write('tmp/sysinfo/board_name', SPEC.board + '\n');
    router.write('tmp/sysinfo/model', SPEC.model + '\n');
    // One open TCP connection in the router, so both sides have flows to list (the simulator's
    // scenario generates its traffic; the real router's conntrack table is otherwise empty).
    router.exec(['sh', '-c', 'nc -l -p 5555 </dev/null >/dev/null 2>&1 & sleep 0.3; sleep 100 | nc 192.168.1.1 5555 >/dev/null 2>&1 &']);
    sides = [simSide(sim), realSide(router)];
    for (const s of sides) sid.set(s.name, { root: (await s.login('root')).sid, reader: (await s.login('reader')).sid });
  }, 120000);
  afterAll(async () => {
    router?.stop();
    await sim?.stop();
  });

  /** The same call on both sides; returns [sim, real]. */
  const both = async (who: 'root' | 'reader', object: string, method: string, args: object = {}): Promise<[Reply, Reply]> => {
    const [a, b] = await Promise.all(sides.map((s) => s.call(sid.get(s.name)![who], object, method, args)));
    return [a!, b!];
  };

  it('runs the same configs: the scenario is the platform router', () => {
    expect(NETWORK_VETH).toBe(readFileSync(join(REPO, 'test/platform/root/etc/config/network'), 'utf8'));
    expect(sides.map((s) => s.readFirewall())).toEqual([FIREWALL, FIREWALL]);
    expect(readFileSync(join(PKG, 'root/usr/share/rpcd/acl.d/luci-app-offload.json'), 'utf8')).toContain('luci-app-offload');
  });

  it('login: the read-only user\'s ACL table', async () => {
    const [a, b] = await Promise.all(sides.map((s) => s.login('reader')));
    const acls = (r: Reply): unknown => (r.result?.[1] as { acls: unknown }).acls;
    expect(acls(a!.reply)).toEqual(acls(b!.reply));
    expect(replyShape(a!.reply)).toEqual(replyShape(b!.reply));
  });

  it('list: the same signature', async () => {
    const [a, b] = await Promise.all(sides.map((s) => s.batch([{ jsonrpc: '2.0', id: 1, method: 'list', params: ['luci.offload'] }])));
    expect(a).toEqual(b);
  });

  it('status: the same facts and the same shape', async () => {
    const [a, b] = await both('root', 'luci.offload', 'status');
    expect(replyShape(a)).toEqual(replyShape(b));
    expect(statusFacts(a.result![1] as StatusLike, sides[0]!)).toEqual(statusFacts(b.result![1] as StatusLike, sides[1]!));
  });

  it.each([
    ['stats', {}],
    ['stats', { flows: true }],
    ['flows', { limit: 5 }],
    ['diagnostics', {}],
    ['flows', { limit: 0 }],
    ['set', { mode: 'bogus' }],
  ])('%s %j: the same shape (live figures differ, their structure does not)', async (method, args) => {
    const [a, b] = await both('root', 'luci.offload', method, args);
    expect(replyShape(a)).toEqual(replyShape(b));
    if ((a.result?.[1] as { code?: string })?.code) expect(a.result).toEqual(b.result);
  });

  it('diagnostics: the same report sections', async () => {
    const [a, b] = await both('root', 'luci.offload', 'diagnostics');
    const heads = (r: Reply): string[] => ((r.result?.[1] as { markdown?: string; text?: string }).markdown ?? (r.result?.[1] as { text?: string }).text ?? '').split('\n').filter((l) => l.startsWith('#'));
    expect(heads(a)).toEqual(heads(b));
    expect(heads(a).length).toBeGreaterThan(2);
  });

  it('stats: the same devices in the same roles', async () => {
    const [a, b] = await both('root', 'luci.offload', 'stats', { flows: true });
    const roles = (r: Reply): unknown => shape((r.result?.[1] as { devices: unknown }).devices) && (r.result?.[1] as { devices: { name?: string; device?: string; role: string }[] }).devices.map((d) => [d.device ?? d.name, d.role]);
    expect(roles(a)).toEqual(roles(b));
  });

  it('the panel\'s poll batch: the same codes in the same order, as root and as reader', async () => {
    const paths = ['/proc/uptime', '/proc/stat', '/proc/sys/net/netfilter/nf_conntrack_count', '/sys/class/net/lan1/statistics/rx_bytes', '/sys/class/net/wan/statistics/tx_bytes', '/etc/shadow', '/sys/class/net/nope0/statistics/rx_bytes'];
    for (const who of ['root', 'reader'] as const) {
      const replies = await Promise.all(
        sides.map((s) => s.batch(paths.map((path, i) => ({ jsonrpc: '2.0', id: i, method: 'call', params: [sid.get(s.name)![who], 'file', 'read', { path }] })))),
      );
      const view = (rs: Reply[]): unknown => rs.map((r) => [(r as { id?: number }).id, replyShape(r)]);
      expect(view(replies[0]!)).toEqual(view(replies[1]!));
    }
  });

  it('set software: nft refuses the flowtable on both — the same error, the config restored', async () => {
    const [a, b] = await both('root', 'luci.offload', 'set', { mode: 'software' });
    expect(a.result).toEqual(b.result);
    expect((b.result?.[1] as { error: string }).error).toContain('nft rejected the new ruleset (Error: Could not process rule: No such file or directory)');
    expect(sides.map((s) => s.readFirewall())).toEqual([FIREWALL, FIREWALL]);
  });

  it('set off when off: the same unchanged answer', async () => {
    const [a, b] = await both('root', 'luci.offload', 'set', { mode: 'off' });
    const strip = (r: Reply): unknown => {
      const v = r.result?.[1] as { status: StatusLike } & Record<string, unknown>;
      return { ...v, status: statusFacts(v.status, sides[0]!) };
    };
    expect(strip(a)).toEqual(strip(b));
  });

  it('flush: the same answer', async () => {
    const [a, b] = await both('root', 'luci.offload', 'flush');
    const v = (r: Reply): unknown => ({ ...(r.result?.[1] as object), reload_ms: 'ms' });
    expect(v(a)).toEqual(v(b));
  });

  it('ACL: the reader\'s set and flush, an unknown session — the same JSON-RPC errors', async () => {
    for (const m of ['set', 'flush']) {
      const [a, b] = await both('reader', 'luci.offload', m, { mode: 'software' });
      expect(a.error).toEqual(b.error);
      expect(b.error?.code).toBe(-32002);
    }
    const [a, b] = await Promise.all(sides.map((s) => s.call('0123456789abcdef0123456789abcdef', 'luci.offload', 'status')));
    expect(a!.error).toEqual(b!.error);
  });

  it('an unparsable config: the same uci error in status, the same refusal in set', async () => {
    const broken = FIREWALL + "\nconfig zone\n\toption name 'unterminated\n";
    for (const s of sides) s.writeFirewall(broken);
    try {
      const [a, b] = await both('root', 'luci.offload', 'status');
      expect(statusFacts(a.result![1] as StatusLike, sides[0]!)).toEqual(statusFacts(b.result![1] as StatusLike, sides[1]!));
      const [c, d] = await both('root', 'luci.offload', 'set', { mode: 'software' });
      const strip = (r: Reply, s: Side): unknown => JSON.parse(JSON.stringify(r.result).split(s.root + '/sbin/uci').join('/sbin/uci'));
      expect(strip(c, sides[0]!)).toEqual(strip(d, sides[1]!));
      expect(sides.map((s) => s.readFirewall())).toEqual([broken, broken]);
    } finally {
      for (const s of sides) s.writeFirewall(FIREWALL);
    }
  });
});
