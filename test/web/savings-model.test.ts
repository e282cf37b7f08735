/** The savings model (issue 16 #2): windows from live points, kept per router, and the guided A/B that always restores the original mode. */
import { describe, expect, it } from 'vitest';
import type { Mode } from '../../rpcd/src/api/contract';
import { Store } from '../../web/src/models/store';
import { StatusModel } from '../../web/src/models/StatusModel';
import { SessionModel } from '../../web/src/models/SessionModel';
import { AB_WINDOWS, SETTLE_POINTS, SavingsModel, routerKey, savingsFor } from '../../web/src/models/SavingsModel';
import type { Point } from '../../web/src/lib/sample';
import type { LiveState } from '../../web/src/models/LiveModel';
import { createMockClient, flush } from './mock-client';
import { setFixture, statusFixture } from './fixtures';

class MemStorage {
  m = new Map<string, string>();
  getItem(k: string): string | null {
    return this.m.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.m.set(k, v);
  }
  removeItem(k: string): void {
    this.m.delete(k);
  }
}

/** CPU per mode as the simulator models it (busy %, softirq % of 2 cores at 400 Mbit/s). */
const CPU: Record<Mode, [number, number]> = { off: [40, 30], software: [18, 12], hardware: [4, 1] };

function rig(o: { mode?: Mode; storage?: MemStorage; setFails?: Mode[]; readonly?: boolean; holdSet?: boolean } = {}) {
  let configured: Mode = o.mode ?? 'off';
  const sets: Mode[] = [];
  let release: (() => void) | null = null;
  const client = createMockClient({
    status: () => statusFixture({}, configured),
    set: async ({ mode }) => {
      sets.push(mode);
      if (o.holdSet) await new Promise<void>((r) => (release = r));
      if (o.setFails?.includes(mode)) throw new Error('reload failed');
      configured = mode;
      return setFixture(mode);
    },
  });
  const session = new SessionModel(client, { standalone: false, readonly: o.readonly === true });
  const status = new StatusModel(client, session);
  const live = { store: new Store<Pick<LiveState, 'latest' | 'counters'>>({ latest: null, counters: null }) };
  const timers: { fn: () => void; ms: number; on: boolean }[] = [];
  const storage = o.storage ?? new MemStorage();
  const model = new SavingsModel({
    live, status, session, storage,
    setTimer: (fn, ms) => {
      const h = { fn, ms, on: true };
      timers.push(h);
      return h;
    },
    clearTimer: (h) => ((h as { on: boolean }).on = false),
  });
  const phases: string[] = [];
  model.store.subscribe(() => {
    const p = model.store.get().ab.phase;
    if (phases[phases.length - 1] !== p) phases.push(p);
  });
  let t = 5_000_000;
  /** `n` one-second points at `mbit` with the CPU of the running mode. */
  const pump = async (n: number, mbit = 400): Promise<void> => {
    for (let i = 0; i < n; i++) {
      const m = status.store.get().status?.effective.mode ?? 'off';
      const [busy, soft] = CPU[m];
      const p: Point = { t: (t += 1000), busy, softirq: soft, cores: [{ busy, softirq: soft }, { busy, softirq: soft }], wanRx: mbit * 0.95e6, wanTx: mbit * 0.05e6, lanRx: null, lanTx: null };
      live.store.set({ latest: p });
      await flush(2);
    }
  };
  return { model, status, live, session, storage, sets, timers, pump, phases, configured: () => configured, release: () => release?.() };
}

/** Points until the A/B is in a phase (or `max` points). */
async function until(r: ReturnType<typeof rig>, phase: string, max = 200): Promise<void> {
  for (let i = 0; i < max && !r.phases.includes(phase); i++) await r.pump(1);
  expect(r.phases).toContain(phase);
}

