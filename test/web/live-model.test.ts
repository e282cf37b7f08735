import { describe, expect, it } from 'vitest';
import type { CallSpec } from '../../web/src/client';
import { HttpError, JsonRpcError, TimeoutError, UbusError } from '../../web/src/client';
import { LiveModel } from '../../web/src/models/LiveModel';
import { SessionModel } from '../../web/src/models/SessionModel';
import { createMockClient, fileData, flush, rejected, type MockOverrides } from './mock-client';
import { procStat, statsFixture } from './fixtures';
import { netDev } from './net-dev-text';

/** A fake router: every batch advances its clock by one second unless told otherwise. */
function router() {
  const r = { t: 100_000, busy: 0, soft: 0, idle: 0, wan: 0, lan: 0 };
  const files = (path: string): string => {
    if (path === '/proc/uptime') return `${(r.t / 1000).toFixed(2)} 1.00\n`;
    if (path === '/proc/stat') return procStat([[r.busy, r.soft, r.idle]]);
    if (path.endsWith('nf_conntrack_count')) return '144\n';
    if (path === '/proc/net/dev') return netDev([['lo', 0, 0], ['wan', r.wan, r.wan / 10], ['br-lan', r.lan, r.lan / 10]]);
    if (path.includes('/wan/')) return `${r.wan}\n`;
    return `${r.lan}\n`;
  };
  const step = (): void => {
    r.t += 1000;
    r.busy += 40;
    r.soft += 30;
    r.idle += 60;
    r.wan += 125_000_000;
    r.lan += 1_000_000;
  };
  const batch = (specs: CallSpec[]) => specs.map((s) => fileData(files(String(s.args?.path))));
  return { r, step, batch };
}

function setup(o: MockOverrides = {}) {
  const client = createMockClient(o);
  const session = new SessionModel(client, { standalone: false, readonly: false });
  let now = 0;
  const live = new LiveModel(client, session, { now: () => now, wall: () => now });
  return { client, session, live, advance: (ms: number) => (now += ms) };
}

