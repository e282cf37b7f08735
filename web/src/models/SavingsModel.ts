/**
 * What offload saved here (issue 16 #2): collects the live view's points into
 * windows per running mode (lib/savings), keeps them in the browser's storage
 * under the router's identity, and runs the guided A/B measurement.
 *
 * The A/B measures the running mode while the user's traffic runs, applies the
 * other mode through the mode switch's own apply path, measures again and
 * applies the original mode again. Whatever ends it — done, cancelled, traffic
 * stopped, no figures, a failed switch — it ends by restoring the original
 * mode; a page left mid-way leaves a marker, and the next load restores it.
 */
import type { Mode, StatusResult } from '../../../rpcd/src/api/contract';
import type { Point } from '../lib/sample';
import { modeName } from '../lib/describe';
import { t, fmt } from '../lib/i18n';
import {
  addWindow, compareModes, modeFigure, parseSaved, savingsReportLines, serializeSaved, stepWindow, throughputOf,
  WINDOW_MS, type Accumulator, type Comparison, type Window, type Windows,
} from '../lib/savings';
import { Store } from './store';
import type { LiveState } from './LiveModel';
import type { StatusState } from './StatusModel';

/** Points skipped after the running mode changes: flows move to the new path and `stats` (every 5 s) reports the new counters. */
export const SETTLE_POINTS = 6;
/** Windows the A/B measures per mode. */
export const AB_WINDOWS = 3;
/** A phase of the A/B that produces no window for this long has no usable figures: it aborts. */
export const AB_PHASE_MS = (AB_WINDOWS + 3) * WINDOW_MS;

export type AbPhase = 'idle' | 'confirm' | 'measure' | 'switch' | 'restore' | 'done' | 'aborted';

export interface AbState {
  phase: AbPhase;
  original: Mode | null;
  other: Mode | null;
  /** The mode being measured, and how many of its windows are in. */
  measuring: Mode | null;
  got: number;
  result: Comparison | null;
  /** Why it stopped early, in words. */
  reason: string | null;
  /** The original mode is running again (null until that is known). */
  restored: boolean | null;
}

export interface SavingsState {
  windows: Windows;
  /** The mode of the window being filled and how far it is, for "measuring…". */
  filling: { mode: Mode; ms: number } | null;
  ab: AbState;
}

type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface SavingsDeps {
  live: { store: Store<Pick<LiveState, 'latest' | 'counters'>> };
  status: { store: Store<StatusState>; select(m: Mode): void; apply(): Promise<void> };
  session: { store: Store<{ canWrite: boolean }> };
  storage?: StorageLike | null;
  /** Timers of the A/B deadline (tests pass fakes). */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (h: unknown) => void;
}

const IDLE: AbState = { phase: 'idle', original: null, other: null, measuring: null, got: 0, result: null, reason: null, restored: null };
const PREFIX = 'luci-offload-savings:';

/** The mode a status says is running, or null when it cannot be told (misconfigured, unknown, unsupported). */
function running(s: StatusResult | null): Mode | null {
  const st = s?.effective.state;
  return st === 'off' || st === 'software' || st === 'hardware' || st === 'hardware-fallback' ? (s as StatusResult).effective.mode : null;
}

/**
 * The storage key of a router: its board, model and target (status.system). Browser
 * storage is per origin already; this keeps two routers behind one address apart.
 */
export function routerKey(s: StatusResult): string {
  const y = s.system;
  return PREFIX + [y.board, y.model, y.target].map((x) => x ?? '?').join('|');
}

class Aborted extends Error {}

export class SavingsModel {
  readonly store = new Store<SavingsState>({ windows: { off: [], software: [], hardware: [] }, filling: null, ab: IDLE });
  private acc: Accumulator | null = null;
  private lastPoint: Point | null = null;
  private lastMode: Mode | null = null;
  private settle = SETTLE_POINTS;
  private key: string | null = null;
  private offs: (() => void)[] = [];
  /** The A/B's wait for windows of one mode. */
  private wait: { mode: Mode; wins: Window[]; done: (w: Window[]) => void; fail: (e: Error) => void; timer: unknown } | null = null;
  private cancelled = false;
  private readonly storage: StorageLike | null;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (h: unknown) => void;

