/**
 * The live loop rule by rule (issue 14, mutation testing of LiveModel.ts):
 * which counters are read and how each figure is made of them, which errors
 * become which notice (stale, lost, flow counts, session expiry), the cadence
 * of the file and stats polls, the chart's time across router restarts, and
 * pausing with the tab or with LuCI's poll loop.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StatsResult } from '../../rpcd/src/api/contract';
import type { CallSpec } from '../../web/src/client';
import { HttpError, JsonRpcError, TimeoutError, UbusError } from '../../web/src/client';
import { describeError } from '../../web/src/lib/errors';
import { LiveModel, type LiveOptions } from '../../web/src/models/LiveModel';
import { SessionModel } from '../../web/src/models/SessionModel';
import type { PollControl } from '../../web/src/models/types';
import { createMockClient, fileData, flush, rejected, type MockOverrides } from './mock-client';
import { procStat, statsFixture } from './fixtures';
import { netDev } from './net-dev-text';

type Role = 'wan' | 'lan';
type Entry = PromiseSettledResult<Record<string, unknown> | null>;

/**
 * A fake router with named devices: device i moves (i+1) MB/s in and (i+1)·100 kB/s out,
 * the CPU is 40 % busy (30 % softirq). `step()` advances it by one second.
 */
function router(devices: [string, Role][] = [['wan', 'wan'], ['br-lan', 'lan']]) {
  const r = { t: 100_000, busy: 0, soft: 0, idle: 0, load: 40, rx: {} as Record<string, number>, tx: {} as Record<string, number> };
  devices.forEach(([d]) => ((r.rx[d] = 0), (r.tx[d] = 0)));
  /** Per path: answer differently (reject, no data) instead of the file's text. */
  const override: Record<string, Entry> = {};
  /** Devices /proc/net/dev does not list (as when rpcd's one 4096-byte read cuts it short). */
  const notInNetDev = new Set<string>();
  const text = (path: string): string => {
    if (path === '/proc/uptime') return `${(r.t / 1000).toFixed(2)} 1.00\n`;
    if (path === '/proc/stat') return procStat([[r.busy, r.soft, r.idle]]);
    if (path.endsWith('nf_conntrack_count')) return '144\n';
    if (path === '/proc/net/dev') return netDev(devices.filter(([d]) => !notInNetDev.has(d)).map(([d]) => [d, r.rx[d]!, r.tx[d]!]));
    const m = /^\/sys\/class\/net\/(.+)\/statistics\/(rx|tx)_bytes$/.exec(path);
    if (!m) throw new Error(`unexpected path ${path}`);
    return `${(m[2] === 'rx' ? r.rx : r.tx)[m[1]!] ?? 0}\n`;
  };
  const step = (): void => {
    r.t += 1000;
    r.busy += r.load;
    r.soft += 30;
    r.idle += 100 - r.load;
    devices.forEach(([d], i) => {
      r.rx[d]! += (i + 1) * 1_000_000;
      r.tx[d]! += (i + 1) * 100_000;
    });
  };
  const batch = (specs: CallSpec[]): Entry[] => specs.map((s) => override[String(s.args?.path)] ?? fileData(text(String(s.args?.path))));
  const stats = (): StatsResult =>
    statsFixture(r.t, { devices: devices.map(([device, role]) => ({ device, role, rx_bytes: 0, tx_bytes: 0, rx_packets: 0, tx_packets: 0 })) });
  return { r, step, batch, stats, override, notInNetDev };
}

const WALL0 = 1_800_000_000_000;

function setup(o: MockOverrides = {}, lo: LiveOptions = {}) {
  const client = createMockClient(o);
  const session = new SessionModel(client, { standalone: false, readonly: false });
  let now = 0;
  const live = new LiveModel(client, session, { now: () => now, wall: () => WALL0 + now, ...lo });
  return { client, session, live, advance: (ms: number) => (now += ms) };
}

/** A router answering every batch one second later than the one before. */
function running(devices?: [string, Role][], o: MockOverrides = {}, lo: LiveOptions = {}) {
  const fr = router(devices);
  const s = setup({ batch: (specs) => (fr.step(), fr.batch(specs)), stats: () => fr.stats(), ...o }, lo);
  return { fr, ...s };
}

