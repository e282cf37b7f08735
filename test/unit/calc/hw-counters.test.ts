/** The WAN ports to read and the rates of their switch counters (calc/topology wanPorts, calc/hardware hwCounters). */
import { describe, it, expect } from 'vitest';
import { parseUciFile } from '../../../rpcd/src/parse/uci';
import { readZones, wanPorts, type LowerView, type ZoneNetwork } from '../../../rpcd/src/calc/topology';
import { hwCounters } from '../../../rpcd/src/calc/hardware';
import type { MibReading } from '../../../rpcd/src/parse/ethtool';

const zones = () => readZones(parseUciFile("config zone\n\toption name 'lan'\n\tlist network 'lan'\n\nconfig zone\n\toption name 'wan'\n\tlist network 'wan'\n\tlist network 'wan6'\n\toption masq '1'\n"));
const net = (zone: string, network: string, physdev: string | null, l3dev: string | null = physdev): ZoneNetwork => ({ zone, network, proto: 'static', physdev, l3dev });
const view: LowerView = {
  exists: (d) => ['wan', 'wan.7', 'br-wan', 'lan1', 'lan2', 'eth1', 'pppoe-wan', 'br-lan'].includes(d),
  devtype: (d) => (d === 'wan.7' ? 'vlan' : d === 'br-wan' || d === 'br-lan' ? 'bridge' : 'ethernet'),
  lower: (d) => (d === 'wan.7' ? ['wan'] : d === 'br-wan' ? ['eth1', 'wan'] : d === 'br-lan' ? ['lan1', 'lan2'] : []),
};

describe('wanPorts', () => {
  it('the WAN networks\' physdevs lowered through VLANs and bridges, each once; LAN and PPP links left out', () => {
    expect(wanPorts(zones(), [net('lan', 'lan', 'br-lan'), net('wan', 'wan', 'wan.7', 'pppoe-wan'), net('wan', 'wan6', 'pppoe-wan')], view)).toEqual(['wan']);
    expect(wanPorts(zones(), [net('wan', 'wan', 'br-wan'), net('wan', 'wan6', 'wan')], view)).toEqual(['eth1', 'wan']);
    expect(wanPorts(zones(), [net('wan', 'wan', null, 'wwan0'), net('wan', 'wan6', 'gone')], view)).toEqual([]);
    expect(wanPorts(zones(), [net('lan', 'lan', 'br-lan')], view)).toEqual([]);
  });
});

describe('hwCounters', () => {
  const r = (o: Partial<MibReading>): MibReading => ({ ports: ['wan'], counters: 'RxBytes/TxBytes', rx_bytes: 1_000_000, tx_bytes: 100_000, at_ms: 10_000, ...o });
  it('the first reading: bytes, no rate', () => {
    expect(hwCounters(r({}), null)).toEqual({ source: 'switch-mib', ports: ['wan'], counters: 'RxBytes/TxBytes', rx_bytes: 1_000_000, tx_bytes: 100_000, rx_bps: null, tx_bps: null, interval_ms: null });
  });
  it('rates in bit/s over the time between two readings of the same ports', () => {
    const h = hwCounters(r({ rx_bytes: 1_000_000 + 62_500_000, tx_bytes: 100_000 + 1_250_000, at_ms: 15_000 }), r({}));
    expect(h).toMatchObject({ rx_bps: 100_000_000, tx_bps: 2_000_000, interval_ms: 5000 });
  });
  it('no rate across a reset, a reboot, other ports, other counters or no time passed', () => {
    const prev = r({});
    for (const cur of [r({ rx_bytes: 10, at_ms: 15_000 }), r({ tx_bytes: 10, at_ms: 15_000 }), r({ at_ms: 9_000 }), r({ at_ms: 10_000 }), r({ ports: ['wan', 'lan1'], at_ms: 15_000 }), r({ counters: 'RxGoodByte/TxByte', at_ms: 15_000 })]) {
      expect(hwCounters(cur, prev)).toMatchObject({ rx_bps: null, tx_bps: null, interval_ms: null });
    }
    // equal sums over time are a rate of zero, not a reset
    expect(hwCounters(r({ at_ms: 12_000 }), prev)).toMatchObject({ rx_bps: 0, tx_bps: 0, interval_ms: 2000 });
  });
});
