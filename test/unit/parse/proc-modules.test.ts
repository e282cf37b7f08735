import { describe, it, expect } from 'vitest';
import { parseProcModules, offloadModules } from '../../../rpcd/src/parse/proc-modules';

// The layout of kernel/module/procfs.c m_show(): name size refcount users-with-trailing-commas|- state address.
const TEXT = [
  'nft_flow_offload 16384 1 - Live 0x0000000000000000',
  'nf_flow_table_inet 16384 1 - Live 0x0000000000000000',
  'nf_flow_table 45056 2 nft_flow_offload,nf_flow_table_inet, Live 0x0000000000000000',
  'nf_conntrack 188416 7 nft_flow_offload,nf_flow_table,nft_nat,nft_masq,nf_nat,nft_ct,nf_conntrack_netlink, Live 0x0000000000000000',
  'sch_cake 40960 0 - Loading 0x0000000000000000 (O)',
  'veth 36864 0 - Live 0x0000000000000000',
  'not a module line',
  '',
].join('\n');

describe('parseProcModules', () => {
  it('reads name, size, use count, users and state; skips lines of another shape', () => {
    const m = parseProcModules(TEXT);
    expect(m.map((x) => x.name)).toEqual(['nft_flow_offload', 'nf_flow_table_inet', 'nf_flow_table', 'nf_conntrack', 'sch_cake', 'veth']);
    expect(m[2]).toEqual({ name: 'nf_flow_table', size: 45056, refcnt: 2, users: ['nft_flow_offload', 'nf_flow_table_inet'], state: 'Live' });
    expect(m[0]?.users).toEqual([]);
    expect(m[4]?.state).toBe('Loading');
  });

  it('keeps the offload-related modules (flow tables, SQM, SFE, NSS, WireGuard), sorted by name', () => {
    expect(offloadModules(parseProcModules(TEXT)).map((x) => x.name)).toEqual(['nf_flow_table', 'nf_flow_table_inet', 'nft_flow_offload', 'sch_cake']);
    expect(offloadModules(parseProcModules('xt_FLOWOFFLOAD 16384 0 - Live 0x0\nshortcut_fe 98304 1 fast_classifier, Live 0x0\nqca_nss_drv 327680 0 - Live 0x0\nwireguard 73728 0 - Live 0x0\n')).map((x) => x.name))
      .toEqual(['qca_nss_drv', 'shortcut_fe', 'wireguard', 'xt_FLOWOFFLOAD']);
  });
});