const statsFlows = (c: ReturnType<typeof createMockClient>): boolean[] =>
  c.call.mock.calls.filter((x) => x[0] === 'stats').map((x) => (x[1] as { flows: boolean }).flows);
/** The per-second poll: time, CPU, the connection count and every device's counters. */
const POLL = ['/proc/uptime', '/proc/stat', '/proc/sys/net/netfilter/nf_conntrack_count', '/proc/net/dev'];
const paths = (c: ReturnType<typeof createMockClient>, n: number): string[] => (c.batch.mock.calls[n]![0] as CallSpec[]).map((s) => String(s.args?.path));

/** LuCI's poll loop, stepped by hand: already running (add does not run us), or paused. */
function luciLoop(running = true) {
  const fns: (() => unknown)[] = [];
  const state = { on: running };
  const poll: PollControl & { add: ReturnType<typeof vi.fn>; remove: ReturnType<typeof vi.fn> } = {
    add: vi.fn((fn: () => unknown) => fns.push(fn)),
    remove: vi.fn((fn: () => unknown) => fns.splice(fns.indexOf(fn), 1)),
    active: () => state.on,
  };
  const step = async (): Promise<void> => (fns.forEach((f) => void f()), await settle());
  /** LuCI's poll.start(): it runs the queue, then announces poll-start, before any answer is back. */
  const start = async (live: LiveModel): Promise<void> => {
    state.on = true;
    fns.forEach((f) => void f());
    live.setLuciPaused(false);
    await settle();
  };
  return { poll, state, step, start };
}

