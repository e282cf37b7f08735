/** `ethtool -S` on real public captures (test/fixtures/ethtool-s/PROVENANCE.md). */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEthtoolStats, switchPortBytes } from '../../../rpcd/src/parse/ethtool';

const fx = (f: string): string => readFileSync(join(__dirname, '../../fixtures/ethtool-s', f), 'utf8');

describe('parseEthtoolStats', () => {
  it('mt7530 DSA user port (BPI-R2 wan): DSA software counters and the switch MIB, every line', () => {
    const s = parseEthtoolStats(fx('mt7530-bpi-r2-wan-netdev-2023-02-25.txt'));
    expect(Object.keys(s ?? {})).toHaveLength(45);
    expect(s).toMatchObject({ tx_packets: 60, tx_bytes: 3932, rx_packets: 10, rx_bytes: 1848, TxBytes: 4574, RxBytes: 10364, RxArlDrop: 0 });
  });
  it('mtk_eth_soc MAC (BPI-R3 eth1, OpenWrt snapshot): 4-space indentation, page-pool counters', () => {
    const s = parseEthtoolStats(fx('mtk_eth_soc-bpi-r3-openwrt-snapshot-eth1-2023-01-23.txt'));
    expect(s).toMatchObject({ tx_bytes: 32166, tx_packets: 109, rx_bytes: 0, rx_pp_alloc_fast: 11709698 });
  });
  it('a listing posted without indentation and without zero lines (grep -v) still parses', () => {
    const s = parseEthtoolStats(fx('mtk_eth_soc-bpi-r2-eth0-nonzero-iperf-2023-03-07.txt'));
    expect(s?.tx_bytes).toBe(819999267);
    expect(s?.p06_RxBytes).toBe(819999267);
  });
  it('values a double cannot hold exactly (qca8k byte-order bug) are left out, sane ones kept', () => {
    const s = parseEthtoolStats(fx('qca8k-tl-wdr4900-lan1-openwrt-bigendian-bug-2022-09-30.txt'));
    expect(s).toMatchObject({ tx_packets: 147, tx_bytes: 22130, rx_bytes: 520, RxPause: 0 });
    expect(s && 'RxGoodByte' in s).toBe(false);
    expect(s && 'Rx64Byte' in s).toBe(false);
  });
  it('not a statistics listing: null; odd lines skipped; own keys only', () => {
    expect(parseEthtoolStats('')).toBeNull();
    expect(parseEthtoolStats('Cannot get stats strings information: Operation not supported\n')).toBeNull();
    expect(parseEthtoolStats(undefined as unknown as string)).toBeNull();
    const s = parseEthtoolStats('NIC statistics:\n     a: 1\n     b: -2\n     c: 1.5\n     junk\n     __proto__: 7\n     toString: 3\n');
    expect(s).toEqual(Object.fromEntries([['a', 1], ['__proto__', 7], ['toString', 3]]));
    expect(Object.getPrototypeOf(s)).toBe(Object.prototype);
  });
});

describe('switchPortBytes', () => {
  it('mt7530: the MIB RxBytes/TxBytes, not the DSA software rx_bytes/tx_bytes printed first', () => {
    expect(switchPortBytes(parseEthtoolStats(fx('mt7530-bpi-r2-wan-netdev-2023-02-25.txt')))).toEqual({ rx_bytes: 10364, tx_bytes: 4574, counters: 'RxBytes/TxBytes' });
  });
  it('qca8k names (RxGoodByte/TxByte); garbled values give no figure', () => {
    expect(switchPortBytes({ RxGoodByte: 5, TxByte: 7, rx_bytes: 1, tx_bytes: 1 })).toEqual({ rx_bytes: 5, tx_bytes: 7, counters: 'RxGoodByte/TxByte' });
    expect(switchPortBytes(parseEthtoolStats(fx('qca8k-tl-wdr4900-lan1-openwrt-bigendian-bug-2022-10-04.txt')))).toBeNull();
  });
  it('a MAC or a port without MIB byte counters (mtk_eth_soc eth1; only one direction): none', () => {
    expect(switchPortBytes(parseEthtoolStats(fx('mtk_eth_soc-bpi-r3-openwrt-snapshot-eth1-2023-01-23.txt')))).toBeNull();
    expect(switchPortBytes({ RxBytes: 1 })).toBeNull();
    expect(switchPortBytes({ TxBytes: 1 })).toBeNull();
    expect(switchPortBytes(null)).toBeNull();
  });
});
