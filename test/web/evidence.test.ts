import { describe, expect, it } from 'vitest';
import type { DeviceInfo } from '../../rpcd/src/api/contract';
import {
  carriedText, countersText, engineText, flowEvidenceText, flowtableLine, hardwareVerdictText, inFlowtableText, topologyNote, verdictTone,
} from '../../web/src/lib/evidence';

const dev = (over: Partial<DeviceInfo>): DeviceInfo => ({
  device: 'wan', role: 'wan', zones: ['wan'], exists: true, in_flowtable: true, flowtables: ['ft'], carried_by: null, hw_tc_offload: null, hw_tc_offload_fixed: false, problems: [], ...over,
});
const engine = { name: 'mtk_ppe', path: '/sys/kernel/debug/ppe0/bind', bound: 120, total: 300, by_state: { bound: 120, unbound: 150, invalid: 30 }, error: null };

describe('the In flowtable cell', () => {
  it('says a PPPoE link is offloaded through its underlying device instead of "No"', () => {
    const d = dev({ device: 'pppoe-wan', in_flowtable: false, flowtables: [], carried_by: 'wan' });
    expect(inFlowtableText(d, 'ft')).toBe('Offloaded through wan');
    expect(carriedText(d)).toBe('None: fw4 lists wan in the flowtable, and the flows of this link are offloaded through it.');
    expect(carriedText(dev({}))).toBeNull();
  });

  it('names the flowtables only when more than one, or one not fw4\'s own, covers the device', () => {
    expect(inFlowtableText(dev({}), 'ft')).toBe('Yes');
    expect(inFlowtableText(dev({ flowtables: ['ft', 'bridge_ft'] }), 'ft')).toBe('Yes (ft, bridge_ft)');
    expect(inFlowtableText(dev({ flowtables: ['bridge_ft'] }), 'ft')).toBe('Yes (bridge_ft)');
    expect(inFlowtableText(dev({ flowtables: ['bridge_ft'] }), null)).toBe('Yes (bridge_ft)');
    expect(inFlowtableText(dev({ in_flowtable: false, flowtables: [] }), 'ft')).toBe('No');
  });

  it('writes a flowtable as name, devices and flag', () => {
    expect(flowtableLine({ family: 'inet', table: 'fw4', name: 'bridge_ft', devices: ['lan1', 'lan2'], hw: false, counter: false })).toBe('bridge_ft on lan1, lan2 (software only)');
    expect(flowtableLine({ family: 'inet', table: 'fw4', name: 'ft', devices: [], hw: true, counter: true })).toBe('ft on – (hardware offload flag set)');
  });
});

describe('flow evidence and the hardware proof', () => {
  const flows = { total: 12, offloaded: 2, hw_offloaded: 6, source: 'proc' as const };

  it('counts software-only and hardware flows apart and adds them for the offloaded total', () => {
    expect(flowEvidenceText(flows)).toBe('8 of 12 tracked connections offloaded: 2 in software, 6 in hardware.');
  });

  it('words every verdict', () => {
    expect(hardwareVerdictText('in-hardware', flows)).toBe('Proven: 6 of 8 offloaded connections are in the hardware engine.');
    expect(hardwareVerdictText('in-hardware', null)).toBe('Proven: connections are in the hardware engine.');
    expect(hardwareVerdictText('none-in-hardware', flows)).toMatch(/^Not proven: connections are offloaded, but none is in hardware\./);
    expect(hardwareVerdictText('no-offloaded-flows', flows)).toMatch(/^Not proven yet: no connection is offloaded/);
    expect(hardwareVerdictText('unknown', null)).toBe('Unknown: the connection tracking table could not be read.');
    expect([verdictTone('in-hardware'), verdictTone('none-in-hardware'), verdictTone('unknown')]).toEqual(['success', 'warning', 'notice']);
  });

  it('gives the engine line: bound of total, no view, or why it is unreadable', () => {
    expect(engineText(engine)).toBe('Hardware engine mtk_ppe: 120 of 300 entries bound.');
    expect(engineText({ ...engine, bound: 1200, total: 16384 })).toBe('Hardware engine mtk_ppe: 1\u202f200 of 16\u202f384 entries bound.');
    expect(engineText(null)).toBe('No view of the hardware engine on this target.');
    expect(engineText({ ...engine, bound: 0, total: 0, error: 'Permission denied' })).toBe(
      'Hardware engine mtk_ppe: its table /sys/kernel/debug/ppe0/bind could not be read: Permission denied',
    );
  });
});

describe('where the figures come from', () => {
  it('notes zone devices derived from uci, with netifd\'s error', () => {
    expect(topologyNote({ source: 'netifd', error: null })).toBeNull();
    expect(topologyNote({ source: 'uci', error: 'ubus call network.interface dump failed: Not found' })).toBe(
      'netifd could not be asked for the zone devices (ubus call network.interface dump failed: Not found), so they were derived from the uci configuration and may differ from what fw4 uses.',
    );
    expect(topologyNote({ source: 'uci', error: null })).toMatch(/^netifd could not be asked for the zone devices, so they were derived from the uci configuration/);
  });

  it('names the counters read and where the roles came from', () => {
    expect(countersText('files', { source: 'netdev', misses_hw: false, roles: 'netifd', hw: null })).toBe(
      'Throughput is read from the per-device counters of the kernel (/proc/net/dev, /sys/class/net/<device>/statistics). WAN and LAN devices as netifd reports them.',
    );
    expect(countersText('stats', { source: 'netdev', misses_hw: true, roles: 'uci', hw: null })).toBe(
      'Throughput is read from the per-device counters of the kernel (/proc/net/dev). WAN and LAN devices from the uci configuration, because netifd could not be asked.',
    );
  });
});
