import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mergePpeCounts, parsePpeEntries, parsePpeLine } from '../../../rpcd/src/parse/ppe';
import { countConntrack } from '../../../rpcd/src/parse/conntrack';

/** Real captures, see test/fixtures/ppe/PROVENANCE.md. */
const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/ppe/${name}`, import.meta.url), 'utf8');
const states = (bound: number, unbound: number, invalid = 0, fin = 0, unknown = 0) => ({ bound, unbound, invalid, fin, unknown });

describe('parsePpeEntries on real captures', () => {
  it('MT7621 ppe0/entries (openwrt#17915): one BND, one UNB, counters printed as 0', () => {
    expect(parsePpeEntries(fixture('mt7621-ppe0-entries-grep-openwrt-17915.txt'))).toEqual({
      format: 'foe', total: 2, byState: states(1, 1), bound: 1, packets: 0, bytes: 0, unparsed: 0,
    });
  });

  it('MT7621 paste mixing conntrack and ppe0 lines (openwrt#17915): 4 BND entries, timestamps and conntrack lines unparsed', () => {
    const c = parsePpeEntries(fixture('mt7621-ppe0-with-conntrack-openwrt-17915.txt'));
    expect(c).toEqual({ format: 'foe', total: 4, byState: states(4, 0), bound: 4, packets: 0, bytes: 0, unparsed: 4 });
  });

  it('the same paste through the conntrack counter: one of its two flows is [HW_OFFLOAD]', () => {
    // The real /proc/net/nf_conntrack line of a hardware-offloaded flow: no timeout, no state, `[HW_OFFLOAD]` before mark=.
    expect(countConntrack(fixture('mt7621-ppe0-with-conntrack-openwrt-17915.txt'))).toEqual({ total: 2, offloaded: 0, hw_offloaded: 1 });
  });

  it('MT7621 Linux 5.10 mtk_ppe/entries (openwrt#3952): five UNB, 6RD included, no counters', () => {
    expect(parsePpeEntries(fixture('mt7621-mtk_ppe-entries-openwrt-3952.txt'))).toEqual({
      format: 'foe', total: 5, byState: states(0, 5), bound: 0, packets: null, bytes: null, unparsed: 0,
    });
  });

  it('MT7621 Linux 5.10 entries with bound flows (openwrt#3952): 4 BND IPv4, 3 UNB (6RD, IPv6 5T)', () => {
    const text = fixture('mt7621-mtk_ppe-entries-bound-openwrt-3952.txt');
    expect(parsePpeEntries(text)).toEqual({ format: 'foe', total: 7, byState: states(4, 3), bound: 4, packets: null, bytes: null, unparsed: 0 });
    const lines = text.trim().split('\n').map(parsePpeLine);
    expect(lines.map((e) => e?.type)).toEqual(['IPv4 5T', 'IPv4 5T', '6RD', 'IPv4 5T', 'IPv6 5T', 'IPv4 5T', 'IPv6 5T']);
    expect(lines[0]).toEqual({ format: 'foe', ppe: null, index: 0x12f2, state: 'bound', stateWord: 'BND', type: 'IPv4 5T', packets: null, bytes: null });
  });

  it('MT7621 legacy mtk_ppe/all_entry (openwrt#1762): six BIND IPV4_HNAPT', () => {
    const text = fixture('mt7621-legacy-all_entry-openwrt-1762.txt');
    expect(parsePpeEntries(text)).toEqual({ format: 'foe_legacy', total: 6, byState: states(6, 0), bound: 6, packets: null, bytes: null, unparsed: 0 });
    expect(parsePpeLine(text.split('\n')[0] as string)).toMatchObject({ index: 0x31f, stateWord: 'BIND', type: 'IPV4_HNAPT' });
  });

  it('Airoha ppe/bind and ppe/entries (openwrt#24038): data= field, 2 BND and 1 UNB', () => {
    expect(parsePpeEntries(fixture('airoha-ppe-bind-openwrt-24038.txt'))).toEqual({
      format: 'foe', total: 2, byState: states(2, 0), bound: 2, packets: 0, bytes: 0, unparsed: 0,
    });
    // Counters are summed over bound entries only: the one UNB entry leaves them null.
    expect(parsePpeEntries(fixture('airoha-ppe-entries-openwrt-24038.txt'))).toEqual({
      format: 'foe', total: 1, byState: states(0, 1), bound: 0, packets: null, bytes: null, unparsed: 0,
    });
  });

  it('two PPEs merge: sums and the shared format', () => {
    const m = mergePpeCounts([
      parsePpeEntries(fixture('mt7621-ppe0-entries-grep-openwrt-17915.txt')),
      parsePpeEntries(fixture('mt7621-ppe0-with-conntrack-openwrt-17915.txt')),
    ]);
    expect(m).toEqual({ format: 'foe', total: 6, byState: states(5, 1), bound: 5, packets: 0, bytes: 0, unparsed: 4 });
    expect(mergePpeCounts([])).toEqual({ format: null, total: 0, byState: states(0, 0), bound: 0, packets: null, bytes: null, unparsed: 0 });
  });
});

describe('parsePpeEntries: mangled lines are unparsed, never guessed', () => {
  const real = fixture('mt7621-ppe0-entries-grep-openwrt-17915.txt').trim().split('\n');
  const bnd = real[0] as string;

  it('a line cut before ib1=/ib2= is not an entry', () => {
    const cut = bnd.slice(0, bnd.indexOf(' ib1='));
    expect(parsePpeLine(cut)).toBeNull();
    expect(parsePpeEntries(`${cut}\n${real[1]}\n`)).toMatchObject({ total: 1, bound: 0, unparsed: 1 });
  });

  it('a bad index, state, counter or a stray word makes the line unparsed', () => {
    for (const bad of [
      bnd.replace('00e06', '00g06'),
      bnd.replace(' BND ', ' Bnd '),
      bnd.replace('packets=0', 'packets=-1'),
      bnd.replace('ib1=61481e81', 'ib1=6148'),
      `${bnd} trailing`,
      bnd.replace('IPv4 5T', 'IPv4 5T extra'),
    ]) {
      expect(parsePpeLine(bad), bad).toBeNull();
      expect(parsePpeEntries(bad).unparsed, bad).toBe(1);
    }
  });

  it('a cut-off legacy line (as the stored excerpt of openwrt#1762 ends) is unparsed', () => {
    expect(parsePpeEntries('(33a)0x0033a|state=BIND|type=IPV4\n')).toMatchObject({ total: 0, unparsed: 1 });
  });

  it('CRLF, blank lines and surrounding blanks are fine; empty and non-string input give zero counts', () => {
    expect(parsePpeEntries(`\r\n  ${bnd}  \r\n\r\n${real[1]}\r\n`)).toMatchObject({ total: 2, bound: 1, unparsed: 0 });
    expect(parsePpeEntries('')).toMatchObject({ format: null, total: 0, unparsed: 0 });
    expect(parsePpeEntries(undefined as unknown as string)).toMatchObject({ format: null, total: 0 });
    expect(parsePpeLine(null as unknown as string)).toBeNull();
  });
});

/*
 * Lines below are NOT captures: they are built from the drivers' printf formats (see
 * PROVENANCE.md), for formats and states no public paste was found for.
 */
describe('lines built from the driver printf formats (not captures)', () => {
  it('foe FIN / UNK states and the L2B type without orig= (airoha_ppe_debugfs.c "%05x %s %7s")', () => {
    const fin = '00010 FIN IPv4 3T orig=10.0.0.1->10.0.0.2 new=10.0.0.1->10.0.0.2 eth=00:00:00:00:00:01->00:00:00:00:00:02 etype=0800 vlan=0,0 ib1=30000000 ib2=00000000';
    const unk = '00011 UNK UNKNOWN orig=0.0.0.0->0.0.0.0 eth=00:00:00:00:00:00->00:00:00:00:00:00 etype=0000 vlan=0,0 ib1=f0000000 ib2=00000000';
    const l2b = '00012 BND     L2B eth=00:00:00:00:00:01->00:00:00:00:00:02 etype=0800 data=00000000 vlan=0,0 ib1=20000000 ib2=00000000 packets=5 bytes=300';
    expect(parsePpeEntries([fin, unk, l2b].join('\n'))).toEqual({ format: 'foe', total: 3, byState: states(1, 0, 0, 1, 1), bound: 1, packets: 5, bytes: 300, unparsed: 0 });
  });

  it('foe_legacy short line "0x%05x state=%s"', () => {
    expect(parsePpeLine('0x0031e state=INVALID')).toEqual({ format: 'foe_legacy', ppe: null, index: 0x31e, state: 'invalid', stateWord: 'INVALID', type: '', packets: null, bytes: null });
    expect(parsePpeLine('0x0031e state=')).toBeNull();
  });

  it('hnat (padavan hnat_debugfs.c): counters prefix, NAPT, IPv6 5T and short lines', () => {
    const napt = 'bytes=1500|packets=10|index=0x00123|state=BIND|type=IPV4_HNAPT|192.168.1.2:1000->1.1.1.1:443=>100.64.0.2:1000->1.1.1.1:443|00:00:00:00:00:01=>00:00:00:00:00:02|etype=0x0800|info1=0x21000000|info2=0x7ff020|vlan1=1|vlan2=0';
    const v6 = 'index=0x00124|state=UNBIND|type=IPV6_5T_ROUTE|SIP=20010db8:00000000:00000000:00000001(sp=1000)->DIP=20010db8:00000000:00000000:00000002(dp=443)|00:00:00:00:00:01=>00:00:00:00:00:02|etype=0x86dd|info1=0x10000000|info2=0x0';
    const short = 'index=0x00125 state=FIN';
    expect(parsePpeEntries([napt, v6, short].join('\n'))).toEqual({ format: 'hnat', total: 3, byState: states(1, 1, 0, 1), bound: 1, packets: 10, bytes: 1500, unparsed: 0 });
    expect(parsePpeLine(napt)).toMatchObject({ index: 0x123, ppe: null, type: 'IPV4_HNAPT', packets: 10, bytes: 1500 });
  });

  it('hnat multi-PPE SDK: addr=0x%p|ppe=%d|index=%d', () => {
    const full = 'addr=0x00000000deadbeef|ppe=1|index=291|state=BIND|type=IPV4_HNAPT|192.168.1.2:1000->1.1.1.1:443=>100.64.0.2:1000->1.1.1.1:443|00:00:00:00:00:01=>00:00:00:00:00:02|etype=0x0800|info1=0x21000000|info2=0x7ff020|vlan1=1|vlan2=0';
    expect(parsePpeLine(full)).toMatchObject({ format: 'hnat', ppe: 1, index: 291, state: 'bound' });
    expect(parsePpeLine('addr=0x00000000deadbeef|ppe=0|index=7 state=UNBIND')).toMatchObject({ ppe: 0, index: 7, state: 'unbound' });
    // Cut before info1=: not whole.
    expect(parsePpeLine(full.slice(0, full.indexOf('|info1=')))).toBeNull();
    expect(parsePpeLine('addr=0x1|ppe=x|index=7 state=BIND')).toBeNull();
  });
});