/** Let the mock's promise callbacks run (microtasks only, so it also works under fake timers). */
async function settle(): Promise<void> {
  for (let i = 0; i < 30; i++) await Promise.resolve();
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('what the loop reads and the figures made of it', () => {
  it('before the first answer: no devices, no figures, reading files', () => {
    const { live } = setup();
    expect(live.store.get()).toMatchObject({ latest: null, devices: [], source: 'files', stale: null, lost: null, paused: null });
  });

  it('reads every device\'s counters from one /proc/net/dev and adds up the devices of a role', async () => {
    const { client, live, advance } = running([['wan', 'wan'], ['br-lan', 'lan'], ['br-guest', 'lan']]);
    await live.tick();
    advance(1000);
    await live.tick();
    const s = live.store.get();
    expect(s.devices).toEqual([{ device: 'wan', role: 'wan' }, { device: 'br-lan', role: 'lan' }, { device: 'br-guest', role: 'lan' }]);
    expect(paths(client, 1)).toEqual(POLL);
    // bits per second: wan 1 MB/s in, 100 kB/s out; LAN = br-lan (2 MB/s) + br-guest (3 MB/s)
    expect(s.latest).toMatchObject({ wanRx: 8e6, wanTx: 8e5, lanRx: 40e6, lanTx: 40e5 });
    expect(s.latest?.busy).toBeCloseTo(40, 5);
    expect(s.countersError).toBeNull();
  });

  // issue 17: uhttpd starts each batch member on a 1 ms timer, so the poll is four reads whatever the device count
  it.each([2, 8, 32])('the per-second poll is the same four reads with %i devices', async (n) => {
    const devs = Array.from({ length: n }, (_v, i): [string, Role] => [i ? `lan${i}` : 'wan', i ? 'lan' : 'wan']);
    const { client, live, advance } = running(devs);
    for (let i = 0; i < 3; i++) {
      await live.tick();
      advance(1000);
    }
    expect(client.batch.mock.calls.map((c) => (c[0] as CallSpec[]).length)).toEqual([4, 4, 4]);
    expect(paths(client, 2)).toEqual(POLL);
    // LAN = devices 1..n-1 at (i+1) MB/s each
    expect(live.store.get().latest).toMatchObject({ wanRx: 8e6, lanRx: ((n * (n + 1)) / 2 - 1) * 8e6 });
  });

  it('reads a device that /proc/net/dev lacks (cut at rpcd\'s 4096 bytes) from its sysfs files from the next beat on', async () => {
    const { fr, client, live, advance } = running([['wan', 'wan'], ['br-lan', 'lan'], ['br-guest', 'lan']]);
    fr.notInNetDev.add('br-guest');
    for (let i = 0; i < 3; i++) {
      await live.tick();
      advance(1000);
    }
    expect(paths(client, 0)).toEqual(POLL);
    expect(paths(client, 1)).toEqual([...POLL, '/sys/class/net/br-guest/statistics/rx_bytes', '/sys/class/net/br-guest/statistics/tx_bytes']);
    expect(paths(client, 2)).toEqual(paths(client, 1));
    expect(live.store.get().latest).toMatchObject({ wanRx: 8e6, lanRx: 40e6, lanTx: 40e5 });
    expect(live.store.get().countersError).toBeNull();
    // listed again: back to the four reads
    fr.notInNetDev.clear();
    await live.tick();
    advance(1000);
    await live.tick();
    expect(paths(client, 4)).toEqual(POLL);
    expect(live.store.get().latest).toMatchObject({ lanRx: 40e6 });
  });

  it('ignores a last /proc/net/dev line without its newline (a cut read) and reads that device from sysfs', async () => {
    const { fr, client, live, advance } = running();
    const full = (): string => netDev([['wan', fr.r.rx['wan']!, fr.r.tx['wan']!], ['br-lan', fr.r.rx['br-lan']!, fr.r.tx['br-lan']!]]);
    // cut inside br-lan's last column: rx and tx bytes would still parse, but the line is not complete
    const cut = (): Entry => fileData(full().slice(0, -3));
    fr.override['/proc/net/dev'] = cut();
    await live.tick();
    advance(1000);
    fr.override['/proc/net/dev'] = cut();
    await live.tick();
    expect(paths(client, 1)).toEqual([...POLL, '/sys/class/net/br-lan/statistics/rx_bytes', '/sys/class/net/br-lan/statistics/tx_bytes']);
  });

  it('reads every device from sysfs while /proc/net/dev cannot be read, and says which counters failed', async () => {
    const { fr, client, live, advance } = running();
    fr.override['/proc/net/dev'] = rejected(new UbusError(6, 'file', 'read'));
    await live.tick();
    advance(1000);
    await live.tick();
    advance(1000);
    expect(paths(client, 1).slice(4)).toEqual(['wan', 'wan', 'br-lan', 'br-lan'].map((d, i) => `/sys/class/net/${d}/statistics/${i % 2 ? 'tx' : 'rx'}_bytes`));
    await live.tick();
    expect(live.store.get().latest).toMatchObject({ wanRx: 8e6, lanRx: 16e6 });
    expect(live.store.get().stale).toBeNull();
  });

  it('never reads a device whose name is not an interface name (no path tricks)', async () => {
    const odd: [string, Role][] = [
      ['wan', 'wan'], ['.', 'lan'], ['..', 'lan'], ['x/../../etc', 'lan'], ['wan/../../../x', 'lan'],
      ['sixteen-chars-xx', 'lan'], ['fifteen-chars-x', 'lan'], ['.1', 'lan'], ['eth0.2@a:b+c_d', 'lan'],
    ];
    const { fr, client, live, advance } = running(odd);
    for (const [d] of odd) fr.notInNetDev.add(d); // so that each would be read from sysfs
    await live.tick();
    advance(1000);
    await live.tick();
    expect(paths(client, 1).slice(4).filter((p) => p.endsWith('rx_bytes'))).toEqual(
      ['wan', 'fifteen-chars-x', '.1', 'eth0.2@a:b+c_d'].map((d) => `/sys/class/net/${d}/statistics/rx_bytes`),
    );
  });

  const rx = new UbusError(6, 'file', 'read');
  const tx = new UbusError(4, 'file', 'read');
  it.each([
    ['wan', 'rx', rx], ['wan', 'tx', tx], ['br-lan', 'rx', rx], ['br-lan', 'tx', tx],
  ] as const)('says when the %s %s counter cannot be read, and still shows the rest', async (dev, dir, err) => {
    const { fr, live, advance } = running();
    fr.notInNetDev.add(dev);
    fr.override[`/sys/class/net/${dev}/statistics/${dir}_bytes`] = rejected(err);
    await live.tick();
    advance(1000);
    await live.tick();
    advance(1000);
    await live.tick();
    const s = live.store.get();
    expect(s.countersError).toBe(`The counters of ${dev} could not be read: ${describeError(err)}`);
    expect(s.stale).toBeNull();
    expect(s.latest?.busy).toBeCloseTo(40, 5);
    if (dev === 'wan') expect(s.latest).toMatchObject({ wanRx: null, wanTx: null, lanRx: 16e6 });
    else expect(s.latest).toMatchObject({ lanRx: null, lanTx: null, wanRx: 8e6 });
  });

  it.each([['no reply data', { status: 'fulfilled', value: null }], ['no data field', { status: 'fulfilled', value: {} }]] as const)(
    'a counter read answered with %s gives no LAN figure but keeps the rest', async (_what, entry) => {
      const { fr, live, advance } = running();
      fr.notInNetDev.add('br-lan');
      fr.override['/sys/class/net/br-lan/statistics/rx_bytes'] = entry as Entry;
      for (let i = 0; i < 2; i++) {
        await live.tick();
        advance(1000);
      }
      await live.tick();
      const s = live.store.get();
      expect(s.stale).toBeNull();
      expect(s.latest).toMatchObject({ lanRx: null, wanRx: 8e6 });
    },
  );

  it('an uptime read answered without data marks the data stale as unreadable', async () => {
    const { fr, live } = running();
    fr.override['/proc/uptime'] = { status: 'fulfilled', value: {} };
    await live.tick();
    expect(live.store.get().stale?.reason).toBe('The router sent unreadable CPU or uptime data.');
  });
});

describe('the stats poll', () => {
  it('is due half a beat early (a timer firing early), not earlier', async () => {
    const { client, live, advance } = running();
    await live.tick();
    advance(4499);
    await live.tick();
    expect(statsFlows(client)).toHaveLength(1);
    advance(1);
    await live.tick();
    expect(statsFlows(client)).toHaveLength(2);
  });

  it('does not hold up the file poll once the devices are known', async () => {
    const fr = router();
    let slow = false;
    const { client, live, advance } = setup({
      batch: (s) => (fr.step(), fr.batch(s)),
      stats: () => (slow ? new Promise<StatsResult>(() => {}) : fr.stats()),
    });
    await live.tick();
    slow = true;
    advance(5000);
    void live.tick();
    await flush();
    expect(statsFlows(client)).toHaveLength(2);
    expect(client.batch).toHaveBeenCalledTimes(2);
    expect(live.history.length).toBe(1);
  });

  it('in the fallback still refreshes the flow counts every 5 s', async () => {
    let t = 50_000;
    const { client, live, advance } = setup({
      batch: (s) => s.map(() => rejected(new UbusError(6, 'file', 'read'))),
      stats: () => statsFixture((t += 1000)),
    });
    for (let i = 0; i < 7; i++) {
      await live.tick();
      advance(1000);
    }
    expect(statsFlows(client)).toEqual([true, true, false, false, false, false, true]);
  });

  it('in the fallback sends no second stats call while one is unanswered', async () => {
    let hang = false;
    const { client, live, advance } = setup({
      batch: (s) => s.map(() => rejected(new UbusError(6, 'file', 'read'))),
      stats: () => (hang ? new Promise<StatsResult>(() => {}) : statsFixture(50_000)),
    });
    await live.tick();
    hang = true;
    for (let i = 0; i < 3; i++) {
      advance(1000);
      void live.tick();
      await flush();
    }
    expect(statsFlows(client)).toHaveLength(2);
  });

  it('a failed stats call says why the flow counts are old; the live figures stay current', async () => {
    const fr = router();
    let fail = false;
    const { live, advance } = setup({
      batch: (s) => (fr.step(), fr.batch(s)),
      stats: () => {
        if (fail) throw new TimeoutError(5000, 'luci.offload', 'stats');
        return fr.stats();
      },
    });
    await live.tick();
    fail = true;
    advance(5000);
    await live.tick();
    const s = live.store.get();
    expect(s.flowsError).toBe('No answer from the router within 5 s.');
    expect(s.stale).toBeNull();
    expect(s.latest).not.toBeNull();
  });

  it('in the fallback a failed stats call marks the data stale', async () => {
    let fail = false;
    const { live, advance } = setup({
      batch: (s) => s.map(() => rejected(new UbusError(6, 'file', 'read'))),
      stats: () => {
        if (fail) throw new HttpError(503, 'luci.offload', 'stats');
        return statsFixture(50_000);
      },
    });
    await live.tick();
    fail = true;
    advance(1000);
    await live.tick();
    expect(live.store.get().stale).toEqual({ since: WALL0, reason: 'The router answered with HTTP status 503.' });
    expect(live.store.get().lost).toEqual({ since: WALL0 });
  });

  it('stats refused after it worked is a session expiry: no stale or flow notice on top', async () => {
    const fr = router();
    let denied = false;
    const { live, session, advance } = setup({
      batch: (s) => (fr.step(), fr.batch(s)),
      stats: () => {
        if (denied) throw new JsonRpcError(-32002, 'Access denied', 'luci.offload', 'stats');
        return fr.stats();
      },
    });
    await live.tick();
    denied = true;
    advance(5000);
    await live.tick();
    expect(session.store.get().phase).toBe('expired');
    expect(live.store.get().flowsError).toBeNull();
    expect(live.store.get().stale).toBeNull();
  });

  it('in the fallback, stats denied to this user marks the data stale and says so', async () => {
    const denied = new JsonRpcError(-32002, 'Access denied', 'luci.offload', 'stats');
    const { live, session, advance } = setup({
      batch: (s) => s.map(() => rejected(new UbusError(6, 'file', 'read'))),
      stats: () => {
        throw denied;
      },
    });
    await live.tick();
    expect(live.store.get().flowsError).toBe(describeError(denied));
    advance(1000);
    await live.tick();
    expect(session.store.get().phase).toBe('ready');
    expect(live.store.get().stale?.reason).toBe(describeError(denied));
  });
});

describe('answers, notices and the chart\'s time', () => {
  it('sends at most two file polls to a router that does not answer', async () => {
    const fr = router();
    const pending: (() => void)[] = [];
    const { client, live, advance } = setup({
      batch: (s) => new Promise((res) => pending.push(() => res((fr.step(), fr.batch(s))))),
      stats: () => fr.stats(),
    });
    for (let i = 0; i < 4; i++) {
      void live.tick();
      await flush();
      advance(1000);
    }
    expect(client.batch).toHaveBeenCalledTimes(2);
    pending.shift()!();
    await flush();
    void live.tick();
    await flush();
    expect(client.batch).toHaveBeenCalledTimes(3);
  });

  it('a repeated answer (same uptime) is not fresh data: the stale notice stays', async () => {
    const fr = router();
    let mode: 'ok' | 'fail' | 'same' = 'ok';
    const { live, advance } = setup({
      batch: (s) => {
        if (mode === 'fail') throw new TimeoutError(5000, 'file', 'read');
        if (mode === 'ok') fr.step();
        return fr.batch(s);
      },
      stats: () => fr.stats(),
    });
    await live.tick();
    advance(1000);
    await live.tick();
    mode = 'fail';
    advance(1000);
    await live.tick();
    mode = 'same';
    advance(1000);
    await live.tick();
    expect(live.store.get().stale?.reason).toBe('No answer from the router within 5 s.');
    expect(live.dropped).toBe(1);
  });

  it('places each restart after the old segment by the time that passed, and the new points after it', async () => {
    const fr = router();
    let down = false;
    const { live, advance } = setup({
      batch: (s) => {
        if (down) throw new HttpError(0, 'file', 'read');
        fr.step();
        return fr.batch(s);
      },
      stats: () => fr.stats(),
    });
    const beats = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) {
        advance(1000);
        await live.tick();
      }
    };
    await live.tick(); // uptime 101 s at t = 0
    await beats(2); // 102, 103 s
    expect(live.history.t).toEqual([102_000, 103_000]);
    down = true;
    await beats(4);
    down = false;
    fr.r.t = 20_000; // rebooted: 21 s of uptime at the next answer, 5 s after the last one
    await beats(2);
    expect(live.history.markers).toEqual([{ t: 108_000, label: 'Router restarted' }]);
    // the first answer after the restart starts the segment (no rate across it), the second is a point
    expect(live.history.t).toEqual([102_000, 103_000, 108_000, 109_000]);
    expect(live.store.get().latest?.wanRx).toBe(8e6);
    down = true;
    await beats(2);
    down = false;
    fr.r.t = 5_000; // a second restart: 6 s of uptime, 3 s after the last answer
    await beats(2);
    expect(live.history.markers.map((m) => m.t)).toEqual([108_000, 112_000]);
    expect(live.history.t.slice(-2)).toEqual([112_000, 113_000]);
  });

  it.each([
    ['a timeout', new TimeoutError(5000, 'file', 'read'), true],
    ['a network error', new HttpError(0, 'file', 'read'), true],
    ['a 502 gateway error', new HttpError(502, 'file', 'read'), true],
    ['a 503', new HttpError(503, 'file', 'read'), true],
    ['a 504', new HttpError(504, 'file', 'read'), true],
    ['a 500', new HttpError(500, 'file', 'read'), false],
    ['a ubus error', new UbusError(7, 'file', 'read'), false],
  ] as const)('%s: the router is lost = %s', async (_what, err, lost) => {
    const fr = router();
    let fail = false;
    const { live, advance } = setup({
      batch: (s) => {
        if (fail) throw err;
        fr.step();
        return fr.batch(s);
      },
      stats: () => fr.stats(),
    });
    await live.tick();
    fail = true;
    advance(3000);
    await live.tick();
    expect(live.store.get().stale).toEqual({ since: WALL0, reason: describeError(err) });
    expect(live.store.get().lost).toEqual(lost ? { since: WALL0 } : null);
  });

  it('the stale time is the wall-clock time of the last answer, by default from Date.now()', async () => {
    let mono = 0;
    vi.spyOn(Date, 'now').mockReturnValue(WALL0);
    const { live } = setup({ batch: () => Promise.reject(new TimeoutError(5000, 'file', 'read')) }, { now: () => mono, wall: undefined });
    mono = 7000;
    await live.tick();
    expect(live.store.get().stale?.since).toBe(WALL0 - 7000);
  });

  it('a mode-change marker goes at the newest point and redraws; with no points there is none', async () => {
    const { live, advance } = running();
    live.mark('Software offloading');
    expect(live.history.markers).toEqual([]);
    await live.tick();
    advance(1000);
    await live.tick();
    live.mark('Software offloading');
    expect(live.history.markers).toEqual([{ t: 102_000, label: 'Software offloading' }]);
    expect(live.store.get().version).toBe(live.history.version);
  });
});

