/**
 * The live view's polling loop.
 *
 * Every second ONE JSON-RPC batch of four rpcd `file.read` calls (uptime,
 * /proc/stat, conntrack count, /proc/net/dev for every device's byte counters)
 * — no process starts on the router, and the batch does not grow with the
 * devices: real uhttpd starts each batch member on a 1 ms timer (issue 17). A
 * WAN or LAN device that /proc/net/dev lacks (rpcd reads a proc file once, 4096
 * bytes, so a router with dozens of devices gets it cut) or all of them while
 * /proc/net/dev cannot be read are read from their sysfs rx/tx files from the
 * next beat on. Every 5 s `luci.offload stats {flows:true}` refreshes
 * the flow counts and the device list. When `file.read` is not permitted the
 * loop polls `stats` every second instead. A failed poll marks the data stale;
 * the loop keeps going and recovers by itself. A poll answered with a lower
 * uptime than the one before is a router restart (or a counter reset): the
 * chart starts a new, marked segment instead of waiting for the old uptime.
 *
 * The loop runs on its own 1 s timer, or inside LuCI on LuCI's poll loop, so
 * LuCI's "pause" pauses it; it sends nothing while the tab is hidden (Page
 * Visibility) and polls at once when the tab is shown again (issue 17).
 */
import type { ConntrackCounts, CountersInfo, DeviceRole, StatsResult } from '../../../rpcd/src/api/contract';
import type { CallSpec } from '../client';
import { isAccessDenied, isHttpError, isTimeoutError, isUbusError, RpcError } from '../client';
import { describeError } from '../lib/errors';
import { History } from '../lib/history';
import { t, fmt } from '../lib/i18n';
import { counterPaths, derivePoint, has, NET_DEV, netDevCounters, rolesOf, sampleFromFiles, sampleFromStats, type Point, type Sample } from '../lib/sample';
import { Store } from './store';
import type { SessionModel } from './SessionModel';
import type { OffloadClient, PollControl } from './types';

export interface LiveState {
  latest: Point | null;
  /** Flow counts from the last `stats {flows:true}`. */
  flows: ConntrackCounts | null;
  /** Tracked connections from the last sample (nf_conntrack_count). */
  conntrack: number | null;
  devices: { device: string; role: DeviceRole }[];
  /** Set while polls fail: since when (wall clock, ms) and why. */
  stale: { since: number; reason: string } | null;
  /** Set while the router does not answer at all (network error, timeout, gateway error): since when (wall clock, ms). */
  lost: { since: number } | null;
  /** Why the flow counts are not current, or null. */
  flowsError: string | null;
  /** Why some device counters could not be read (throughput incomplete), or null. */
  countersError: string | null;
  /**
   * Which counters the throughput comes from and whether hardware-offloaded traffic bypasses them,
   * from the last `stats {flows:true}` (only a flow scan knows whether flows are in hardware).
   */
  counters: CountersInfo | null;
  /** 'files': file.read batches; 'stats': the fallback. */
  source: 'files' | 'stats';
  /** The history's version, so subscribers redraw. */
  version: number;
  /** Why polling is paused: the tab is hidden, or LuCI's polling is paused; null while it runs. */
  paused: 'hidden' | 'luci' | null;
}

export interface LiveOptions {
  pollMs?: number;
  statsEveryMs?: number;
  timeoutMs?: number;
  /** Monotonic clock in ms (intervals only). */
  now?: () => number;
  /** Wall clock in ms, for the times shown ("since 12:03:04"). */
  wall?: () => number;
  /** LuCI's poll loop: run on it instead of an own timer. */
  poll?: PollControl | undefined;
}

const PROC_STAT = '/proc/stat';
const UPTIME = '/proc/uptime';
const CT_COUNT = '/proc/sys/net/netfilter/nf_conntrack_count';
/** Device names the live view reads counters of (Linux IFNAMSIZ, no path tricks). */
const DEVICE_NAME = /^(?!\.\.?$)[A-Za-z0-9_.@:+-]{1,15}$/;
/** At most this many file polls in flight: a slow router is not flooded. */
const MAX_IN_FLIGHT = 2;

const read = (path: string): CallSpec => ({ object: 'file', method: 'read', args: { path } });

export class LiveModel {
  readonly history = new History();
  readonly store: Store<LiveState>;
  private timer: ReturnType<typeof setInterval> | null = null;
  private started = false;
  private hidden = false;
  private luciPaused = false;
  /** The next sample follows a pause: it starts the rates again instead of averaging over the pause. */
  private afterPause = false;
  private beats = 0;
  private readonly poll: PollControl | undefined;
  private readonly beat = (): void => {
    this.beats++;
    void this.tick();
  };
  private last: Sample | null = null;
  private roles: Record<string, DeviceRole> = {};
  /** Devices the last /proc/net/dev reading lacked: read from sysfs. */
  private viaSysfs = new Set<string>();
  private inFlight = 0;
  private statsInFlight = false;
  private lastStatsAt = -Infinity;
  private lastOkAt: number;
  /** Polls are numbered when sent; an answer to an older poll than the last one taken is late. */
  private sent = 0;
  private taken = 0;
  /** Added to the router's uptime for the chart's time, raised at every restart. */
  private offset = 0;
  private readonly pollMs: number;
  private readonly statsEveryMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly wall: () => number;
  /** Samples dropped because an older answer arrived after a newer one (for tests). */
  dropped = 0;

