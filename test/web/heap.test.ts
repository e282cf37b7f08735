// @vitest-environment happy-dom
/**
 * Issue 17: the open panel's JS heap after one simulated hour of polling grows by at most 1 MB.
 *
 * The whole panel (App rendered with its chart, on AppModel) polls the mock client under fake
 * timers: the per-second file.read batch and `stats` every 5 s, as on a router, with moving
 * counters. After ten simulated minutes (the chart's five-minute history full, every cache warm)
 * the heap is measured after a forced GC; then one more simulated hour, and again. The mock's
 * own call records are cleared every simulated minute (they are the test's, not the panel's).
 *
 * Measured (2026-12-06, happy-dom): 0.77–0.88 MB from minute 10 to 70; the growth levels off at
 * ~0.9 MB by minute 80 and stays there (warm-up of the rendered page: from minute 1 it is 1.14 MB at
 * minute 61, 1.3 MB at 81, then flat); the models alone grow 0.15 MB; keeping every reply would be 4.1 MB.
 *
 * GC: `global.gc` when node runs with --expose-gc, otherwise V8's flag is set at run time and
 * the gc function taken from a fresh context (the same V8 collector). The retained structures
 * (history columns, markers) are checked as well.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { h, render } from 'preact';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { CallSpec } from '../../web/src/client';
import { App } from '../../web/src/components/App';
import { AppModel } from '../../web/src/models/AppModel';
import { createMockClient, fileData, type MockClient } from './mock-client';
import { flowsFixture, procStat, statsFixture } from './fixtures';
import { netDev } from './net-dev-text';

function forcedGc(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** A router whose clock and counters move one second per batch. */
function routerClient(): MockClient {
  let t = 100_000;
  let busy = 0;
  let soft = 0;
  let idle = 0;
  const files = (p: string): string => {
    if (p === '/proc/uptime') return `${(t / 1000).toFixed(2)} 1.00\n`;
    if (p === '/proc/stat') return procStat([[busy, soft, idle], [Math.floor(busy / 2), Math.floor(soft / 2), idle * 2]]);
    if (p === '/proc/net/dev') return netDev([['lo', 0, 0], ['wan', t * 12_500, t * 1_250], ['br-lan', t * 1_250, t * 12_500]]);
    return '144\n';
  };
  return createMockClient({
    batch: (specs: CallSpec[]) => {
      t += 1000;
      busy += 30 + (t % 7);
      soft += 10;
      idle += 70 - (t % 7);
      return specs.map((s) => fileData(files(String(s.args?.path))));
    },
    stats: () => statsFixture(t),
    flows: () => flowsFixture(),
  });
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the panel\'s heap over an hour of polling', () => {
  it('grows by at most 1 MB from minute 10 to minute 70, with the history bounded', async () => {
    const gc = forcedGc();
    const client = routerClient();
    const app = new AppModel(client, { standalone: false, readonly: false, now: () => Date.now(), clipboard: () => null });
    const el = document.createElement('div');
    document.body.appendChild(el);
    render(h(App, { app }), el);
    app.start();
    const minutes = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) {
        await vi.advanceTimersByTimeAsync(60_000);
        for (const f of [client.batch, client.call, client.callRaw]) f.mockClear();
      }
    };
    const heap = (): number => {
      gc();
      gc();
      return process.memoryUsage().heapUsed;
    };
    await minutes(10);
    const before = heap();
    const historyBefore = app.live.history.length;
    await minutes(60);
    const after = heap();
    const grown = after - before;
    console.log(`heap after 10 simulated min ${(before / 1e6).toFixed(2)} MB, after 70 ${(after / 1e6).toFixed(2)} MB: grown ${(grown / 1e6).toFixed(3)} MB; history ${historyBefore} → ${app.live.history.length} entries`);
    // the loop really ran all hour: a point per second, the chart's five minutes kept
    expect(app.live.store.get().stale).toBeNull();
    expect(app.live.store.get().latest).not.toBeNull();
    expect(app.live.history.length).toBeGreaterThanOrEqual(299);
    expect(app.live.history.length).toBeLessThanOrEqual(301);
    expect(app.live.history.length).toBe(historyBefore);
    expect(app.live.history.markers.length).toBe(0);
    expect(grown).toBeLessThanOrEqual(1_000_000);
    app.stop();
    render(null, el);
    el.remove();
  });
});