  constructor(private d: SavingsDeps) {
    this.storage = d.storage ?? null;
    this.setTimer = d.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = d.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  start(): void {
    if (this.offs.length) return;
    this.offs.push(this.d.live.store.subscribe(() => this.onLive()), this.d.status.store.subscribe(() => this.onStatus()));
    this.onStatus();
  }

  stop(): void {
    for (const off of this.offs) off();
    this.offs = [];
  }

  /** The A/B is between its start and its end (a page leaving now should ask first). */
  get busy(): boolean {
    const p = this.store.get().ab.phase;
    return p === 'measure' || p === 'switch' || p === 'restore';
  }

  private onStatus(): void {
    const s = this.d.status.store.get().status;
    if (!s || this.key) return;
    this.key = routerKey(s);
    this.store.set({ windows: parseSaved(this.read(this.key)) });
    // A measurement the page was left in: its consent covered putting the original mode back.
    const marker = this.read(this.key + ':ab');
    if ((marker === 'off' || marker === 'software' || marker === 'hardware') && this.d.session.store.get().canWrite && !this.busy) {
      this.store.set({ ab: { ...IDLE, phase: 'restore', original: marker, reason: t('A measurement was interrupted before it ended (the page was left or reloaded).') } });
      void this.restore(marker).then((ok) => this.store.set({ ab: { ...this.store.get().ab, phase: 'aborted', restored: ok } }));
    }
  }

  private onLive(): void {
    const l = this.d.live.store.get();
    const p = l.latest;
    if (!p || p === this.lastPoint) return;
    this.lastPoint = p;
    const st = this.d.status.store.get();
    let mode = st.applying ? null : running(st.status);
    if (mode !== this.lastMode) {
      this.lastMode = mode;
      this.settle = SETTLE_POINTS;
    }
    if (this.settle > 0) {
      this.settle--;
      mode = null;
    }
    const r = stepWindow(this.acc, { t: p.t, mode, busy: p.busy, softirq: p.softirq, cores: p.cores.length, bps: throughputOf(p, l.counters) });
    this.acc = r.acc;
    const patch: Partial<SavingsState> = { filling: r.acc ? { mode: r.acc.mode, ms: r.acc.ms } : null };
    if (r.window) {
      patch.windows = addWindow(this.store.get().windows, r.window);
      if (this.key) this.write(this.key, serializeSaved(patch.windows));
    }
    this.store.set(patch);
    const w = this.wait;
    if (!w) return;
    if (r.quiet) this.fail(t('The traffic stopped: a 10 s window carried less than 25 MB through WAN.'));
    else if (r.window && r.window.mode === w.mode) {
      w.wins.push(r.window);
      this.setAb({ got: w.wins.length });
      if (w.wins.length >= AB_WINDOWS) {
        this.wait = null;
        this.clearTimer(w.timer);
        w.done(w.wins);
      }
    } else if (mode !== null && mode !== w.mode) this.fail(t('The running mode changed during the measurement.'));
  }

  /** Show the consent step. */
  ask(): void {
    if (!this.busy) this.setAb({ ...IDLE, phase: 'confirm' });
  }

  /** Leave the consent step or a finished result. */
  dismiss(): void {
    if (!this.busy) this.setAb(IDLE);
  }

  /** The mode the A/B would compare the running one with, or null when there is none. */
  otherMode(): Mode | null {
    const s = this.d.status.store.get().status;
    const m = s?.configured.mode;
    if (!s || !m) return null;
    if (m !== 'off') return 'off';
    return s.capabilities.software.available ? 'software' : null;
  }

  /** Run the A/B (after the user agreed). Resolves when it ended and the original mode is back. */
  async run(): Promise<void> {
    const st = this.d.status.store.get();
    const original = st.status?.configured.mode ?? null;
    const other = this.otherMode();
    if (this.busy || !original || !other || st.applying || !this.d.session.store.get().canWrite) return;
    this.cancelled = false;
    if (this.key) this.write(this.key + ':ab', original);
    this.setAb({ ...IDLE, phase: 'measure', original, other });
    let a: Window[] = [];
    let b: Window[] = [];
    let reason: string | null = null;
    try {
      a = await this.collect(running(st.status) ?? original);
      this.setAb({ phase: 'switch', measuring: null });
      this.d.status.select(other);
      await this.d.status.apply();
      if (this.cancelled) throw new Aborted(t('You cancelled the measurement.'));
      const now = this.d.status.store.get().status;
      if (now?.configured.mode !== other) {
        // the apply's own error says why (e.g. fw4 reload timed out and the config was restored)
        const o = this.d.status.store.get().outcome;
        throw new Aborted(o?.tone === 'error' ? o.message : fmt(t('The router could not switch to %s.'), modeName(other)));
      }
      this.setAb({ phase: 'measure' });
      b = await this.collect(running(now) ?? other);
    } catch (e) {
      reason = e instanceof Error ? e.message : String(e);
    }
    this.setAb({ phase: 'restore', measuring: null });
    const restored = await this.restore(original);
    const fa = modeFigure(a[0]?.mode ?? original, a);
    const fb = modeFigure(b[0]?.mode ?? other, b);
    const result = !reason && fa && fb ? (compareModes({ [fa.mode]: fa, [fb.mode]: fb })[0] ?? null) : null;
    this.setAb({ phase: reason || !result ? 'aborted' : 'done', reason: reason ?? (result ? null : t('The two modes could not be told apart by this router’s figures.')), result, restored });
  }

  /** Stop the A/B: the original mode is restored. */
  cancel(): void {
    if (!this.busy) return;
    this.cancelled = true;
    this.fail(t('You cancelled the measurement.'));
  }

  /** Forget this router's windows. */
  forget(): void {
    this.acc = null;
    this.store.set({ windows: { off: [], software: [], hardware: [] }, filling: null });
    if (this.key) this.storage?.removeItem(this.key);
  }

  /** The figures for the diagnostics report (Markdown lines). */
  reportLines(): string[] {
    return savingsReportLines(this.store.get().windows);
  }

  private collect(mode: Mode): Promise<Window[]> {
    if (this.cancelled) return Promise.reject(new Aborted(t('You cancelled the measurement.')));
    this.setAb({ measuring: mode, got: 0 });
    return new Promise((done, fail) => {
      const timer = this.setTimer(() => this.fail(t('No usable figures arrived for too long: the router did not answer, or the throughput was unknown.')), AB_PHASE_MS);
      this.wait = { mode, wins: [], done, fail, timer };
    });
  }

  private fail(why: string): void {
    const w = this.wait;
    if (!w) return;
    this.wait = null;
    this.clearTimer(w.timer);
    w.fail(new Aborted(why));
  }

  /** Apply `original` until it is the configured mode (two tries). @returns whether it is */
  private async restore(original: Mode): Promise<boolean> {
    for (let i = 0; i < 2; i++) {
      await this.idle();
      if (this.d.status.store.get().status?.configured.mode === original) break;
      this.d.status.select(original);
      await this.d.status.apply();
    }
    const ok = this.d.status.store.get().status?.configured.mode === original;
    if (ok && this.key) this.storage?.removeItem(this.key + ':ab');
    return ok;
  }

  /** Resolves once no apply is running (the user's own, say). */
  private idle(): Promise<void> {
    return new Promise((res) => {
      const check = (): void => {
        if (this.d.status.store.get().applying) return;
        off();
        res();
      };
      const off = this.d.status.store.subscribe(check);
      check();
    });
  }

  private setAb(p: Partial<AbState>): void {
    this.store.set({ ab: { ...this.store.get().ab, ...p } });
  }

  private read(k: string): string | null {
    try {
      return this.storage?.getItem(k) ?? null;
    } catch {
      return null;
    }
  }

  private write(k: string, v: string): void {
    try {
      this.storage?.setItem(k, v);
    } catch {
      // Storage full or denied (private mode): the figures stay for this page only.
    }
  }
}

const models = new WeakMap<object, SavingsModel>();

/** The browser's localStorage, or null where it is denied (some private modes throw on access). */
function local(): StorageLike | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/**
 * The savings model of a mounted panel (one per AppModel, made on first use, kept in
 * localStorage). The diagnostics report takes its figures from `savingsFor(app).reportLines()`.
 */
export function savingsFor(app: Pick<SavingsDeps, 'live' | 'status' | 'session'>): SavingsModel {
  let m = models.get(app);
  if (!m) models.set(app, (m = new SavingsModel({ live: app.live, status: app.status, session: app.session, storage: local() })));
  return m;
}
