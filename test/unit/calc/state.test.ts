/** deriveState: every branch, one row each (issue 14: "config off but offload running" and "no devices" were unguarded). */
import { describe, it, expect } from 'vitest';
import { fill } from '../../../rpcd/src/calc/message';
import { deriveState, type StateInput, type RulesetView } from '../../../rpcd/src/calc/state';
import type { Flowtable } from '../../../rpcd/src/parse/nft';

const ft = (devices: string[], hw = false): Flowtable =>
  ({ family: 'inet', table: 'fw4', name: 'ft', hook: 'ingress', priority: 'filter', devices, hw }) as Flowtable;
const rs = (flowtable: Flowtable | null, rule: boolean, extra: Partial<RulesetView> = {}): RulesetView => ({ readable: true, error: null, nftMissing: false, flowtable, rule, ...extra });
const base: StateInput = { firewall: 'fw4', configured: 'software', configError: null, ruleset: rs(ft(['eth0', 'wan']), true), existingZoneDevices: 2, lastWarning: null };
const input = (o: Partial<StateInput>): StateInput => ({ ...base, ...o });

describe('deriveState', () => {
  it.each<[string, Partial<StateInput>, string, string, string | RegExp]>([
    ['fw3', { firewall: 'fw3' }, 'unsupported', 'off', 'This router runs fw3 (iptables). This app reads nftables flowtables and needs firewall4 (OpenWrt 22.03 or newer).'],
    ['no firewall', { firewall: 'none' }, 'unsupported', 'off', 'No firewall4 found (/sbin/fw4 is missing).'],
    ['nft missing', { ruleset: rs(null, false, { nftMissing: true, readable: false }) }, 'unsupported', 'off', 'The nft command is missing, so the running ruleset cannot be read.'],
    ['unreadable with a reason', { ruleset: rs(null, false, { readable: false, error: 'No such file or directory' }) }, 'unknown', 'off', 'The running fw4 ruleset could not be read (No such file or directory). Is the firewall started?'],
    ['unreadable without one', { ruleset: rs(null, false, { readable: false }) }, 'unknown', 'off', 'The running fw4 ruleset could not be read. Is the firewall started?'],
    ['flowtable without devices', { ruleset: rs(ft([]), true) }, 'misconfigured', 'off', 'The flowtable exists but has no devices, so nothing can be offloaded.'],
    ['flowtable without devices, config off', { configured: 'off', ruleset: rs(ft([]), true) }, 'misconfigured', 'off', /has no devices/],
    ['flowtable without the rule', { ruleset: rs(ft(['eth0']), false) }, 'misconfigured', 'off', 'The flowtable exists but no rule in the forward chain sends flows to it, so nothing is offloaded.'],
    ['rule without the flowtable', { ruleset: rs(null, true) }, 'misconfigured', 'off', 'A forward rule refers to flowtable ft, but the flowtable is missing.'],
    ['config unreadable, software running', { configError: 'Parse error', ruleset: rs(ft(['eth0']), true) }, 'misconfigured', 'software', 'The firewall config cannot be read (Parse error), so what it asks for is unknown; the running ruleset has a software flowtable.'],
    ['config unreadable, hardware running', { configError: 'x', ruleset: rs(ft(['eth0'], true), true) }, 'misconfigured', 'hardware', /has a hardware flowtable\.$/],
    ['config unreadable, nothing running', { configError: 'x', ruleset: rs(null, false) }, 'misconfigured', 'off', /the running ruleset has no flowtable\.$/],
    ['off', { configured: 'off', ruleset: rs(null, false) }, 'off', 'off', 'Flow offloading is off: no flowtable in the running ruleset.'],
    ['enabled, no zone device', { configured: 'software', ruleset: rs(null, false), existingZoneDevices: 0 }, 'misconfigured', 'off', 'Offloading is enabled in the config, but fw4 found no existing device in any zone network, so it created no flowtable.'],
    ['enabled, not reloaded', { configured: 'hardware', ruleset: rs(null, false), existingZoneDevices: 1 }, 'misconfigured', 'off', /^Offloading is enabled in the config but the running ruleset has no flowtable: the firewall has not been reloaded/],
    ['config off, software still running', { configured: 'off', ruleset: rs(ft(['eth0']), true) }, 'misconfigured', 'software', 'The config says off, but software offloading is still running: the firewall has not been reloaded since the change, or nft rejected the ruleset when it was.'],
    ['config off, hardware still running', { configured: 'off', ruleset: rs(ft(['eth0'], true), true) }, 'misconfigured', 'hardware', /^The config says off, but hardware offloading is still running/],
    ['hardware fell back, warning known', { configured: 'hardware', lastWarning: 'Hardware flow offloading unavailable', ruleset: rs(ft(['eth0']), true) }, 'hardware-fallback', 'software', 'Hardware offloading is configured, but the running flowtable has no "flags offload": fw4 fell back to software offloading ("Hardware flow offloading unavailable").'],
    ['hardware fell back, no warning', { configured: 'hardware', ruleset: rs(ft(['eth0']), true) }, 'hardware-fallback', 'software', /fell back to software offloading because the kernel or driver refused hardware offload for these devices\.$/],
    ['software configured, hardware running', { configured: 'software', ruleset: rs(ft(['eth0'], true), true) }, 'misconfigured', 'hardware', /^The config says software, but the running flowtable is a hardware one/],
    ['software', { configured: 'software', ruleset: rs(ft(['eth0', 'wan']), true) }, 'software', 'software', 'Software offloading is active on eth0, wan.'],
    ['hardware', { configured: 'hardware', ruleset: rs(ft(['lan1', 'wan'], true), true) }, 'hardware', 'hardware', 'Hardware offloading is active on lan1, wan.'],
  ])('%s', (_name, o, state, mode, reason) => {
    const out = deriveState(input(o));
    expect(out.state).toBe(state);
    expect(out.mode).toBe(mode);
    if (typeof reason === 'string') expect(out.reason.text).toBe(reason);
    else expect(out.reason.text).toMatch(reason);
    // the same sentence as a catalogue msgid with parameters: what the panel translates
    expect(out.reason.parts.map((p) => fill(p.template, p.params)).join(' ')).toBe(out.reason.text);
    for (const p of out.reason.parts) for (const d of ['eth0', 'lan1', 'wan']) expect(p.template).not.toContain(d);
  });

  it('checks run in order: the firewall kind before the ruleset, the ruleset before the config', () => {
    expect(deriveState(input({ firewall: 'fw3', ruleset: rs(null, false, { nftMissing: true }) })).reason.text).toMatch(/fw3/);
    expect(deriveState(input({ ruleset: rs(ft([]), false, { nftMissing: true }) })).state).toBe('unsupported');
    expect(deriveState(input({ configError: 'x', ruleset: rs(ft([]), true) })).reason.text).toMatch(/no devices/);
  });
});