describe('LiveModel polling', () => {
  it('learns the devices from stats, then reads everything else in ONE file.read batch per beat', async () => {
    const fr = router();
    const { client, live, advance } = setup({ batch: (s) => (fr.step(), fr.batch(s)) });
    await live.tick();
    expect(client.call).toHaveBeenCalledWith('stats', { flows: true }, { timeoutMs: 5000 });
    expect(client.batch).toHaveBeenCalledTimes(1);
    const specs = client.batch.mock.calls[0]![0] as CallSpec[];
    expect(specs.every((s) => s.object === 'file' && s.method === 'read')).toBe(true);
    // every device's counters from one /proc/net/dev read (issue 17), not two sysfs files per device
    expect(specs.map((s) => s.args?.path)).toEqual(['/proc/uptime', '/proc/stat', '/proc/sys/net/netfilter/nf_conntrack_count', '/proc/net/dev']);
    expect(client.batch.mock.calls[0]![1]).toEqual({ timeoutMs: 5000 });
    advance(1000);
    await live.tick();
    const s = live.store.get();
    expect(s.latest?.busy).toBeCloseTo(40, 5);
    expect(s.latest?.softirq).toBeCloseTo(30, 5);
    expect(s.latest?.wanRx).toBe(1e9);
    expect(s.flows?.offloaded).toBe(6);
    expect(s.conntrack).toBe(144);
    expect(live.history.length).toBe(1);
  });

  it('asks stats for flow counts every 5 s only', async () => {
    const fr = router();
    const { client, live, advance } = setup({ batch: (s) => (fr.step(), fr.batch(s)) });
    for (let i = 0; i < 11; i++) {
      await live.tick();
      advance(1000);
    }
    expect(client.call.mock.calls.filter((c) => c[0] === 'stats')).toHaveLength(3); // t = 0, 5, 10 s
    expect(client.batch).toHaveBeenCalledTimes(11);
  });

  it('drops an answer that arrives after a newer one', async () => {
    const fr = router();
    const pending: ((v: unknown) => void)[] = [];
    const { live, advance } = setup({
      batch: (s) => {
        fr.step();
        const answer = fr.batch(s);
        return new Promise((res) => pending.push(() => res(answer)));
      },
    });
    const first = live.tick();
    await flush();
    pending.shift()!(null);
    await first;
    advance(1000);
    const slow = live.tick(); // t+2
    await flush();
    advance(1000);
    const fast = live.tick(); // t+3
    await flush();
    expect(pending).toHaveLength(2);
    pending[1]!(null); // the newer answer first
    await fast;
    pending[0]!(null);
    await slow;
    expect(live.dropped).toBe(1);
    expect(live.history.t).toEqual([103_000]);
  });

  it('marks the data stale when a poll fails, keeps polling and recovers', async () => {
    const fr = router();
    let fail: unknown = null;
    const { live, advance } = setup({
      batch: (s) => {
        if (fail) throw fail;
        fr.step();
        return fr.batch(s);
      },
    });
    await live.tick();
    advance(1000);
    await live.tick();
    fail = new TimeoutError(5000, 'file', 'read');
    advance(1000);
    await live.tick();
    const st = live.store.get().stale;
    expect(st?.reason).toBe('No answer from the router within 5 s.');
    expect(st?.since).toBe(1000);
    fail = new HttpError(0, 'file', 'read');
    advance(1000);
    await live.tick();
    expect(live.store.get().stale?.reason).toBe('The router cannot be reached (network error).');
    expect(live.store.get().stale?.since).toBe(1000);
    fail = null;
    advance(1000);
    await live.tick();
    expect(live.store.get().stale).toBeNull();
    expect(live.history.length).toBe(2);
  });

  it('says which device counters could not be read, and still takes the CPU', async () => {
    const fr = router();
    const { live, advance } = setup({
      batch: (s) => {
        fr.step();
        // /proc/net/dev without br-lan (a cut read), so br-lan's sysfs files are read, and refused
        const netdev = netDev([['wan', fr.r.wan, fr.r.wan / 10]]);
        return s.map((spec) => {
          const path = String(spec.args?.path);
          if (path === '/proc/net/dev') return fileData(netdev);
          return path.includes('/br-lan/') ? rejected(new UbusError(6, 'file', 'read')) : fr.batch([spec])[0]!;
        });
      },
    });
    for (let i = 0; i < 2; i++) {
      await live.tick();
      advance(1000);
    }
    await live.tick();
    const st = live.store.get();
    expect(st.latest?.busy).toBeCloseTo(40, 5);
    expect(st.latest?.lanRx).toBeNull();
    expect(st.latest?.wanRx).toBe(1e9);
    expect(st.countersError).toBe('The counters of br-lan could not be read: Permission denied by the router (ubus code 6).');
    expect(st.stale).toBeNull();
  });

  it('marks stale on a ubus error of the required reads', async () => {
    const { live } = setup({ batch: (s) => s.map(() => rejected(new UbusError(7, 'file', 'read'))) });
    await live.tick();
    expect(live.store.get().stale?.reason).toMatch(/time limit \(ubus code 7/);
  });

  it('falls back to stats every second when file.read is not permitted (ubus 6)', async () => {
    let t = 50_000;
    const { client, live, advance } = setup({
      batch: (s) => s.map(() => rejected(new UbusError(6, 'file', 'read'))),
      stats: () => statsFixture((t += 1000)),
    });
    await live.tick();
    expect(live.store.get().source).toBe('stats');
    for (let i = 0; i < 3; i++) {
      advance(1000);
      await live.tick();
    }
    expect(client.batch).toHaveBeenCalledTimes(1);
    const statsCalls = client.call.mock.calls.filter((c) => c[0] === 'stats');
    expect(statsCalls.length).toBe(4);
    expect(statsCalls.map((c) => (c[1] as { flows: boolean }).flows)).toEqual([true, true, false, false]);
    expect(live.history.length).toBe(2);
    expect(live.store.get().latest).not.toBeNull();
  });

  it('falls back when uhttpd denies file.read (-32002) while the session still works', async () => {
    const denied = new JsonRpcError(-32002, 'Access denied', 'file', 'read');
    const { client, live, session } = setup({ batch: (s) => s.map(() => rejected(denied)) });
    session.succeeded('luci.offload.status');
    await live.tick();
    expect(live.store.get().source).toBe('stats');
    expect(session.store.get().phase).toBe('ready');
    expect(client.call).toHaveBeenCalledWith('status', {}, { timeoutMs: 20000 }); // the probe
  });

  it('treats -32002 on file.read that worked before as session expiry and pauses', async () => {
    const fr = router();
    let expired = false;
    const { client, live, session, advance } = setup({
      batch: (s) => (expired ? s.map(() => rejected(new JsonRpcError(-32002, 'Access denied', 'file', 'read'))) : (fr.step(), fr.batch(s))),
    });
    await live.tick();
    expired = true;
    advance(1000);
    await live.tick();
    expect(session.store.get().phase).toBe('expired');
    expect(live.store.get().stale).toBeNull();
    const n = client.batch.mock.calls.length;
    advance(1000);
    await live.tick();
    expect(client.batch.mock.calls.length).toBe(n);
  });
});

describe('LiveModel after a router reboot (issue 16)', () => {
  it('starts a new segment when the uptime goes back, marks the break and recovers within 3 s', async () => {
    const fr = router();
    let down = false;
    const { live, advance } = setup({
      batch: (s) => {
        if (down) throw new HttpError(0, 'file', 'read');
        fr.step();
        return fr.batch(s);
      },
    });
    for (let i = 0; i < 4; i++) {
      await live.tick();
      advance(1000);
    }
    expect(live.history.length).toBe(3);
    const before = live.history.last;
    down = true; // the router reboots: no answers for a while
    for (let i = 0; i < 3; i++) {
      await live.tick();
      advance(1000);
    }
    expect(live.store.get().stale).not.toBeNull();
    down = false;
    Object.assign(fr.r, { t: 20_000, busy: 0, soft: 0, idle: 0, wan: 0, lan: 0 }); // back up: low uptime, counters from zero
    for (let i = 0; i < 3; i++) {
      await live.tick();
      advance(1000);
    }
    const s = live.store.get();
    expect(s.stale).toBeNull();
    expect(live.dropped).toBe(0);
    expect(live.history.length).toBeGreaterThan(3);
    expect(live.history.last).toBeGreaterThan(before); // the chart's time keeps going forward
    expect(s.latest?.wanRx).toBe(1e9);
    expect(live.history.markers.map((m) => m.label)).toEqual(['Router restarted']);
  });
});

describe('LiveModel counters info', () => {
  it('takes which counters are read, and whether they miss hardware traffic, from the flow scans only', async () => {
    const fr = router();
    const { client, live, advance } = setup({
      batch: (s) => (fr.step(), fr.batch(s)),
      // A stats call without a flow scan cannot know of hardware flows: it says false.
      stats: (a) => statsFixture(fr.r.t, { counters: { source: 'netdev', misses_hw: a.flows !== false, roles: 'uci', hw: null } }),
    });
    expect(live.store.get().counters).toBeNull();
    await live.tick();
    expect(live.store.get().counters).toEqual({ source: 'netdev', misses_hw: true, roles: 'uci', hw: null });
    live.store.set({ source: 'stats' });
    advance(1000);
    await live.tick();
    expect(client.call).toHaveBeenLastCalledWith('stats', { flows: false }, { timeoutMs: 5000 });
    expect(live.store.get().counters?.misses_hw).toBe(true);
  });
});
