/** `network.device status` as parseDeviceStatus reads it (the real capture is tested in calc/netifd-guest.test.ts). */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDeviceStatus } from '../../../rpcd/src/parse/netifd';

describe('parseDeviceStatus', () => {
  it('a VLAN-filtering bridge: its members and, per VLAN id, the ports without their flags (real guest capture)', () => {
    const m = parseDeviceStatus(readFileSync(join(__dirname, '../../fixtures/netifd/guest-bridge-vlan-wan/network_device_status.json'), 'utf8'));
    const br = m?.get('br-lan');
    expect(br).toMatchObject({ devtype: 'bridge', present: true, members: ['rlan', 'rlan2', 'rwan'] });
    expect([...(br?.vlans ?? new Map())]).toEqual([
      [1, ['rlan', 'rlan2']],
      [2, ['rwan']],
    ]);
    expect(m?.get('rwan')?.vlans.size).toBe(0);
  });
  it('malformed VLAN entries are skipped, flag combinations stripped', () => {
    const m = parseDeviceStatus(JSON.stringify({ br: { devtype: 'bridge', 'bridge-vlans': [{ id: 3, ports: ['a:u*', 'b:t', 'c', '', 7] }, { id: 'x', ports: ['d'] }, { ports: ['e'] }, { id: 4 }, null, { id: 1.5, ports: ['f'] }] } }));
    expect([...(m?.get('br')?.vlans ?? new Map())]).toEqual([[3, ['a', 'b', 'c']]]);
    expect(parseDeviceStatus(JSON.stringify({ br: { 'bridge-vlans': 'no' } }))?.get('br')?.vlans.size).toBe(0);
  });
});