  constructor(private client: OffloadClient, private session: SessionModel, o: LiveOptions = {}) {
    this.pollMs = o.pollMs ?? 1000;
    this.statsEveryMs = o.statsEveryMs ?? 5000;
    this.timeoutMs = o.timeoutMs ?? 5000;
    this.poll = o.poll;
    // Monotonic: intervals only. A wall clock set back by NTP would hold the stats poll for as long (issue 14).
    this.now = o.now ?? (() => performance.now());
    this.wall = o.wall ?? (() => Date.now());
    this.lastOkAt = this.now();
    this.store = new Store<LiveState>({
      latest: null, flows: null, conntrack: null, devices: [], stale: null, lost: null, flowsError: null, countersError: null, counters: null, source: 'files', version: 0, paused: null,
    });
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    if (this.poll) {
      const n = this.beats;
      this.poll.add(this.beat, Math.max(1, Math.round(this.pollMs / 1000)));
      // Adding starts LuCI's loop (and runs us at once) unless the user paused it.
      if (!this.poll.active()) this.setLuciPaused(true);
      else if (this.beats === n) this.beat();
      return;
    }
    this.run();
  }

  stop(): void {
    this.started = false;
    if (this.poll) this.poll.remove(this.beat);
    this.halt();
  }

  /** Page Visibility: nothing is sent while hidden; shown again, it polls at once. */
  setHidden(hidden: boolean): void {
    if (hidden === this.hidden) return;
    this.hidden = hidden;
    if (hidden) this.halt();
    else {
      this.resumed();
      if (!this.poll) this.run();
      else if (this.started && this.poll.active()) this.beat();
    }
    this.showPaused();
  }

  /** LuCI's poll loop stopped (`poll-stop`) or started again (`poll-start`, which runs us at once). */
  setLuciPaused(paused: boolean): void {
    if (!this.poll || paused === this.luciPaused) return;
    this.luciPaused = paused;
    if (!paused) this.resumed();
    this.showPaused();
  }

  private run(): void {
    if (this.timer || !this.started || this.hidden) return;
    this.timer = setInterval(this.beat, this.pollMs);
    this.beat();
  }

