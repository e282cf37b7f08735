/**
 * Devices the way fw4 sees them (issue 13), end to end under real qjs: the handler asks the
 * simulated netifd over the ubus CLI, reads the ruleset the fw4 stand-in loaded, and must
 * answer with the real L3 devices, fw4's own flowtable devices and no false problems, for the
 * router configurations that the uci-only derivation got wrong.
 */
import { describe, it, expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StatusResult, StatsResult, DiagnosticsResult } from '../../rpcd/src/api/contract';
import { scenario, call, ruleset } from './scenario-calls';

const roles = (s: StatsResult): string[] => s.devices.map((d) => `${d.device}:${d.role}`).sort();
const problems = (s: StatusResult): [string, string[]][] => s.devices.filter((d) => d.problems.length).map((d) => [d.device, d.problems]);

describe('old-style bridge (type bridge + ifname)', () => {
  it('the LAN is br-lan, in the flowtable, with no false problem; LAN throughput counts the bridge', () => {
    const t = scenario('old-bridge');
    const s = call<StatusResult>(t, 'status');
    expect(s.effective.flowtable?.devices).toEqual(['br-lan', 'wan']);
    expect(s.devices.map((d) => [d.device, d.role, d.in_flowtable])).toEqual([
      ['br-lan', 'lan', true],
      ['wan', 'wan', true],
    ]);
    expect(problems(s)).toEqual([]);
    expect(s.topology.source).toBe('netifd');
    expect(roles(call<StatsResult>(t, 'stats'))).toEqual(['br-lan:lan', 'wan:wan']);
  });

  it('the uci fallback (netifd not answering) derives the same bridge and says it is the fallback', () => {
    const t = scenario('old-bridge');
    writeFileSync(join(t.root, 'bin/ubus'), '#!/bin/sh\necho "Failed to connect to ubus" >&2\nexit 4\n');
    const s = call<StatusResult>(t, 'status');
    expect(s.devices.map((d) => [d.device, d.role])).toEqual([
      ['br-lan', 'lan'],
      ['wan', 'wan'],
    ]);
    expect(problems(s)).toEqual([]);
    expect(s.topology.source).toBe('uci');
    expect(s.topology.error).toBeTruthy();
  });
});

describe('PPPoE with wan6 on @wan', () => {
  it('WAN is pppoe-wan alone (not doubled by the alias); the alias brings pppoe-wan into fw4\'s flowtable (openwrt/openwrt#10224)', () => {
    const t = scenario('pppoe-alias');
    expect(roles(call<StatsResult>(t, 'stats'))).toEqual(['br-lan:lan', 'pppoe-wan:wan']);
    const s = call<StatusResult>(t, 'status');
    expect(s.effective.flowtable?.devices).toEqual(['br-lan', 'pppoe-wan', 'wan']);
    const wan = s.devices.filter((d) => d.role === 'wan');
    expect(wan.map((d) => [d.device, d.zones, d.in_flowtable, d.carried_by])).toEqual([
      ['wan', ['wan'], true, null],
      ['pppoe-wan', ['wan'], true, null],
    ]);
    expect(problems(s)).toEqual([]);
  });
});

describe('LAN on a VLAN of the DSA bridge, hardware offload', () => {
  it('fw4 lowers br-lan.1 → br-lan → ports: hardware flowtable on lan1, lan2, wan, and no port is flagged', () => {
    const t = scenario('vlan-bridge-hw');
    const s = call<StatusResult>(t, 'status');
    expect(s.effective.state).toBe('hardware');
    expect(s.effective.flowtable).toMatchObject({ devices: ['lan1', 'lan2', 'wan'], hw: true });
    const lan = s.devices.find((d) => d.device === 'br-lan.1');
    expect(lan).toMatchObject({ role: 'lan', zones: ['lan'], exists: true, in_flowtable: true });
    expect(problems(s)).toEqual([]);
    expect(roles(call<StatsResult>(t, 'stats'))).toEqual(['br-lan.1:lan', 'wan:wan']);
  });
});

describe('LTE (QMI modem)', () => {
  it('the control device path is never a "not present" netdev; WAN is the modem netdev wwan0', () => {
    const t = scenario('lte');
    const s = call<StatusResult>(t, 'status');
    expect(s.devices.some((d) => d.device.startsWith('/dev/'))).toBe(false);
    expect(s.devices.find((d) => d.role === 'wan')).toMatchObject({ device: 'wwan0', exists: true, zones: ['wan'] });
    expect(s.devices.flatMap((d) => d.problems)).not.toContain('not-present');
    // fw4 takes only physdevs into its flowtable: a device-less modem protocol adds none.
    expect(s.effective.flowtable?.devices).toEqual(['br-lan']);
    expect(roles(call<StatsResult>(t, 'stats'))).toEqual(['br-lan:lan', 'wwan0:wan']);
  });
});

describe('a flowtable the user adds to table inet fw4', () => {
  it('is listed beside ft, covers its devices by name, and its ports are not "in no zone"', () => {
    const t = scenario('user-flowtable');
    expect(ruleset(t)).toMatch(/\tflowtable ft_bridge \{/);
    const s = call<StatusResult>(t, 'status');
    expect(s.effective.flowtable).toMatchObject({ name: 'ft', devices: ['br-lan', 'wan'] });
    expect(problems(s)).toEqual([]);
    expect(s.effective.other_flowtables.map((f) => [f.name, f.devices])).toEqual([['ft_bridge', ['lan1', 'lan2', 'phy0-ap0']]]);
    // br-lan's ports are in ft_bridge: its traffic enters through a device of both.
    expect(s.devices.map((d) => [d.device, d.flowtables])).toEqual([
      ['br-lan', ['ft', 'ft_bridge']],
      ['wan', ['ft']],
      ['lan1', ['ft_bridge']],
      ['lan2', ['ft_bridge']],
      ['phy0-ap0', ['ft_bridge']],
    ]);
    expect(problems(s)).toEqual([]);
    const d = call<DiagnosticsResult>(t, 'diagnostics');
    expect(d.markdown).toContain('ft_bridge');
  });
});

describe('the report explains each device problem', () => {
  it('PPPoE without offloaded flows through its underlying device: the code and what to change', () => {
    const t = scenario('pppoe');
    // No flow offloaded (the conntrack table without markers): nothing shows pppoe-wan carried.
    writeFileSync(join(t.root, 'proc/net/nf_conntrack'), '');
    t.model.refresh = () => undefined;
    const d = call<DiagnosticsResult>(t, 'diagnostics');
    expect(d.markdown).toMatch(/\| pppoe-wan \| wan \| wan \| yes \| no \| unknown \| pppoe-l3-device \|/);
    expect(d.markdown).toContain("- pppoe-l3-device: PPPoE link not in the flowtable and no offloaded flow shows its traffic going through the underlying device; an IPv6 interface on @wan (option device '@wan') makes fw4 add the PPPoE device to the flowtable.");
  });
});
