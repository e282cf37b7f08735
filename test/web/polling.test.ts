/**
 * The live loop's cadence (issue 17): `stats` every 5 s measured from when it
 * is sent, no polls while the tab is hidden, and LuCI's poll control (its
 * "Refreshing / Paused" indicator) pausing the panel.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallSpec } from '../../web/src/client';
import { AppModel } from '../../web/src/models/AppModel';
import { LiveModel } from '../../web/src/models/LiveModel';
import { SessionModel } from '../../web/src/models/SessionModel';
import type { PollControl } from '../../web/src/models/types';
import { createMockClient, fileData } from './mock-client';
import { procStat, statsFixture } from './fixtures';

/** A router whose answers take `latencyMs` (fake timers) and whose clock is the fake wall clock. */
function slowClient(latencyMs: number) {
  const later = <T>(v: T): Promise<T> => new Promise((r) => setTimeout(() => r(v), latencyMs));
  const files = (path: string): string => {
    const t = Date.now();
    if (path === '/proc/uptime') return `${(t / 1000).toFixed(2)} 1.00\n`;
    if (path === '/proc/stat') return procStat([[t / 10, t / 20, t / 5]]);
    return `${Math.round(t)}\n`;
  };
  return createMockClient({
    stats: () => later(statsFixture(Date.now())),
    batch: (specs: CallSpec[]) => later(specs.map((s) => fileData(files(String(s.args?.path))))),
  });
}

const statsCalls = (c: ReturnType<typeof createMockClient>): number => c.call.mock.calls.filter((x) => x[0] === 'stats').length;

/** A document stand-in: `hidden` plus real events. */
function fakeDoc() {
  const et = new EventTarget() as EventTarget & { hidden: boolean };
  et.hidden = false;
  return et;
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('stats cadence', () => {
  it('runs every 5 s, not every 6 s, when the answer takes a while', async () => {
    const client = slowClient(80);
    const session = new SessionModel(client, { standalone: false, readonly: false });
    const live = new LiveModel(client, session, { now: () => Date.now() });
    live.start();
    await vi.advanceTimersByTimeAsync(20_100);
    live.stop();
    expect(statsCalls(client)).toBe(5); // t = 0, 5, 10, 15, 20 s
  });
});

describe('page visibility', () => {
  it('stops polling while the tab is hidden and polls at once when it is shown again', async () => {
    const client = slowClient(10);
    const doc = fakeDoc();
    const app = new AppModel(client, { standalone: false, readonly: false, doc, now: () => Date.now() });
    app.start();
    await vi.advanceTimersByTimeAsync(3_050);
    expect(client.batch.mock.calls.length).toBe(4);
    doc.hidden = true;
    doc.dispatchEvent(new Event('visibilitychange'));
    const n = client.batch.mock.calls.length;
    const s = statsCalls(client);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(client.batch.mock.calls.length).toBe(n);
    expect(statsCalls(client)).toBe(s);
    doc.hidden = false;
    doc.dispatchEvent(new Event('visibilitychange'));
    await vi.advanceTimersByTimeAsync(50);
    expect(client.batch.mock.calls.length).toBe(n + 1);
    expect(statsCalls(client)).toBe(s + 1); // the flow counts are refreshed at once too
    await vi.advanceTimersByTimeAsync(2_000);
    expect(client.batch.mock.calls.length).toBe(n + 3);
    app.stop();
  });

  it('does not start polling in a tab opened in the background', async () => {
    const client = slowClient(10);
    const doc = fakeDoc();
    doc.hidden = true;
    const app = new AppModel(client, { standalone: false, readonly: false, doc });
    app.start();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(client.batch).not.toHaveBeenCalled();
    app.stop();
  });
});

describe('LuCI poll control', () => {
  /** LuCI's poll singleton, reduced to its contract: add/remove/active, a 1 s step, poll-start/poll-stop events. */
  function luciPoll(doc: EventTarget) {
    const queue: { fn: () => unknown; i: number }[] = [];
    let timer: ReturnType<typeof setInterval> | null = null;
    let tick = 0;
    const step = (): void => {
      for (const e of queue) if (tick % e.i === 0) void e.fn();
      tick++;
    };
    const poll: PollControl & { start(): void; stop(): void } = {
      add: vi.fn((fn: () => unknown, i: number) => {
        queue.push({ fn, i });
        if (!timer) poll.start();
        return true;
      }),
      remove: vi.fn((fn: () => unknown) => {
        queue.splice(queue.findIndex((e) => e.fn === fn), 1);
        return true;
      }),
      active: () => timer !== null,
      start() {
        tick = 0;
        timer = setInterval(step, 1000);
        step();
        doc.dispatchEvent(new CustomEvent('poll-start'));
      },
      stop() {
        doc.dispatchEvent(new CustomEvent('poll-stop'));
        if (timer) clearInterval(timer);
        timer = null;
      },
    };
    return poll;
  }

  it('polls through LuCI\'s poll loop and pauses while LuCI\'s polling is paused', async () => {
    const client = slowClient(10);
    const doc = fakeDoc();
    const poll = luciPoll(doc);
    const app = new AppModel(client, { standalone: false, readonly: false, doc, poll, now: () => Date.now() });
    app.start();
    expect(poll.add).toHaveBeenCalledWith(expect.any(Function), 1);
    await vi.advanceTimersByTimeAsync(2_050);
    expect(client.batch.mock.calls.length).toBe(3);
    poll.stop(); // the user clicks LuCI's "Refreshing" indicator
    expect(app.live.store.get().paused).toBe('luci');
    const n = client.batch.mock.calls.length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(client.batch.mock.calls.length).toBe(n);
    poll.start();
    await vi.advanceTimersByTimeAsync(50);
    expect(app.live.store.get().paused).toBeNull();
    expect(client.batch.mock.calls.length).toBe(n + 1);
    app.stop();
    expect(poll.remove).toHaveBeenCalledTimes(1);
  });
});