  private halt(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private resumed(): void {
    // (Before the first sample there is no rate to break either: the first sample never makes a point.)
    this.afterPause = true;
    this.lastStatsAt = -Infinity;
  }

  private showPaused(): void {
    this.store.set({ paused: this.hidden ? 'hidden' : this.luciPaused ? 'luci' : null });
  }

  /** Mark a mode change at the newest sample. */
  mark(label: string): void {
    if (this.history.length) {
      this.history.mark(this.history.last, label);
      this.store.set({ version: this.history.version });
    }
  }

  /** One beat of the loop (the timer calls it; tests call it directly). */
  async tick(): Promise<void> {
    // (LuCI's pause needs no check: its loop stops calling, and it runs us before it announces poll-start.)
    if (!this.session.ready || this.hidden) return;
    // Half a beat of tolerance: a timer firing a little early must not push the call to the next beat.
    const statsDue = this.now() - this.lastStatsAt >= this.statsEveryMs - this.pollMs / 2;
    if (this.store.get().source === 'stats') {
      await this.pollStats(statsDue);
      return;
    }
    const stats = statsDue ? this.pollStats(true) : null;
    if (stats && !Object.keys(this.roles).length) await stats; // first beat: learn the devices first
    await Promise.all([stats, this.pollFiles()]);
  }

  private async pollFiles(): Promise<void> {
    if (this.inFlight >= MAX_IN_FLIGHT) return;
    this.inFlight++;
    const seq = ++this.sent;
    const devs = Object.keys(this.roles).filter((d) => DEVICE_NAME.test(d));
    const sysfs = devs.filter((d) => this.viaSysfs.has(d));
    const specs = [read(UPTIME), read(PROC_STAT), read(CT_COUNT), read(NET_DEV)];
    for (const d of sysfs) {
      const p = counterPaths(d);
      specs.push(read(p.rx), read(p.tx));
    }
    try {
      const res = await this.client.batch(specs, { timeoutMs: this.timeoutMs });
      const text = (i: number): string | null => {
        // Only a fulfilled read has a value (a rejected one has a reason): its text data, or null.
        const data = (res[i] as { value?: { data?: unknown } | null } | undefined)?.value?.data;
        return typeof data === 'string' ? data : null;
      };
      // Time and CPU are required; the counters and the count are best effort.
      for (const i of [0, 1]) {
        const r = res[i];
        if (r && r.status === 'rejected') {
          const e = r.reason as unknown;
          const kind = await this.session.check('file.read', e);
          if (kind === 'expired') return;
          if (kind === 'denied' || (isUbusError(e) && e.status === 6)) {
            this.store.set({ source: 'stats' });
            this.lastStatsAt = -Infinity;
            return;
          }
          throw e;
        }
      }
      this.session.succeeded('file.read');
      const netdev = text(3);
      const listed = netDevCounters(netdev);
      this.viaSysfs = new Set(devs.filter((d) => !has(listed, d)));
      const counters: Record<string, { rx: string | null; tx: string | null }> = {};
      sysfs.forEach((d, i) => (counters[d] = { rx: text(4 + 2 * i), tx: text(5 + 2 * i) }));
      const sample = sampleFromFiles({ uptime: text(0), stat: text(1), conntrack: text(2), netdev, devices: devs, counters });
      if (!sample) throw new RpcError(t('The router sent unreadable CPU or uptime data.'), 'file', 'read');
      // Counters are best effort, but a missing one is said, not hidden.
      const bad = sysfs.findIndex((_d, i) => res[4 + 2 * i]?.status === 'rejected' || res[5 + 2 * i]?.status === 'rejected');
      const why = bad < 0 ? null : (res[4 + 2 * bad]?.status === 'rejected' ? res[4 + 2 * bad] : res[5 + 2 * bad]) as PromiseRejectedResult;
      this.accept(sample, seq, why ? fmt(t('The counters of %s could not be read: %s'), sysfs[bad] as string, describeError(why.reason)) : null);
    } catch (e) {
      this.fail(e);
    } finally {
      this.inFlight--;
    }
  }

  private async pollStats(withFlows: boolean): Promise<void> {
    if (this.statsInFlight) return;
    this.statsInFlight = true;
    // From the send time: set at the reply, the fifth 1 s beat just missed the 5 s and it ran every 6 s (issue 17).
    if (withFlows) this.lastStatsAt = this.now();
    const fallback = this.store.get().source === 'stats';
    const seq = ++this.sent;
    try {
      const r: StatsResult = await this.client.call('stats', { flows: withFlows }, { timeoutMs: this.timeoutMs });
      this.session.succeeded('luci.offload.stats');
      this.roles = rolesOf(r.devices);
      const patch: Partial<LiveState> = { devices: r.devices.map((d) => ({ device: d.device, role: d.role })) };
      if (withFlows) {
        patch.flows = r.conntrack;
        patch.flowsError = r.conntrack.error;
        patch.counters = r.counters;
      }
      this.store.set(patch);
      if (fallback) this.accept(sampleFromStats(r), seq);
    } catch (e) {
      if ((await this.session.check('luci.offload.stats', e)) === 'expired') return;
      if (fallback) this.fail(e);
      else this.store.set({ flowsError: describeError(e) });
    } finally {
      this.statsInFlight = false;
    }
  }

  /**
   * Take a sample unless an answer to a later poll already arrived. A later
   * poll whose uptime went back means the router restarted: the old counters
   * are gone, so the sample starts a new segment (no rate from across the
   * restart) placed after the old one by the time that passed here.
   */
  private accept(s: Sample, seq: number, countersError: string | null = null): void {
    let prev = this.last;
    if (seq < this.taken || (prev && s.t === prev.t)) {
      this.dropped++;
      return;
    }
    const now = this.now();
    if (prev && s.t < prev.t) {
      const at = prev.t + this.offset + Math.max(now - this.lastOkAt, 1);
      this.offset = at - s.t;
      this.history.split(at, t('Router restarted'));
      prev = null;
    }
    if (this.afterPause) {
      this.afterPause = false;
      prev = null;
    }
    this.taken = seq;
    this.last = s;
    this.lastOkAt = now;
    const point = prev ? derivePoint(prev, s, this.roles) : null;
    const patch: Partial<LiveState> = { stale: null, lost: null, countersError, conntrack: s.conntrack ?? this.store.get().conntrack, version: this.history.version };
    if (point && this.history.push({ ...point, t: point.t + this.offset })) {
      patch.latest = point;
      patch.version = this.history.version;
    }
    this.store.set(patch);
  }

  private fail(e: unknown): void {
    if (isAccessDenied(e) && !this.session.ready) return;
    const cur = this.store.get();
    // The monotonic time of the last answer, told as wall-clock time.
    const since = cur.stale?.since ?? this.wall() - (this.now() - this.lastOkAt);
    this.store.set({
      stale: { since, reason: describeError(e) },
      // (lost is only ever set together with stale, so its time is the stale time.)
      lost: unreachable(e) ? { since } : null,
    });
  }
}

/** No answer from the router at all (as opposed to an answer that is an error). */
export function unreachable(e: unknown): boolean {
  return isTimeoutError(e) || (isHttpError(e) && (e.status === 0 || e.status === 502 || e.status === 503 || e.status === 504));
}