describe('pausing', () => {
  it('inside a running LuCI loop: polls at once on start, on LuCI\'s interval', async () => {
    const { poll, step } = luciLoop();
    const { client, live } = running(undefined, {}, { poll, pollMs: 2000 });
    live.start();
    live.start();
    await flush();
    expect(poll.add).toHaveBeenCalledTimes(1);
    expect(poll.add).toHaveBeenCalledWith(expect.any(Function), 2);
    expect(client.batch).toHaveBeenCalledTimes(1);
    await step();
    expect(client.batch).toHaveBeenCalledTimes(2);
    expect(live.store.get().paused).toBeNull();
    live.setLuciPaused(true);
    expect(live.store.get().paused).toBe('luci');
  });

  it('started while LuCI\'s polling is paused: says so and sends nothing until it runs again', async () => {
    const { poll, state } = luciLoop(false);
    const { client, live } = running(undefined, {}, { poll });
    live.start();
    await flush();
    expect(live.store.get().paused).toBe('luci');
    expect(client.batch).not.toHaveBeenCalled();
    state.on = true;
    live.setLuciPaused(false);
    expect(live.store.get().paused).toBeNull();
  });

  it('inside LuCI: a hidden tab polls at once when shown, on LuCI\'s loop and no own timer', async () => {
    vi.useFakeTimers();
    const { poll, state, step } = luciLoop();
    const { client, live } = running(undefined, {}, { poll });
    live.setHidden(true);
    live.setHidden(false);
    await settle();
    expect(client.batch).not.toHaveBeenCalled(); // not started yet
    live.start();
    await vi.advanceTimersByTimeAsync(10);
    live.setHidden(true);
    expect(live.store.get().paused).toBe('hidden');
    live.setHidden(false);
    await vi.advanceTimersByTimeAsync(10);
    expect(live.store.get().paused).toBeNull();
    expect(client.batch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(5000);
    expect(client.batch).toHaveBeenCalledTimes(2);
    state.on = false; // LuCI paused, then the tab hidden and shown
    live.setLuciPaused(true);
    live.setHidden(true);
    live.setHidden(false);
    await vi.advanceTimersByTimeAsync(10);
    expect(client.batch).toHaveBeenCalledTimes(2);
    expect(live.store.get().paused).toBe('luci');
    state.on = true;
    live.setLuciPaused(false);
    await step();
    expect(client.batch).toHaveBeenCalledTimes(3);
  });

  it('a visibility event or poll-start that changes nothing sends nothing extra and keeps the rates', async () => {
    const { poll, step } = luciLoop();
    const { client, live, advance } = running(undefined, {}, { poll });
    live.start();
    await flush();
    advance(1000);
    await step();
    live.setHidden(false);
    live.setLuciPaused(false);
    await flush();
    advance(1000);
    await step();
    expect(client.batch).toHaveBeenCalledTimes(3);
    expect(statsFlows(client)).toHaveLength(1);
    expect(live.history.length).toBe(2);
  });

  it('the own timer ignores LuCI\'s pause', async () => {
    vi.useFakeTimers();
    const { client, live } = running(undefined, {}, { now: () => Date.now() });
    live.start();
    live.setLuciPaused(true);
    expect(live.store.get().paused).toBeNull();
    await vi.advanceTimersByTimeAsync(2010);
    expect(client.batch).toHaveBeenCalledTimes(3);
    live.stop();
  });

  it.each(['tab', 'luci'] as const)('after a pause (%s): flow counts refreshed once, and no figure averaged over the pause', async (how) => {
    const { poll, state, step, start } = luciLoop();
    const { fr, client, live, advance } = running(undefined, {}, { poll });
    live.start();
    await flush();
    advance(1000);
    await step();
    expect(live.history.length).toBe(1);
    if (how === 'tab') live.setHidden(true);
    else (state.on = false), live.setLuciPaused(true);
    fr.r.load = 100; // the router is busy while nobody looks
    fr.step();
    fr.step();
    fr.r.load = 40;
    advance(3000);
    if (how === 'tab') live.setHidden(false); // polls at once
    else await start(live);
    await flush();
    expect(live.history.t).toEqual([102_000]);
    advance(1000);
    await step();
    // once within the first two beats (3 s after the last refresh, so not yet due on their own)
    expect(statsFlows(client)).toEqual([true, true]);
    expect(live.history.last).toBe(106_000);
    expect(live.store.get().latest?.busy).toBeCloseTo(40, 5);
  });

  it('the own timer: not before start, not while hidden, at once when shown, never after stop', async () => {
    vi.useFakeTimers();
    const { client, live } = running(undefined, {}, { now: () => Date.now() });
    live.setHidden(true);
    live.setHidden(false);
    await vi.advanceTimersByTimeAsync(3000);
    expect(client.batch).not.toHaveBeenCalled();
    live.setHidden(true);
    live.start();
    await vi.advanceTimersByTimeAsync(3000);
    expect(client.batch).not.toHaveBeenCalled();
    live.setHidden(false);
    await vi.advanceTimersByTimeAsync(10);
    expect(client.batch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(3000);
    expect(client.batch).toHaveBeenCalledTimes(4);
    live.stop();
    live.setHidden(true);
    live.setHidden(false);
    await vi.advanceTimersByTimeAsync(3000);
    expect(client.batch).toHaveBeenCalledTimes(4);
  });
});
