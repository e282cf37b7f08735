/**
 * Throughput that stays true under hardware offload (issue 13): while hardware-offloaded flows
 * exist, `stats` reads the WAN ports' switch MIB (`ethtool -S`), which counts what the engine
 * forwards, and gives its rates; the netdev counters the chart reads see almost none of it.
 */
import { describe, it, expect } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { StatsResult } from '../../rpcd/src/api/contract';
import { scenario, call } from './scenario-calls';

const wanNetdev = (s: StatsResult): number => s.devices.filter((d) => d.role === 'wan').reduce((a, d) => a + d.rx_bytes, 0);

describe('hardware counters', () => {
  it('hardware mode with [HW_OFFLOAD] flows: the WAN port MIB, and its rate from the second reading on', () => {
    const t = scenario('mt7621-hardware');
    const a = call<StatsResult>(t, 'stats');
    expect(a.conntrack.hw_offloaded).toBeGreaterThan(0);
    expect(a.counters.misses_hw).toBe(true);
    expect(a.counters.hw).toMatchObject({ source: 'switch-mib', ports: ['wan'], counters: 'RxBytes/TxBytes', rx_bps: null, tx_bps: null, interval_ms: null });
    t.model.refresh(Date.now() + 5000);
    const b = call<StatsResult>(t, 'stats');
    const hw = b.counters.hw;
    expect(hw?.interval_ms).toBe(b.uptime_ms - a.uptime_ms);
    expect(hw?.rx_bps).toBe(Math.round((((hw?.rx_bytes ?? 0) - (a.counters.hw?.rx_bytes ?? 0)) * 8 * 1000) / (b.uptime_ms - a.uptime_ms)));
    expect(hw?.rx_bps).toBeGreaterThan(100e6);
    // The netdev counters of the same WAN device saw a small share of it.
    const netdevBps = ((wanNetdev(b) - wanNetdev(a)) * 8 * 1000) / (b.uptime_ms - a.uptime_ms);
    expect(netdevBps).toBeLessThan((hw?.rx_bps ?? 0) / 10);
  });

  it('no hardware flows (software mode): no ethtool run, no hardware counters', () => {
    const t = scenario('mt7621-software');
    const s = call<StatsResult>(t, 'stats');
    expect(s.counters).toEqual({ source: 'netdev', misses_hw: false, roles: 'netifd', hw: null });
  });

  it('a flow count skipped (flows:false) cannot know of hardware flows: no hardware counters', () => {
    const s = call<StatsResult>(scenario('mt7621-hardware'), 'stats', { flows: false });
    expect(s.counters.hw).toBeNull();
  });

  it('hardware flows but no ethtool: said as missed, no hardware figure', () => {
    const t = scenario('mt7621-hardware');
    rmSync(join(t.root, 'usr/sbin/ethtool'));
    const s = call<StatsResult>(t, 'stats');
    expect(s.counters).toMatchObject({ misses_hw: true, hw: null });
  });
});

describe('the report', () => {
  it('gives the WAN port switch counters beside the kernel counters, with the rate once there is a previous reading', () => {
    const t = scenario('mt7621-hardware');
    call<StatsResult>(t, 'stats');
    t.model.refresh(Date.now() + 5000);
    const d = call<{ markdown: string }>(t, 'diagnostics');
    expect(d.markdown).toMatch(/- WAN port switch counters \(ethtool -S wan, RxBytes\/TxBytes\): received [\d.]+ [KMGT]?i?B, sent [\d.]+ [KMGT]?i?B, [\d.]+ [MG]bit\/s down \/ [\d.]+ [kMG]?bit\/s up over 5 s/);
  });
  it('says when none could be read', () => {
    const t = scenario('mt7621-hardware');
    rmSync(join(t.root, 'usr/sbin/ethtool'));
    expect(call<{ markdown: string }>(t, 'diagnostics').markdown).toContain('No switch counters of the WAN port could be read');
  });
});