describe('SavingsModel windows', () => {
  it('counts windows of the running mode after it settled, keeps them under the router identity, and a reload finds them', async () => {
    const r = rig();
    r.model.start();
    await r.status.load();
    await r.pump(SETTLE_POINTS + 1 + 30);
    const w = r.model.store.get().windows;
    expect(w.off).toHaveLength(3);
    expect(w.off[0]?.busy).toBeCloseTo(10 * 0.4 * 2, 6);
    const key = routerKey(statusFixture());
    expect(key).toBe('luci-offload-savings:xiaomi,mi-router-4a-gigabit|Xiaomi Mi Router 4A Gigabit Edition|ramips/mt7621');
    expect(r.storage.getItem(key)).toMatch(/^\{"v":1/);
    // Another page on the same browser: the same router finds its windows, another router none.
    const again = rig({ storage: r.storage });
    again.model.start();
    await again.status.load();
    expect(again.model.store.get().windows.off).toHaveLength(3);
    expect(again.model.reportLines().join('\n')).toMatch(/\| off \| 16\.0 \(16\.0–16\.0\) \| 12\.0 /);
    const other = new MemStorage();
    for (const [k, v] of r.storage.m) other.setItem(k.replace('ramips', 'x86'), v);
    const foreign = rig({ storage: other });
    foreign.model.start();
    await foreign.status.load();
    expect(foreign.model.store.get().windows.off).toHaveLength(0);
  });

  it('does not count the points right after a mode change nor those while applying', async () => {
    const r = rig();
    r.model.start();
    await r.status.load();
    await r.pump(SETTLE_POINTS + 1 + 9);
    expect(r.model.store.get().filling).toEqual({ mode: 'off', ms: 9000 });
    r.status.select('software');
    await r.status.apply();
    await r.pump(SETTLE_POINTS);
    expect(r.model.store.get().filling).toBeNull();
    await r.pump(11);
    expect(r.model.store.get().windows.off).toHaveLength(0);
    expect(r.model.store.get().windows.software).toHaveLength(1);
  });
  it('under hardware offload counts the switch figure while hardware flows bypass the netdev counters, and no window without it', async () => {
    const r = rig({ mode: 'hardware' });
    r.model.start();
    await r.status.load();
    const hw = { source: 'switch-mib' as const, ports: ['wan'], counters: 'RxBytes/TxBytes', rx_bytes: 0, tx_bytes: 0, rx_bps: null as number | null, tx_bps: null as number | null, interval_ms: null };
    r.live.store.set({ counters: { source: 'netdev', misses_hw: true, roles: 'netifd', hw } });
    await r.pump(SETTLE_POINTS + 1 + 30, 8); // the netdev counters see 8 Mbit/s of it
    expect(r.model.store.get().windows.hardware).toHaveLength(0);
    r.live.store.set({ counters: { source: 'netdev', misses_hw: true, roles: 'netifd', hw: { ...hw, rx_bps: 380e6, tx_bps: 20e6, interval_ms: 5000 } } });
    await r.pump(21, 8);
    const w = r.model.store.get().windows.hardware;
    expect(w).toHaveLength(2);
    expect(w[0]?.bytes).toBeCloseTo(10 * 50e6, -3); // 400 Mbit/s from the switch, not the 8 of the netdev counters
  });
});

describe('SavingsModel A/B', () => {
  it('measures the original mode, switches through the apply path, measures, switches back and shows the comparison', async () => {
    const r = rig();
    r.model.start();
    await r.status.load();
    r.model.ask();
    expect(r.model.store.get().ab.phase).toBe('confirm');
    const done = r.model.run();
    expect(r.model.store.get().ab).toMatchObject({ phase: 'measure', original: 'off', other: 'software', measuring: 'off' });
    await until(r, 'switch');
    expect(r.model.store.get().windows.off.length).toBe(AB_WINDOWS);
    await until(r, 'done');
    await done;
    expect(r.phases).toEqual(['idle', 'confirm', 'measure', 'switch', 'measure', 'restore', 'done']);
    const ab = r.model.store.get().ab;
    expect(r.sets).toEqual(['software', 'off']);
    expect(r.configured()).toBe('off');
    expect(ab.restored).toBe(true);
    expect(ab.result?.from.mode).toBe('off');
    expect(ab.result?.to.mode).toBe('software');
    expect(ab.result?.busyChange).toBeCloseTo(-55, 0);
    expect(r.storage.getItem(routerKey(statusFixture()) + ':ab')).toBeNull();
  });

  it('aborts and restores the original mode when the traffic stops while the other mode is measured', async () => {
    const r = rig();
    r.model.start();
    await r.status.load();
    const done = r.model.run();
    await until(r, 'measure'); // already
    await until(r, 'switch');
    for (let i = 0; i < 60 && r.configured() !== 'software'; i++) await flush();
    await r.pump(SETTLE_POINTS + 3);
    await r.pump(25, 0.5); // a trickle: within 20 s a whole window is quiet
    await done;
    const ab = r.model.store.get().ab;
    expect(ab.phase).toBe('aborted');
    expect(ab.reason).toMatch(/traffic stopped/);
    expect(r.sets).toEqual(['software', 'off']);
    expect(r.configured()).toBe('off');
    expect(ab.restored).toBe(true);
  });

  it('a cancel while measuring the original mode changes nothing; a cancel during the switch restores the original mode', async () => {
    const r = rig({ mode: 'software' });
    r.model.start();
    await r.status.load();
    const done = r.model.run();
    await r.pump(3);
    r.model.cancel();
    await done;
    expect(r.model.store.get().ab).toMatchObject({ phase: 'aborted', reason: 'You cancelled the measurement.', restored: true });
    expect(r.sets).toEqual([]);

    const h = rig({ holdSet: true });
    h.model.start();
    await h.status.load();
    const d2 = h.model.run();
    await until(h, 'switch');
    await flush();
    h.model.cancel();
    h.release();
    for (let i = 0; i < 20 && h.sets.length < 2; i++) await flush();
    h.release();
    await d2;
    expect(h.sets).toEqual(['software', 'off']);
    expect(h.configured()).toBe('off');
    expect(h.model.store.get().ab).toMatchObject({ phase: 'aborted', restored: true, reason: 'You cancelled the measurement.' });
  });

  it('aborts when no usable figures arrive (the deadline), and when the switch fails, the original mode stays', async () => {
    const r = rig();
    r.model.start();
    await r.status.load();
    const done = r.model.run();
    await r.pump(2);
    r.timers.filter((x) => x.on).forEach((x) => x.fn());
    await done;
    expect(r.model.store.get().ab.reason).toMatch(/No usable figures/);
    expect(r.sets).toEqual([]);

    const f = rig({ setFails: ['software'] });
    f.model.start();
    await f.status.load();
    const d2 = f.model.run();
    await until(f, 'aborted');
    await d2;
    // the apply's own error is the reason (in the kernel guest: fw4's reload timed out and was restored)
    expect(f.model.store.get().ab).toMatchObject({ restored: true });
    expect(f.model.store.get().ab.reason).toMatch(/^Could not apply Software: .*reload failed/);
    expect(f.configured()).toBe('off');
  });

  it('a page left mid-measurement: the next load restores the original mode it recorded', async () => {
    const storage = new MemStorage();
    storage.setItem(routerKey(statusFixture()) + ':ab', 'off');
    const r = rig({ mode: 'software', storage });
    r.model.start();
    await r.status.load();
    for (let i = 0; i < 20 && r.model.store.get().ab.phase !== 'aborted'; i++) await flush();
    expect(r.sets).toEqual(['off']);
    expect(r.model.store.get().ab).toMatchObject({ phase: 'aborted', restored: true });
    expect(storage.getItem(routerKey(statusFixture()) + ':ab')).toBeNull();
  });

  it('a read-only user cannot start it', async () => {
    const r = rig({ readonly: true });
    r.model.start();
    await r.status.load();
    await r.model.run();
    expect(r.model.store.get().ab.phase).toBe('idle');
  });
});

describe('savingsFor', () => {
  it('gives one model per panel, whose report lines the diagnostics report can append', async () => {
    const r = rig();
    const app = { live: r.live, status: r.status, session: r.session };
    const m = savingsFor(app);
    expect(savingsFor(app)).toBe(m);
    expect(savingsFor({ ...app })).not.toBe(m);
    m.start();
    await r.status.load();
    expect(m.reportLines()).toEqual([
      '### CPU cost per traffic, measured in this browser',
      '',
      'Not enough traffic yet (needs 3 windows of 10 s with at least 25 MB through WAN in a mode).',
    ]);
    m.stop();
  });
});
